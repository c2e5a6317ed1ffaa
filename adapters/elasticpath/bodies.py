"""Elastic Path request bodies from the model's commands, and the checks made before I/O.

Catalog lines become ``cart_item`` entries by product id (a variant is a child product
with its own id) or by ``sku``, which Elastic Path resolves itself; custom lines become
``custom_item`` entries priced in minor units. Elastic Path prices catalog items from
the catalog only, so a catalog list price is refused before anything is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters import user_messages as messages
from adapters.errors import (
    CartUserError,
    InsufficientStock,
    InvalidInput,
    LineNotFound,
    MerchandiseNotFound,
    NeedsOptions,
    UnsupportedCurrency,
    UnsupportedOperation,
)
from adapters.model import CartAttributes, CustomLineToAdd, GiftCertificateToAdd, LineToAdd
from adapters.money import Money

Path = tuple[str, ...]
# An entry of an add-items request, where it came from, and the field naming its product.
Entry = tuple[dict[str, Any], Path, str]
MAX_TEXT = 255


def refuse_catalog_prices(lines: Sequence[LineToAdd], prefix: Path) -> None:
    for index, line in enumerate(lines):
        at = (*prefix, "lines", str(index))
        if line.list_price is not None:
            raise no_list_price((*at, "listPrice"))
        if line.options:
            raise UnsupportedOperation(
                "Elastic Path carts take a product (or child product) id, not options",
                field=(*at, "options"))
        if line.gift_wrapping is not None:
            raise UnsupportedOperation("Elastic Path carts have no gift wrapping",
                                       field=(*at, "giftWrapping"))


def refuse_gift_certificates(certificates: Sequence[GiftCertificateToAdd],
                             prefix: Path) -> None:
    if certificates:
        raise UnsupportedOperation("Elastic Path carts sell no gift certificates",
                                   field=(*prefix, "giftCertificates"))


def no_list_price(field: Path) -> UnsupportedOperation:
    return UnsupportedOperation(
        "Elastic Path prices catalog items from the catalog; use a custom line for a "
        "price of your own", field=field)


def email_with_customer(field: Path) -> InvalidInput:
    return InvalidInput(
        "Elastic Path keeps a contact email only on carts without a customer", field=field)


def check_attributes(attributes: CartAttributes | None, prefix: Path) -> None:
    if attributes is None:
        return
    if attributes.name is not None and not 1 <= len(attributes.name) <= MAX_TEXT:
        raise InvalidInput(f"a cart name has 1 to {MAX_TEXT} characters",
                           field=(*prefix, "name"))
    if attributes.description is not None and len(attributes.description) > MAX_TEXT:
        raise InvalidInput(f"a cart description has at most {MAX_TEXT} characters",
                           field=(*prefix, "description"))


def attribute_fields(attributes: CartAttributes) -> dict[str, str]:
    fields = {"name": attributes.name, "description": attributes.description}
    return {key: value for key, value in fields.items() if value is not None}


def item_entries(
    lines: Sequence[LineToAdd], custom_lines: Sequence[CustomLineToAdd], currency: str,
    prefix: Path,
) -> list[Entry]:
    """Items to add: catalog lines by product id (a variant is a child product) or sku."""
    entries: list[Entry] = []
    for index, line in enumerate(lines):
        entry: dict[str, Any] = {"type": "cart_item", "quantity": line.quantity}
        reference = line.variant_id or line.product_id
        if reference:
            entry["id"] = reference
            named_by = "variantId" if line.variant_id else "productId"
        else:
            entry["sku"] = line.sku
            named_by = "sku"
        entries.append((entry, (*prefix, "lines", str(index)), named_by))
    for index, custom in enumerate(custom_lines):
        at = (*prefix, "customLines", str(index))
        price = Money.of(custom.list_price, currency)
        if price.amount != custom.list_price:
            raise InvalidInput(f"{currency} has no amounts as fine as {custom.list_price}",
                               field=(*at, "listPrice"))
        entry = {"type": "custom_item", "name": custom.name, "quantity": custom.quantity,
                 "price": {"amount": price.to_minor(), "includes_tax": False}}
        if custom.sku:
            entry["sku"] = custom.sku
        entries.append((entry, at, "sku"))
    return entries


def locate(error: CartUserError, entry: Entry) -> CartUserError:
    """The same error, naming the field of the entry Elastic Path refused."""
    body, at, named_by = entry
    if isinstance(error, UnsupportedCurrency):
        return error  # the cart's currency, not the line: named by the caller
    if isinstance(error, NeedsOptions):
        error.field = (*at, "options")
    elif isinstance(error, MerchandiseNotFound):
        error.field = (*at, named_by)
        value = body.get("id") if named_by in ("productId", "variantId") else body.get("sku")
        error.message = messages.not_in_catalog(named_by, value)
    elif isinstance(error, InsufficientStock):
        error.field = (*at, "quantity")
    elif isinstance(error, LineNotFound):
        error.field = (*at, "id")
    else:
        error.field = at
    return error
