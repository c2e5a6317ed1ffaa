"""Lines to add, checked against the catalog and merged into a cart's lines.

Pure functions: each raises the contract's typed error naming the input it refuses, so a
change that fails anywhere is refused whole and the store writes nothing.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence

from adapters import user_messages as messages
from adapters.errors import InvalidInput, MerchandiseNotFound, NeedsOptions, UnsupportedOperation
from adapters.memory.catalog import Catalog, Product, Variant
from adapters.memory.store import StoredLine
from adapters.model import CustomLineToAdd, GiftCertificateToAdd, LineKind, LineToAdd
from adapters.money import Money
from adapters.vendor_answers import MAX_INT

Path = tuple[str, ...]


def new_id() -> str:
    return str(uuid.uuid4())


def added(
    current: Sequence[StoredLine], lines: Sequence[LineToAdd],
    custom_lines: Sequence[CustomLineToAdd], gift_certificates: Sequence[GiftCertificateToAdd],
    *, catalog: Catalog, currency: str, prefix: Path,
) -> tuple[StoredLine, ...]:
    """The cart's lines with these added: a variant already in the cart gets the quantity
    added to its line; each custom line is a line of its own.
    """
    if gift_certificates:
        raise UnsupportedOperation("in-memory carts sell no gift certificates",
                                   field=(*prefix, "giftCertificates"))
    result = list(current)
    for index, line in enumerate(lines):
        at = (*prefix, "lines", str(index))
        _quantity(line.quantity, (*at, "quantity"))
        product, variant = _resolve(line, catalog, at)
        unit = product.price(variant, currency)
        if unit is None:
            raise InvalidInput(messages.NO_PRICE_IN_CURRENCY, field=at)
        same = next((i for i, kept in enumerate(result)
                     if kept.kind is not LineKind.CUSTOM and kept.variant_id == variant.id), None)
        if same is not None:
            kept = result[same]
            result[same] = _with_quantity(kept, kept.quantity + line.quantity,
                                          (*at, "quantity"))
            continue
        result.append(StoredLine(
            id=new_id(), kind=product.kind, name=product.name, quantity=line.quantity,
            unit_price=unit, sku=variant.sku, product_id=product.id, variant_id=variant.id,
            image_url=product.image_url, options=variant.options))
    for index, custom in enumerate(custom_lines):
        at = (*prefix, "customLines", str(index))
        _quantity(custom.quantity, (*at, "quantity"))
        result.append(StoredLine(
            id=new_id(), kind=LineKind.CUSTOM, name=custom.name, quantity=custom.quantity,
            unit_price=exact_price(custom.list_price, currency, (*at, "listPrice")).amount,
            sku=custom.sku))
    return tuple(result)


def exact_price(value: object, currency: str, field: Path) -> Money:
    """A caller's price, refused when negative or finer than the currency's minor units."""
    price = Money.of(value, currency)
    if price.amount != value or price.amount < 0:
        raise InvalidInput(f"{value} is not a price in {currency}", field=field)
    return price


def _with_quantity(line: StoredLine, quantity: int, field: Path) -> StoredLine:
    if quantity > MAX_INT:
        raise InvalidInput(f"a line holds at most {MAX_INT} items", field=field)
    return dataclasses.replace(line, quantity=quantity)


def _quantity(quantity: int, field: Path) -> None:
    if not 1 <= quantity <= MAX_INT:
        raise InvalidInput(f"a quantity is from 1 to {MAX_INT}", field=field)


def _resolve(line: LineToAdd, catalog: Catalog, at: Path) -> tuple[Product, Variant]:
    """The product and variant a line names by variant id, product id or SKU."""
    if line.list_price is not None:
        raise UnsupportedOperation("in-memory carts price catalog lines from the catalog; "
                                   "use a custom line for a price of your own",
                                   field=(*at, "listPrice"))
    if line.options:
        raise UnsupportedOperation("in-memory carts take a variant, not options",
                                   field=(*at, "options"))
    if line.gift_wrapping is not None:
        raise UnsupportedOperation("in-memory carts have no gift wrapping",
                                   field=(*at, "giftWrapping"))
    if line.product_id is not None or line.variant_id is not None:
        return _by_ids(line, catalog, at)
    found = catalog.by_sku(line.sku or "")
    if found is None:
        raise MerchandiseNotFound(messages.not_in_catalog("sku", line.sku), field=(*at, "sku"))
    product, variant = found
    if variant is None:
        raise NeedsOptions(messages.needs_options(product.option_names()),
                           field=(*at, "options"))
    return product, variant


def _by_ids(line: LineToAdd, catalog: Catalog, at: Path) -> tuple[Product, Variant]:
    if line.product_id is not None:
        product = catalog.product(line.product_id)
        if product is None:
            raise MerchandiseNotFound(messages.not_in_catalog("productId", line.product_id),
                                      field=(*at, "productId"))
        candidates = [product]
    else:
        candidates = list(catalog.products)
    if line.variant_id is None:
        if len(candidates[0].variants) != 1:
            raise NeedsOptions(messages.needs_options(candidates[0].option_names()),
                               field=(*at, "options"))
        return candidates[0], candidates[0].variants[0]
    for product in candidates:
        for variant in product.variants:
            if variant.id == line.variant_id:
                return product, variant
    raise MerchandiseNotFound(messages.not_in_catalog("variantId", line.variant_id),
                              field=(*at, "variantId"))
