"""The checkout read, consignments and billing address (checkouts.v3).

A cart's id is also its checkout's id. Consignments answer with the whole Checkout;
``include=consignments.available_shipping_options`` adds the options the consignment's
country is offered (see shipping.py). Every change moves the cart's version on.
"""

from __future__ import annotations

import uuid
from typing import Any

import simplejson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .context import envelope, include_of, sandbox
from .errors import bad_request, not_found, unprocessable
from .fields import decode_body, parse_version
from .pricing import price_cart
from .serialize import checkout_json
from .shipping import methods_for
from .state import Cart, Consignment

CHECKOUT = "/stores/{store_hash}/v3/checkouts/{checkoutId}"
_ADDRESS_TEXT = (
    "first_name", "last_name", "email", "company", "address1", "address2", "city",
    "state_or_province", "state_or_province_code", "country_code", "postal_code", "phone",
)


def parse_address(value: Any, prefix: str, required: tuple[str, ...]) -> dict[str, Any]:
    """An Address Properties object: known text fields only, the required ones present."""
    if not isinstance(value, dict):
        raise unprocessable(prefix, f"{prefix} must be an object")
    address: dict[str, Any] = {}
    for key in _ADDRESS_TEXT:
        item = value.get(key)
        if item is None:
            continue
        if not isinstance(item, str):
            raise unprocessable(f"{prefix}.{key}", f"{key} must be a string")
        address[key] = item
    for key in required:
        if key not in address:
            raise unprocessable(f"{prefix}.{key}", f"{key} is required")
    if len(address.get("country_code", "")) != 2:
        raise unprocessable(f"{prefix}.country_code", "country_code must be two letters")
    address["country_code"] = address["country_code"].upper()
    return address


def _line_ids(cart: Cart, items: Any, prefix: str) -> list[str]:
    if not isinstance(items, list) or not items:
        raise unprocessable(prefix, "line_items must list the items to ship")
    physical = {line.id for line in cart.product_lines}
    ids = []
    for item in items:
        item_id = item.get("item_id") if isinstance(item, dict) else None
        if item_id not in physical:
            raise unprocessable(prefix, f"Line item {item_id!r} is not a physical item")
        ids.append(str(item_id))
    return ids


def _answer(request: Request, cart: Cart) -> Response:
    catalog = sandbox(request).catalog
    return envelope(checkout_json(price_cart(cart, catalog), include_of(request)))


async def _checkout_at_version(request: Request, *,
                               required: bool) -> tuple[dict[str, Any], Cart]:
    """The body, then the checkout's cart at the body's version; nothing awaits after."""
    body = decode_body(await request.body(), required=required)
    cart = sandbox(request).carts.require(request.path_params["checkoutId"], parse_version(body))
    return body, cart


def _changed(request: Request, cart: Cart) -> Response:
    sandbox(request).carts.touch(cart)
    return _answer(request, cart)


def _consignment_of(request: Request, cart: Cart) -> Consignment:
    wanted = request.path_params["consignmentId"]
    found = next((c for c in cart.consignments if c.id == wanted), None)
    if found is None:
        raise not_found("Consignment not found")
    return found


async def read(request: Request) -> Response:
    """`GET /checkouts/{checkoutId}`."""
    return _answer(request, sandbox(request).carts.require(request.path_params["checkoutId"]))


async def add_consignments(request: Request) -> Response:
    """`POST .../consignments`: an array of consignments, each an address and its lines."""
    store = sandbox(request).carts
    raw = await request.body()
    try:
        body = simplejson.loads(raw, use_decimal=True)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request("Syntax error") from exc
    if not isinstance(body, list) or not body or not all(isinstance(c, dict) for c in body):
        raise bad_request("The request body must be an array of consignments")
    versions = {parse_version(c) for c in body} - {None}
    cart = store.require(request.path_params["checkoutId"],
                         versions.pop() if len(versions) == 1 else None)
    added = [
        Consignment(
            id=uuid.uuid4().hex[:13],
            address=parse_address(c.get("address"), "address",
                                  ("email", "country_code", "state_or_province",
                                   "postal_code")),
            line_item_ids=_line_ids(cart, c.get("line_items"), "line_items"),
        )
        for c in body
    ]
    cart.consignments.extend(added)
    return _changed(request, cart)


async def update_consignment(request: Request) -> Response:
    """`PUT .../consignments/{consignmentId}`: address, lines or shipping option."""
    body, cart = await _checkout_at_version(request, required=True)
    consignment = _consignment_of(request, cart)
    address = consignment.address
    if body.get("address") is not None:
        address = parse_address(body["address"], "address", ("email", "country_code"))
    line_ids = consignment.line_item_ids
    if body.get("line_items") is not None:
        line_ids = _line_ids(cart, body["line_items"], "line_items")
    option = consignment.shipping_option_id
    if body.get("shipping_option_id") is not None:
        option = str(body["shipping_option_id"])
        if option not in {m.id for m in methods_for(address["country_code"])}:
            raise unprocessable("shipping_option_id",
                                "The shipping option is not available to this consignment")
    elif address != consignment.address:
        option = None  # a new address is quoted afresh
    consignment.address, consignment.line_item_ids = address, line_ids
    consignment.shipping_option_id = option
    return _changed(request, cart)


async def delete_consignment(request: Request) -> Response:
    """`DELETE .../consignments/{consignmentId}`."""
    _, cart = await _checkout_at_version(request, required=False)
    cart.consignments.remove(_consignment_of(request, cart))
    return _changed(request, cart)


async def set_billing_address(request: Request) -> Response:
    """`POST .../billing-address` and `PUT .../billing-address/{addressId}`."""
    body, cart = await _checkout_at_version(request, required=True)
    address = parse_address(body, "", ("email", "country_code"))
    cart.billing_address = {**address, "id": cart.id}
    return _changed(request, cart)


ROUTES = [
    Route(CHECKOUT, read, methods=["GET"]),
    Route(CHECKOUT + "/consignments", add_consignments, methods=["POST"]),
    Route(CHECKOUT + "/consignments/{consignmentId}", update_consignment, methods=["PUT"]),
    Route(CHECKOUT + "/consignments/{consignmentId}", delete_consignment, methods=["DELETE"]),
    Route(CHECKOUT + "/billing-address", set_billing_address, methods=["POST"]),
    Route(CHECKOUT + "/billing-address/{addressId}", set_billing_address, methods=["PUT"]),
]
