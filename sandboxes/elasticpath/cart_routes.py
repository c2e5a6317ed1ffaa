"""Routes for `/v2/carts`, cart items and promotion codes."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandboxes.json_answers import JSONResponse

from . import commands
from .cart_fields import apply_cart_fields
from .context import (
    SandboxState,
    base_url,
    data_of,
    existing_or_empty,
    includes,
    price,
    read_json,
    sandbox,
)
from .delivery_routes import included_tax_items
from .errors import ApiError, bad_request, invalid_type
from .serialize import cart_json, custom_discount_json, items_json, items_meta
from .store import Cart, new_cart, new_id

CURRENCY_HEADER = "x-moltin-currency"


def _items_response(
    request: Request, state: SandboxState, cart: Cart, *, status: int = 200,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    priced = price(state, cart, currency_header=request.headers.get(CURRENCY_HEADER))
    body: dict[str, Any] = {
        "data": items_json(priced, base_url=base_url(request)),
        "meta": items_meta(cart, priced),
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status)


def _cart_response(
    request: Request, state: SandboxState, cart: Cart, *, status: int = 200,
    include: set[str] | None = None,
) -> JSONResponse:
    priced = price(state, cart, currency_header=request.headers.get(CURRENCY_HEADER))
    body: dict[str, Any] = {"data": cart_json(cart, priced, base_url=base_url(request))}
    if include:
        included: dict[str, Any] = {}
        if "items" in include:
            included["items"] = items_json(priced, base_url=base_url(request))
        if "tax_items" in include:
            included["tax_items"] = included_tax_items(cart)
        if "custom_discounts" in include:
            included["custom_discounts"] = [
                custom_discount_json(cd, currency=priced.currency)
                for cd in cart.custom_discounts + [
                    cd for line in cart.lines for cd in line.custom_discounts
                ]
            ]
        if "promotions" in include:
            included["promotions"] = [
                {
                    "type": "promotion",
                    "id": promo.id,
                    "name": promo.name,
                    "description": promo.description,
                    "automatic": promo.automatic,
                    "promotion_type": promo.promotion_type,
                    "start": promo.start,
                    "end": promo.end,
                }
                for applied in cart.promotions
                if (promo := state.catalog.promotion(applied.code)) is not None
            ]
        body["included"] = included
    return JSONResponse(body, status_code=status)


def _page_param(request: Request, name: str, default: int, *, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise bad_request(f"{name} must be an integer between {low} and {high}")
    return int(raw)


async def list_carts(request: Request) -> Response:
    """`GET /v2/carts`: carts, the most recently updated first, paginated."""
    state = sandbox(request)
    limit = _page_param(request, "page[limit]", 25, low=1, high=100)
    offset = _page_param(request, "page[offset]", 0, low=0, high=10000)
    carts = state.carts.all(state.clock())
    page = carts[offset:offset + limit]
    url = f"{base_url(request)}/v2/carts"
    last_offset = max(0, (len(carts) - 1) // limit * limit)
    body = {
        "data": [cart_json(c, price(state, c), base_url=base_url(request)) for c in page],
        "links": {
            "current": f"{url}?page[offset]={offset}&page[limit]={limit}",
            "first": f"{url}?page[offset]=0&page[limit]={limit}",
            "last": f"{url}?page[offset]={last_offset}&page[limit]={limit}",
            "next": f"{url}?page[offset]={offset + limit}&page[limit]={limit}"
            if offset + limit < len(carts) else None,
            "prev": f"{url}?page[offset]={max(0, offset - limit)}&page[limit]={limit}"
            if offset > 0 else None,
        },
        "meta": {
            "page": {"current": offset // limit + 1, "limit": limit, "offset": offset,
                     "total": max(1, -(-len(carts) // limit))},
            "results": {"total": len(carts)},
        },
    }
    return JSONResponse(body)


async def create_cart(request: Request) -> Response:
    """`POST /v2/carts`: a new cart with a generated id."""
    state = sandbox(request)
    body = await read_json(request)
    now = state.clock()
    cart = new_cart(new_id(), settings=state.settings, now=now)
    apply_cart_fields(cart, body.get("data"), now=now)
    state.carts.put(cart)
    return _cart_response(request, state, cart, status=201)


async def get_cart(request: Request) -> Response:
    """`GET /v2/carts/{id}`: an unknown id answers with an empty cart, creating nothing."""
    state = sandbox(request)
    cart = existing_or_empty(state, request.path_params["cart_id"])
    return _cart_response(request, state, cart, include=includes(request))


async def update_cart(request: Request) -> Response:
    """`PUT /v2/carts/{id}`: name, description, settings, contact, preview date..."""
    state = sandbox(request)
    body = await read_json(request)
    cart = existing_or_empty(state, request.path_params["cart_id"])
    apply_cart_fields(cart, data_of(body), now=state.clock())
    state.carts.put(cart)
    return _cart_response(request, state, cart)


async def delete_cart(request: Request) -> Response:
    """`DELETE /v2/carts/{id}`."""
    sandbox(request).carts.delete(request.path_params["cart_id"])
    return Response(status_code=204)


async def get_items(request: Request) -> Response:
    """`GET /v2/carts/{id}/items`."""
    state = sandbox(request)
    cart = existing_or_empty(state, request.path_params["cart_id"])
    return _items_response(request, state, cart)


async def add_items(request: Request) -> Response:
    """`POST /v2/carts/{id}/items`: one item, or `data: [...]` to bulk add."""
    state = sandbox(request)
    body = await read_json(request)
    data = data_of(body)
    cart = existing_or_empty(state, request.path_params["cart_id"])
    header = request.headers.get(CURRENCY_HEADER)
    now = state.clock()
    if not isinstance(data, list):
        commands.add_entry(cart, data, catalog=state.catalog, now=now, currency_header=header)
        state.carts.put(cart)
        return _items_response(request, state, cart, status=201)

    options = body.get("options") or {}
    all_or_nothing = isinstance(options, dict) and options.get("add_all_or_nothing") is True
    # Bulk adds work on a copy that replaces the cart only once every entry is through.
    draft = copy.deepcopy(cart)
    errors: list[dict[str, Any]] = []
    for entry in data:
        try:
            commands.add_entry(draft, entry, catalog=state.catalog, now=now,
                               currency_header=header)
        except ApiError as exc:
            errors.append(exc.body())
    if errors and all_or_nothing:
        raise ApiError(400, "Add all or nothing.",
                       "Add all or nothing set to (true). Could not bulk add items to cart.")
    state.carts.put(draft)
    return _items_response(request, state, draft, status=201, errors=errors)


async def bulk_update_items(request: Request) -> Response:
    """`PUT /v2/carts/{id}/items`: several quantities at once."""
    state = sandbox(request)
    body = await read_json(request)
    data = data_of(body)
    if not isinstance(data, list):
        raise invalid_type("array", data)
    options = body.get("options") or {}
    all_or_nothing = not (isinstance(options, dict)
                          and options.get("update_all_or_nothing") is False)
    cart = existing_or_empty(state, request.path_params["cart_id"])
    draft = copy.deepcopy(cart)
    now = state.clock()
    errors: list[dict[str, Any]] = []
    for entry in data:
        try:
            item_id = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(item_id, str):
                raise bad_request("id is required", title="required")
            commands.update_item(draft, item_id, entry, now=now)
        except ApiError as exc:
            errors.append(exc.body())
    if errors and all_or_nothing:
        return JSONResponse({"errors": errors}, status_code=int(errors[0]["status"]))
    state.carts.put(draft)
    return _items_response(request, state, draft, errors=errors)


async def delete_items(request: Request) -> Response:
    """`DELETE /v2/carts/{id}/items`: empties the cart, which stays."""
    state = sandbox(request)
    cart = state.carts.get(request.path_params["cart_id"], state.clock())
    if cart is not None:
        cart.clear(state.clock())
    return Response(status_code=204)


async def update_item(request: Request) -> Response:
    """`PUT /v2/carts/{id}/items/{item_id}`."""
    state = sandbox(request)
    body = await read_json(request)
    cart = existing_or_empty(state, request.path_params["cart_id"])
    commands.update_item(cart, request.path_params["item_id"], data_of(body), now=state.clock())
    state.carts.put(cart)
    return _items_response(request, state, cart)


async def delete_item(request: Request) -> Response:
    """`DELETE /v2/carts/{id}/items/{item_id}`."""
    state = sandbox(request)
    cart = existing_or_empty(state, request.path_params["cart_id"])
    commands.remove_item(cart, request.path_params["item_id"], now=state.clock())
    state.carts.put(cart)
    return _items_response(request, state, cart)


async def delete_promotion_code(request: Request) -> Response:
    """`DELETE /v2/carts/{id}/discounts/{code}`."""
    state = sandbox(request)
    cart = state.carts.get(request.path_params["cart_id"], state.clock())
    if cart is not None:
        commands.remove_promotion_code(cart, request.path_params["code"], now=state.clock())
    return Response(status_code=204)


ROUTES = [
    Route("/v2/carts", list_carts, methods=["GET"]),
    Route("/v2/carts", create_cart, methods=["POST"]),
    Route("/v2/carts/{cart_id}", get_cart, methods=["GET"]),
    Route("/v2/carts/{cart_id}", update_cart, methods=["PUT"]),
    Route("/v2/carts/{cart_id}", delete_cart, methods=["DELETE"]),
    Route("/v2/carts/{cart_id}/items", get_items, methods=["GET"]),
    Route("/v2/carts/{cart_id}/items", add_items, methods=["POST"]),
    Route("/v2/carts/{cart_id}/items", bulk_update_items, methods=["PUT"]),
    Route("/v2/carts/{cart_id}/items", delete_items, methods=["DELETE"]),
    Route("/v2/carts/{cart_id}/items/{item_id}", update_item, methods=["PUT"]),
    Route("/v2/carts/{cart_id}/items/{item_id}", delete_item, methods=["DELETE"]),
    Route("/v2/carts/{cart_id}/discounts/{code}", delete_promotion_code, methods=["DELETE"]),
]
