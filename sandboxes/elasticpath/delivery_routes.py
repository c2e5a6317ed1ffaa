"""Cart shipping groups and tax items (`/v2/carts/{id}/shipping-groups`, `/taxes`).

Elastic Path stores what the store sends: a shipping group's type and price, an
item's tax items. Items are linked to a group through the items endpoints
(``shipping_group_id``); a group's price counts in the cart's totals once an item is
linked to it. Tax items tax their item after its discounts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandboxes.json_answers import JSONResponse

from .context import data_of, existing, price, read_json, sandbox
from .delivery_state import ShippingGroup, TaxItem
from .errors import ApiError, bad_request, invalid_type, item_not_found
from .serialize import money, timestamp
from .store import Cart, new_id

ADDRESS_FIELDS = (
    "first_name", "last_name", "phone_number", "company_name", "line_1", "line_2", "city",
    "postcode", "county", "country", "region", "instructions",
)
MAX_TAX_ITEMS_PER_ITEM = 5


def _address(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid_type("object", value)
    address = {}
    for key in ADDRESS_FIELDS:
        if key in value:
            if not isinstance(value[key], str):
                raise bad_request(f"address.{key} must be a string", title="invalid_type")
            address[key] = value[key]
    if len(address.get("country", "")) != 2:
        raise bad_request("address.country must be a two-letter country code")
    return address


def _amount(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or value < 0 or (
        isinstance(value, Decimal) and value != value.to_integral_value()
    ):
        raise bad_request(f"shipping_price.{name} must be a whole amount in minor units")
    return int(value)


def not_found_group(group_id: str) -> ApiError:
    return ApiError(404, "Not Found", "Shipping group not found",
                    meta={"shipping_group_id": group_id})


def group_json(cart: Cart, group: ShippingGroup, currency: str) -> dict[str, Any]:
    """A ShippingGroupResponse."""
    return {
        "type": "shipping_group",
        "id": group.id,
        "relation": "cart",
        "cart_id": cart.id,
        "shipping_type": group.shipping_type,
        "tracking_reference": group.tracking_reference,
        "address": group.address,
        "createdAt": timestamp(group.created_at),
        "updatedAt": timestamp(group.updated_at),
        "relationships": {"cart": {"data": {"type": "cart", "id": cart.id}}},
        "meta": {
            "shipping_display_price": {
                "total": money(group.total, currency),
                "base": money(group.base, currency),
                "tax": money(0, currency),
                "fees": money(0, currency),
            }
        },
    }


def _apply(group: ShippingGroup, data: dict[str, Any]) -> None:
    if "shipping_type" in data:
        if not isinstance(data["shipping_type"], str):
            raise invalid_type("string", data["shipping_type"])
        group.shipping_type = data["shipping_type"]
    if "tracking_reference" in data:
        if not isinstance(data["tracking_reference"], str):
            raise invalid_type("string", data["tracking_reference"])
        group.tracking_reference = data["tracking_reference"]
    if "address" in data:
        group.address = _address(data["address"])
    price_data = data.get("shipping_price")
    if price_data is not None:
        if not isinstance(price_data, dict):
            raise invalid_type("object", price_data)
        group.total = _amount(price_data.get("total", 0), "total")
        group.base = _amount(price_data.get("base", price_data.get("total", 0)), "base")


def _group_data(body: dict[str, Any]) -> dict[str, Any]:
    data = data_of(body)
    if not isinstance(data, dict):
        raise invalid_type("object", data)
    if data.get("type") not in (None, "shipping_group"):
        raise bad_request("type must be shipping_group")
    return data


def _currency(request: Request, cart: Cart) -> str:
    return price(sandbox(request), cart).currency


async def create_group(request: Request) -> Response:
    """`POST /v2/carts/{id}/shipping-groups`: 201 with the group (no `data` envelope)."""
    state = sandbox(request)
    data = _group_data(await read_json(request))
    cart = existing(state, request.path_params["cart_id"])
    if "address" not in data:
        raise bad_request("address is required", title="required")
    now = state.clock()
    group = ShippingGroup(id=new_id(), shipping_type="", total=0, base=0, address={},
                          created_at=now, updated_at=now)
    _apply(group, data)
    cart.shipping_groups.append(group)
    cart.touch(now)
    return JSONResponse(group_json(cart, group, _currency(request, cart)), status_code=201)


async def list_groups(request: Request) -> Response:
    state = sandbox(request)
    cart = existing(state, request.path_params["cart_id"])
    currency = _currency(request, cart)
    return JSONResponse({"data": [group_json(cart, g, currency) for g in cart.shipping_groups]})


def _group(cart: Cart, group_id: str) -> ShippingGroup:
    group = next((g for g in cart.shipping_groups if g.id == group_id), None)
    if group is None:
        raise not_found_group(group_id)
    return group


async def get_group(request: Request) -> Response:
    state = sandbox(request)
    cart = existing(state, request.path_params["cart_id"])
    group = _group(cart, request.path_params["group_id"])
    return JSONResponse({"data": group_json(cart, group, _currency(request, cart))})


async def update_group(request: Request) -> Response:
    """`PUT .../shipping-groups/{id}`: 200 with the group (no `data` envelope)."""
    state = sandbox(request)
    data = _group_data(await read_json(request))
    cart = existing(state, request.path_params["cart_id"])
    group = _group(cart, request.path_params["group_id"])
    _apply(group, data)
    group.updated_at = state.clock()
    cart.touch(group.updated_at)
    return JSONResponse(group_json(cart, group, _currency(request, cart)))


async def delete_group(request: Request) -> Response:
    state = sandbox(request)
    cart = existing(state, request.path_params["cart_id"])
    group = _group(cart, request.path_params["group_id"])
    cart.shipping_groups.remove(group)
    for line in cart.lines:
        if line.shipping_group_id == group.id:
            line.shipping_group_id = None
    cart.touch(state.clock())
    return Response(status_code=204)


def tax_json(tax: TaxItem, item_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "tax_item", "id": tax.id, "name": tax.name,
                            "rate": tax.rate, "code": tax.code,
                            "jurisdiction": tax.jurisdiction}
    if item_id is not None:
        body["relationships"] = {"item": {"data": {"type": "cart_item", "id": item_id}}}
    return body


def _tax_item(data: Any) -> TaxItem:
    if not isinstance(data, dict):
        raise invalid_type("object", data)
    if data.get("type") != "tax_item":
        raise bad_request("type must be tax_item", title="required")
    rate = data.get("rate")
    if isinstance(rate, bool) or not isinstance(rate, int | Decimal) or not 0 <= rate <= 1:
        raise bad_request("rate must be a number from 0 to 1")
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise bad_request("name is required", title="required")
    return TaxItem(id=new_id(), name=name, rate=Decimal(rate),
                   code=str(data.get("code") or ""),
                   jurisdiction=str(data.get("jurisdiction") or ""))


def _add_tax(cart: Cart, item_id: str, tax: TaxItem) -> None:
    line = cart.line(item_id)
    if line is None:
        raise item_not_found(item_id)
    if len(line.tax_items) >= MAX_TAX_ITEMS_PER_ITEM:
        raise bad_request("A cart item can only have a maximum of five tax items")
    line.tax_items.append(tax)


async def add_item_tax(request: Request) -> Response:
    """`POST /v2/carts/{id}/items/{item}/taxes`."""
    state = sandbox(request)
    tax = _tax_item(data_of(await read_json(request)))
    cart = existing(state, request.path_params["cart_id"])
    _add_tax(cart, request.path_params["item_id"], tax)
    cart.touch(state.clock())
    return JSONResponse({"data": tax_json(tax)}, status_code=201)


async def bulk_add_taxes(request: Request) -> Response:
    """`POST /v2/carts/{id}/taxes`: every tax item names its item; all or nothing."""
    state = sandbox(request)
    data = data_of(await read_json(request))
    if not isinstance(data, list) or not data:
        raise bad_request("data must be a non-empty array of tax items")
    cart = existing(state, request.path_params["cart_id"])
    planned = []
    for entry in data:
        tax = _tax_item(entry)
        item = ((entry.get("relationships") or {}).get("item") or {}).get("data") or {}
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str) or cart.line(item_id) is None:
            raise item_not_found(str(item_id))
        planned.append((item_id, tax))
    counts: dict[str, int] = {}
    for item_id, _ in planned:
        counts[item_id] = counts.get(item_id, 0) + 1
        line = cart.line(item_id)
        if line is not None and len(line.tax_items) + counts[item_id] > MAX_TAX_ITEMS_PER_ITEM:
            raise bad_request("A cart item can only have a maximum of five tax items")
    for item_id, tax in planned:
        _add_tax(cart, item_id, tax)
    cart.touch(state.clock())
    return JSONResponse({"data": [tax_json(t, i) for i, t in planned]}, status_code=201)


async def delete_item_tax(request: Request) -> Response:
    """`DELETE /v2/carts/{id}/items/{item}/taxes/{tax}`."""
    state = sandbox(request)
    cart = existing(state, request.path_params["cart_id"])
    line = cart.line(request.path_params["item_id"])
    if line is None:
        raise item_not_found(request.path_params["item_id"])
    tax = next((t for t in line.tax_items if t.id == request.path_params["tax_id"]), None)
    if tax is None:
        raise ApiError(404, "Not Found", "Tax item not found")
    line.tax_items.remove(tax)
    cart.touch(state.clock())
    return Response(status_code=204)


async def delete_all_taxes(request: Request) -> Response:
    """`DELETE /v2/carts/{id}/taxes`: every tax item of every item."""
    state = sandbox(request)
    cart = existing(state, request.path_params["cart_id"])
    for line in cart.lines:
        line.tax_items.clear()
    cart.touch(state.clock())
    return Response(status_code=204)


def included_tax_items(cart: Cart) -> list[dict[str, Any]]:
    """`included.tax_items` of a cart read."""
    return [tax_json(t, line.id) for line in cart.lines for t in line.tax_items]


GROUPS = "/v2/carts/{cart_id}/shipping-groups"
ROUTES = [
    Route(GROUPS, list_groups, methods=["GET"]),
    Route(GROUPS, create_group, methods=["POST"]),
    Route(GROUPS + "/{group_id}", get_group, methods=["GET"]),
    Route(GROUPS + "/{group_id}", update_group, methods=["PUT"]),
    Route(GROUPS + "/{group_id}", delete_group, methods=["DELETE"]),
    Route("/v2/carts/{cart_id}/taxes", bulk_add_taxes, methods=["POST"]),
    Route("/v2/carts/{cart_id}/taxes", delete_all_taxes, methods=["DELETE"]),
    Route("/v2/carts/{cart_id}/items/{item_id}/taxes", add_item_tax, methods=["POST"]),
    Route("/v2/carts/{cart_id}/items/{item_id}/taxes/{tax_id}", delete_item_tax,
          methods=["DELETE"]),
]
