"""Cart changes: resolving requested items against the catalog and applying them.

Every function validates everything first and mutates only once nothing can fail,
so a rejected request leaves the cart exactly as it was.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from .catalog import Catalog, Product, Variant
from .errors import ApiError, not_found, unprocessable
from .gift_wrapping import check_wrapping
from .parsing import CartCreateRequest, ItemsRequest, LineItemRequest, OptionSelectionRequest
from .pricing import price_cart, quantize
from .state import Cart, CustomLine, GiftCertificateLine, ProductLine, SelectedOption
from .store import CartStore


def _new_id() -> str:
    return str(uuid.uuid4())


# Above the complexity bound: the vendor's rules for picking a variant, one check per rule.
def _variant_for(request: LineItemRequest, product: Product, field: str) -> Variant:  # noqa: C901
    chosen = {s.option_id: s.value_id for s in request.option_selections}
    for i, selection in enumerate(request.option_selections):
        values = product.option_values.get(selection.option_id)
        path = f"{field}.option_selections.{i}"
        if values is None:
            raise unprocessable(
                f"{path}.option_id", f"Product {product.id} has no option {selection.option_id}"
            )
        if selection.value_id not in values:
            message = f"Option {selection.option_id} has no value {selection.value_id}"
            raise unprocessable(f"{path}.option_value", message)
    if request.variant_id is not None:
        variant = product.variant(request.variant_id)
        if variant is None:
            message = f"Product {product.id} has no variant {request.variant_id}"
            raise unprocessable(f"{field}.variant_id", message)
        if any(chosen.get(ov.option_id, ov.id) != ov.id for ov in variant.option_values):
            message = f"option_selections do not match variant {variant.id}"
            raise unprocessable(f"{field}.option_selections", message)
        return variant
    if not product.option_values:
        return product.variants[0]
    if set(chosen) != set(product.option_values):
        message = f"Product {product.id} needs a variant_id or a value for every option"
        raise unprocessable(f"{field}.variant_id", message)
    wanted = set(chosen.items())
    for variant in product.variants:
        if {(ov.option_id, ov.id) for ov in variant.option_values} == wanted:
            return variant
    raise unprocessable(f"{field}.option_selections", "No variant has these option values")


def _override(
    overrides: dict[int, OptionSelectionRequest], option_id: int, attr: str
) -> str | None:
    selection = overrides.get(option_id)
    return None if selection is None else getattr(selection, attr)


def resolve_line(
    request: LineItemRequest, catalog: Catalog, currency: str, field: str
) -> ProductLine:
    """A new product line for a request, or a 422 naming what the catalog lacks."""
    product = catalog.products.get(request.product_id)
    if product is None:
        message = f"Product with id {request.product_id} not found"
        raise unprocessable(f"{field}.product_id", message)
    variant = _variant_for(request, product, field)
    overrides = {s.option_id: s for s in request.option_selections}
    options = tuple(
        SelectedOption(
            name=_override(overrides, ov.option_id, "name") or ov.option_display_name,
            name_id=ov.option_id,
            value=_override(overrides, ov.option_id, "value") or ov.label,
            value_id=ov.id,
        )
        for ov in variant.option_values
    )
    override = None if request.list_price is None else quantize(request.list_price, currency)
    check_wrapping(request.gift_wrapping, product.is_digital, field)
    return ProductLine(
        id=_new_id(),
        product_id=product.id,
        variant_id=variant.id,
        quantity=request.quantity,
        list_price_override=override,
        name_override=request.name,
        options=options,
        gift_wrapping=request.gift_wrapping,
    )


def add_items(cart: Cart, items: ItemsRequest, catalog: Catalog) -> None:
    """Add lines to a cart; a product line equal to an existing one adds to its quantity."""
    currency = cart.currency
    lines = [
        resolve_line(r, catalog, currency, f"line_items.{i}")
        for i, r in enumerate(items.line_items)
    ]
    for line in lines:
        same = next((p for p in cart.product_lines if p.merge_key() == line.merge_key()), None)
        if same is None:
            cart.product_lines.append(line)
        else:
            same.quantity += line.quantity
    cart.custom_lines.extend(
        CustomLine(
            id=_new_id(),
            sku=c.sku,
            name=c.name,
            quantity=c.quantity,
            list_price=quantize(c.list_price, currency),
            image_url=c.image_url,
        )
        for c in items.custom_items
    )
    cart.gift_certificate_lines.extend(
        GiftCertificateLine(
            id=_new_id(),
            name=g.name,
            theme=g.theme,
            amount=quantize(g.amount, currency),
            quantity=g.quantity,
            sender=g.sender,
            recipient=g.recipient,
            message=g.message,
        )
        for g in items.gift_certificates
    )


def create_cart(request: CartCreateRequest, catalog: Catalog, store: CartStore) -> Cart:
    """A new cart at version 1 holding the requested items, kept in the store."""
    if request.currency not in catalog.currencies:
        raise ApiError(400, f"Currency {request.currency} is not a transactional currency")
    now = store.now()
    cart = Cart(
        id=_new_id(),
        customer_id=request.customer_id,
        channel_id=request.channel_id,
        currency=request.currency,
        locale=request.locale,
        created_time=now,
        updated_time=now,
    )
    add_items(cart, request.items, catalog)
    store.add(cart)
    return cart


def update_line(cart: Cart, item_id: str, request: LineItemRequest, catalog: Catalog) -> None:
    """Change a product line's quantity or list price; its product and variant stay."""
    line = next((p for p in cart.product_lines if p.id == item_id), None)
    if line is None:
        others = [c.id for c in cart.custom_lines] + [g.id for g in cart.gift_certificate_lines]
        if item_id in others:
            raise unprocessable("line_item", "Custom items and gift certificates cannot be updated")
        raise not_found("Line item not found")
    if request.product_id != line.product_id:
        raise unprocessable("line_item.product_id", "product_id does not match the line item")
    resolved = line
    if request.variant_id is not None or request.option_selections:
        resolved = resolve_line(request, catalog, cart.currency, "line_item")
        if resolved.variant_id != line.variant_id:
            message = "To change the variant, remove the line item and add it again"
            raise unprocessable("line_item.variant_id", message)
    line.quantity = request.quantity
    line.options = resolved.options
    if request.list_price is not None:
        line.list_price_override = quantize(request.list_price, cart.currency)
    if request.name is not None:
        line.name_override = request.name
    if request.gift_wrapping is not None:
        check_wrapping(request.gift_wrapping, catalog.products[line.product_id].is_digital,
                       "line_item")
        line.gift_wrapping = request.gift_wrapping


def remove_line(cart: Cart, item_id: str) -> None:
    """Remove a line of any kind from the cart."""
    kept_products = [p for p in cart.product_lines if p.id != item_id]
    kept_customs = [c for c in cart.custom_lines if c.id != item_id]
    kept_gifts = [g for g in cart.gift_certificate_lines if g.id != item_id]
    removed = (
        len(cart.product_lines) + len(cart.custom_lines) + len(cart.gift_certificate_lines)
    ) - (len(kept_products) + len(kept_customs) + len(kept_gifts))
    if not removed:
        raise not_found("Line item not found")
    cart.product_lines[:] = kept_products
    cart.custom_lines[:] = kept_customs
    cart.gift_certificate_lines[:] = kept_gifts


def set_customer(cart: Cart, customer_id: int) -> None:
    """Give the cart to another customer; like BigCommerce, that drops its coupons."""
    if customer_id != cart.customer_id:
        cart.coupon_codes.clear()
    cart.customer_id = customer_id


def apply_coupon(cart: Cart, code: str, catalog: Catalog) -> bool:
    """Add a coupon code; False when it is already applied (nothing changes)."""
    coupon = catalog.coupon(code)
    if coupon is None:
        raise ApiError(400, "Invalid coupon code", detail=f"Coupon code `{code}` is invalid")
    if coupon.code in cart.coupon_codes:
        return False
    trial = replace(cart, coupon_codes=[*cart.coupon_codes, coupon.code])
    _, given = price_cart(trial, catalog).coupon_totals[-1]
    if given <= 0:
        detail = f"Coupon code `{code}` is not eligible for this checkout"
        raise ApiError(400, "Incorrect or mismatch", detail=detail)
    cart.coupon_codes.append(coupon.code)
    return True


def remove_coupon(cart: Cart, code: str) -> None:
    """Take a coupon code off the cart."""
    for index, applied in enumerate(cart.coupon_codes):
        if applied.upper() == code.upper():
            del cart.coupon_codes[index]
            return
    raise not_found("Coupon not found")
