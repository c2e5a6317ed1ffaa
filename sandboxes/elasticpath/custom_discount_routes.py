"""Custom discounts from an external engine, on the cart and on its items."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandboxes.json_answers import JSONResponse

from .context import SandboxState, data_of, existing, price, read_json, sandbox
from .errors import ApiError, bad_request, invalid_type, item_not_found
from .serialize import custom_discount_json
from .store import MAX_CUSTOM_DISCOUNTS, Cart, CustomDiscount, new_id

_TEXT_FIELDS = ("description", "discount_code", "discount_engine", "external_id")


def _check_enabled(cart: Cart) -> None:
    if not cart.custom_discounts_enabled:
        raise bad_request("Custom discounts not enabled for this cart")


def _amount(value: Any) -> int:
    # The amount may come bare or as the `{amount, currency, formatted}` object.
    if isinstance(value, dict):
        value = value.get("amount")
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_type("integer", value)
    if value >= 0:
        raise ApiError(400, "number_lt", "Must be less than 0", meta={"value": value})
    return value


# Above the complexity bound: one check per field of the vendor's custom discount body.
def _new_discount(cart: Cart, entry: Any, *, item_id: str | None) -> CustomDiscount:  # noqa: C901
    """Validate one discount; `item_id` comes from the path or `relationships.item`."""
    if not isinstance(entry, dict):
        raise invalid_type("object", entry)
    for key in (*_TEXT_FIELDS, "amount", "type"):
        if key not in entry:
            raise bad_request(f"{key} is required", title="required")
    if entry["type"] != "custom_discount":
        raise bad_request("type must be custom_discount", title="Invalid type")
    for key in _TEXT_FIELDS:
        if not isinstance(entry[key], str):
            raise invalid_type("string", entry[key])
    item_type = None
    related = (entry.get("relationships") or {}).get("item", {}).get("data")
    if item_id is None and isinstance(related, dict):
        item_id, item_type = related.get("id"), related.get("type")
    if item_id is not None:
        line = cart.line(item_id)
        if line is None:
            raise ApiError(404, "Custom discount not added to cart item.",
                           "Cart Item is not present in the cart.", meta={"id": item_id})
        if item_type is not None and item_type != line.type:
            raise ApiError(
                404, "Custom discount not added to cart item.",
                f"Mismatch between bulk custom discount type ({item_type}) and cart item "
                f"type ({line.type}).", meta={"id": item_id},
            )
        item_type = line.type
    return CustomDiscount(
        id=new_id(), amount=_amount(entry["amount"]), description=entry["description"],
        discount_code=entry["discount_code"], discount_engine=entry["discount_engine"],
        external_id=entry["external_id"], item_id=item_id, item_type=item_type,
    )


def _attach(cart: Cart, discount: CustomDiscount) -> None:
    if discount.item_id is None:
        target = cart.custom_discounts
        detail = "Custom discount limit reached for this cart"
    else:
        line = cart.line(discount.item_id)
        assert line is not None  # _new_discount checked that the line exists
        target = line.custom_discounts
        detail = "Custom discount limit reached for this cart item"
    if len(target) >= MAX_CUSTOM_DISCOUNTS:
        raise ApiError(422, "Limit Reached", detail)
    target.append(discount)


def _find(cart: Cart, discount_id: str, item_id: str | None) -> tuple[list[CustomDiscount],
                                                                      CustomDiscount]:
    if item_id is None:
        pool = cart.custom_discounts
    else:
        line = cart.line(item_id)
        if line is None:
            raise item_not_found(item_id)
        pool = line.custom_discounts
    found = next((cd for cd in pool if cd.id == discount_id), None)
    if found is None:
        raise ApiError(404, "Not Found", "Custom discount not found", meta={"id": discount_id})
    return pool, found


def _writable_cart(state: SandboxState, cart_id: str) -> Cart:
    cart = existing(state, cart_id)
    _check_enabled(cart)
    if not cart.lines:
        raise bad_request("You cannot add custom discounts to an empty cart")
    return cart


async def add_to_cart(request: Request) -> Response:
    """`POST /v2/carts/{id}/custom-discounts`: one discount or `data: [...]`."""
    state = sandbox(request)
    data = data_of(await read_json(request))
    cart = _writable_cart(state, request.path_params["cart_id"])
    entries = data if isinstance(data, list) else [data]
    discounts = [_new_discount(cart, entry, item_id=None) for entry in entries]
    # Limits are checked against a tally first so that nothing is attached on a refusal.
    tally: dict[str | None, int] = {}
    for cd in discounts:
        tally[cd.item_id] = tally.get(cd.item_id, 0) + 1
        line = cart.line(cd.item_id) if cd.item_id else None
        held = len(line.custom_discounts) if line else len(cart.custom_discounts)
        if held + tally[cd.item_id] > MAX_CUSTOM_DISCOUNTS:
            raise ApiError(422, "Limit Reached", "Custom discount limit reached for this cart")
    for cd in discounts:
        _attach(cart, cd)
    cart.touch(state.clock())
    currency = price(state, cart).currency
    shown = [custom_discount_json(cd, currency=currency) for cd in discounts]
    return JSONResponse({"data": shown if isinstance(data, list) else shown[0]},
                        status_code=201)


async def add_to_item(request: Request) -> Response:
    """`POST /v2/carts/{id}/items/{item_id}/custom-discounts`."""
    state = sandbox(request)
    data = data_of(await read_json(request))
    cart = _writable_cart(state, request.path_params["cart_id"])
    item_id = request.path_params["item_id"]
    if cart.line(item_id) is None:
        raise item_not_found(item_id)
    discount = _new_discount(cart, data, item_id=item_id)
    _attach(cart, discount)
    cart.touch(state.clock())
    currency = price(state, cart).currency
    return JSONResponse({"data": custom_discount_json(discount, currency=currency)},
                        status_code=201)


async def update(request: Request) -> Response:
    """`PUT` a cart's or an item's custom discount."""
    state = sandbox(request)
    data = data_of(await read_json(request))
    if not isinstance(data, dict):
        raise invalid_type("object", data)
    cart = existing(state, request.path_params["cart_id"])
    _check_enabled(cart)
    _, found = _find(cart, request.path_params["discount_id"],
                     request.path_params.get("item_id"))
    amount = _amount(data["amount"]) if "amount" in data else found.amount
    texts = {k: data.get(k, getattr(found, k)) for k in _TEXT_FIELDS}
    for value in texts.values():
        if not isinstance(value, str):
            raise invalid_type("string", value)
    found.amount = amount
    for key, value in texts.items():
        setattr(found, key, value)
    cart.touch(state.clock())
    currency = price(state, cart).currency
    return JSONResponse({"data": custom_discount_json(found, currency=currency)})


async def delete_one(request: Request) -> Response:
    """`DELETE` a cart's or an item's custom discount."""
    state = sandbox(request)
    cart = existing(state, request.path_params["cart_id"])
    pool, found = _find(cart, request.path_params["discount_id"],
                        request.path_params.get("item_id"))
    pool.remove(found)
    cart.touch(state.clock())
    return Response(status_code=204)


async def delete_all(request: Request) -> Response:
    """`DELETE /v2/carts/{id}/custom-discounts`: the cart-level ones."""
    state = sandbox(request)
    cart = state.carts.get(request.path_params["cart_id"], state.clock())
    if cart is not None and cart.custom_discounts:
        cart.custom_discounts.clear()
        cart.touch(state.clock())
    return Response(status_code=204)


_CART = "/v2/carts/{cart_id}"
ROUTES = [
    Route(f"{_CART}/custom-discounts", add_to_cart, methods=["POST"]),
    Route(f"{_CART}/custom-discounts", delete_all, methods=["DELETE"]),
    Route(f"{_CART}/custom-discounts/{{discount_id}}", update, methods=["PUT"]),
    Route(f"{_CART}/custom-discounts/{{discount_id}}", delete_one, methods=["DELETE"]),
    Route(f"{_CART}/items/{{item_id}}/custom-discounts", add_to_item, methods=["POST"]),
    Route(f"{_CART}/items/{{item_id}}/custom-discounts/{{discount_id}}", update,
          methods=["PUT"]),
    Route(f"{_CART}/items/{{item_id}}/custom-discounts/{{discount_id}}", delete_one,
          methods=["DELETE"]),
]
