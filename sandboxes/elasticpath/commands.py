"""Cart item writes: products by id or sku, custom items, promotion codes, quantities.

Each function validates everything before it changes the cart, so a refused request
leaves the cart as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .catalog import Catalog
from .currencies import CURRENCIES, DEFAULT_CURRENCY
from .errors import (
    ApiError,
    bad_request,
    invalid_type,
    item_not_found,
    parent_product,
    product_not_found,
    promotion_not_found,
)
from .store import MAX_UNIQUE_ITEMS, AppliedPromotion, Cart, Line, new_id


def cart_currency(cart: Cart, header: str | None) -> str:
    """The currency new lines are priced in: the cart's once fixed, else the header's."""
    if header is not None and header.upper() not in CURRENCIES:
        raise bad_request(f"Currency {header} is not enabled for this store",
                          title="Invalid currency")
    wanted = header.upper() if header else None
    if cart.currency is None:
        return wanted or DEFAULT_CURRENCY.code
    if wanted is not None and wanted != cart.currency:
        raise ApiError(
            400, "Cart Currency Mismatch",
            f"The cart uses {cart.currency}, cannot add an item priced in {wanted}",
            meta={"cart_id": cart.id},
        )
    return cart.currency


def add_entry(
    cart: Cart, entry: Any, *, catalog: Catalog, now: datetime, currency_header: str | None
) -> None:
    """Add one `cart_item`, `custom_item` or `promotion_item` to the cart."""
    if not isinstance(entry, dict):
        raise invalid_type("object", entry)
    kind = entry.get("type")
    if kind == "cart_item":
        _add_product(cart, entry, catalog=catalog, now=now, header=currency_header)
    elif kind == "custom_item":
        _add_custom(cart, entry, now=now, header=currency_header)
    elif kind == "promotion_item":
        _add_promotion(cart, entry, catalog=catalog)
    else:
        raise bad_request("type must be one of cart_item, custom_item, promotion_item",
                          title="Invalid type")
    cart.touch(now)


def _quantity(value: Any, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_type("integer", value)
    if value < minimum:
        raise ApiError(400, "number_gte", f"Must be greater than or equal to {minimum}",
                       meta={"value": value})
    return value


def _custom_inputs(value: Any) -> dict[str, Any] | None:
    if value is None or isinstance(value, dict):
        return value
    raise invalid_type("object", value)


def _check_room(cart: Cart) -> None:
    if cart.unique_item_count() >= MAX_UNIQUE_ITEMS:
        raise ApiError(
            400, "Cart limit reached",
            f"A cart can contain a maximum of {MAX_UNIQUE_ITEMS} unique items",
            meta={"cart_id": cart.id},
        )


def _add_product(
    cart: Cart, entry: dict[str, Any], *, catalog: Catalog, now: datetime, header: str | None
) -> None:
    quantity = _quantity(entry.get("quantity"), minimum=1)
    custom_inputs = _custom_inputs(entry.get("custom_inputs"))
    if isinstance(entry.get("id"), str):
        product = catalog.product(entry["id"])
        ref = entry["id"]
    elif isinstance(entry.get("sku"), str):
        product = catalog.product_by_sku(entry["sku"])
        ref = entry["sku"]
    else:
        raise bad_request("Either id or sku is required for a cart_item", title="required")
    if product is None and catalog.parent(ref) is not None:
        raise parent_product(ref)
    if product is None:
        raise product_not_found(ref)
    currency = cart_currency(cart, header)
    if currency not in product.prices:
        raise bad_request(f"{product.name} has no price in {currency}",
                          title="Product price not found")
    # The same product with the same custom inputs is one line; different inputs split it.
    for line in cart.lines:
        if line.product_id == product.id and line.custom_inputs == custom_inputs:
            line.quantity += quantity
            line.updated_at = now
            return
    _check_room(cart)
    cart.currency = currency
    cart.lines.append(Line(
        id=new_id(), type="cart_item", sku=product.sku, name=product.name,
        description=product.description, quantity=quantity,
        unit_amount=product.prices[currency], includes_tax=product.includes_tax,
        created_at=now, updated_at=now, product_id=product.id, slug=product.slug,
        image_href=product.image_href, custom_inputs=custom_inputs,
    ))


# Above the complexity bound: one check per field of the vendor's custom item body.
def _add_custom(cart: Cart, entry: dict[str, Any], *, now: datetime, header: str | None) -> None:  # noqa: C901
    quantity = _quantity(entry.get("quantity"), minimum=1)
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise bad_request("name is required", title="required")
    price = entry.get("price")
    if not isinstance(price, dict):
        raise bad_request("price is required", title="required")
    amount = price.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise invalid_type("integer", amount)
    if amount < 0:
        raise ApiError(400, "number_gte", "Must be greater than or equal to 0",
                       meta={"value": amount})
    includes_tax = price.get("includes_tax", True)
    if not isinstance(includes_tax, bool):
        raise invalid_type("boolean", includes_tax)
    sku = entry.get("sku", "")
    description = entry.get("description", "")
    if not isinstance(sku, str):
        raise invalid_type("string", sku)
    if not isinstance(description, str):
        raise invalid_type("string", description)
    custom_inputs = _custom_inputs(entry.get("custom_inputs"))
    currency = cart_currency(cart, header)
    if sku:
        # Custom items sharing a sku merge into one line, keeping the first one's details.
        for line in cart.lines:
            if line.type == "custom_item" and line.sku == sku:
                line.quantity += quantity
                line.updated_at = now
                return
    _check_room(cart)
    cart.currency = currency
    cart.lines.append(Line(
        id=new_id(), type="custom_item", sku=sku, name=name, description=description,
        quantity=quantity, unit_amount=amount, includes_tax=includes_tax,
        created_at=now, updated_at=now, custom_inputs=custom_inputs,
    ))


def _add_promotion(cart: Cart, entry: dict[str, Any], *, catalog: Catalog) -> None:
    code = entry.get("code")
    if not isinstance(code, str) or not code:
        raise bad_request("code is required", title="required")
    if cart.custom_discounts_enabled:
        raise ApiError(422, "Could not apply EP promotion with the given code",
                       "The cart is configured to use custom discounts", meta={"code": code})
    promo = catalog.promotion(code)
    if promo is None:
        raise promotion_not_found(code)
    if any(p.code == promo.code for p in cart.promotions):
        return
    _check_room(cart)
    cart.promotions.append(AppliedPromotion(code=promo.code, promotion_item_id=new_id()))


def update_item(cart: Cart, item_id: str, data: Any, *, now: datetime) -> None:
    """Change a line's quantity (0 removes it) or custom inputs."""
    if not isinstance(data, dict):
        raise invalid_type("object", data)
    line = cart.line(item_id)
    if line is None:
        raise item_not_found(item_id)
    quantity = line.quantity
    if "quantity" in data:
        quantity = _quantity(data["quantity"], minimum=0)
    custom_inputs = line.custom_inputs
    if "custom_inputs" in data:
        custom_inputs = _custom_inputs(data["custom_inputs"])
    group_id = line.shipping_group_id
    if "shipping_group_id" in data:
        group_id = data["shipping_group_id"]
        if not isinstance(group_id, str) or not any(g.id == group_id
                                                    for g in cart.shipping_groups):
            raise ApiError(404, "Shipping groups not found",
                           "Shipping groups not found for this cart.",
                           meta={"cart_id": cart.id, "shipping_group_ids": [str(group_id)]})
    if quantity == 0:
        remove_item(cart, item_id, now=now)
        return
    line.shipping_group_id = group_id
    line.quantity = quantity
    line.custom_inputs = custom_inputs
    line.updated_at = now
    cart.touch(now)


def remove_item(cart: Cart, item_id: str, *, now: datetime) -> None:
    """Remove a product, custom or promotion item by its cart item id."""
    line = cart.line(item_id)
    if line is not None:
        cart.lines.remove(line)
    else:
        promo = next((p for p in cart.promotions if p.promotion_item_id == item_id), None)
        if promo is None:
            raise item_not_found(item_id)
        cart.promotions.remove(promo)
    if not cart.lines:
        cart.currency = None
    cart.touch(now)


def remove_promotion_code(cart: Cart, code: str, *, now: datetime) -> None:
    """Take a manually entered promotion code off the cart."""
    before = len(cart.promotions)
    cart.promotions[:] = [p for p in cart.promotions if p.code.upper() != code.upper()]
    if len(cart.promotions) != before:
        cart.touch(now)
