"""The Carts v3 cart and line item endpoints.

Each handler awaits the request body first and then reads, checks the version and
writes without awaiting again: on one event loop that makes every write atomic.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .context import envelope, include_of, sandbox
from .errors import unprocessable
from .fields import decode_body, parse_version
from .operations import add_items, create_cart, remove_line, set_customer, update_line
from .parsing import parse_cart_create, parse_customer_update, parse_items, parse_line_item_update
from .pricing import price_cart
from .serialize import REDIRECT_URLS, cart_json, redirect_urls
from .state import Cart

CARTS = "/stores/{store_hash}/v3/carts"


def _answer(request: Request, cart: Cart, status_code: int) -> Response:
    state = sandbox(request)
    include = include_of(request)
    urls = None
    if REDIRECT_URLS in include:
        urls = redirect_urls(state.store_url, cart.id, {})
    return envelope(cart_json(price_cart(cart, state.catalog), include, urls), status_code)


async def create(request: Request) -> Response:
    """`POST /carts`."""
    state = sandbox(request)
    body = decode_body(await request.body(), required=True)
    cart = create_cart(parse_cart_create(body), state.catalog, state.carts)
    return _answer(request, cart, 201)


async def read(request: Request) -> Response:
    """`GET /carts/{cartId}`."""
    return _answer(request, sandbox(request).carts.require(request.path_params["cartId"]), 200)


async def update_customer(request: Request) -> Response:
    """`PUT /carts/{cartId}`: the cart's customer."""
    store = sandbox(request).carts
    body = decode_body(await request.body(), required=True)
    customer_id, version = parse_customer_update(body)
    cart = store.require(request.path_params["cartId"], version)
    set_customer(cart, customer_id)
    store.touch(cart)
    return _answer(request, cart, 201)  # the spec documents 201 for this PUT


async def delete(request: Request) -> Response:
    """`DELETE /carts/{cartId}`."""
    store = sandbox(request).carts
    cart = store.require(request.path_params["cartId"])
    store.delete(cart.id)
    return Response(status_code=204)


async def add(request: Request) -> Response:
    """`POST /carts/{cartId}/items`: line, custom and gift certificate items."""
    state = sandbox(request)
    body = decode_body(await request.body(), required=True)
    items = parse_items(body)
    if items.is_empty:
        raise unprocessable("line_items", "Nothing to add: no line, custom or gift items")
    cart = state.carts.require(request.path_params["cartId"], items.version)
    add_items(cart, items, state.catalog)
    state.carts.touch(cart)
    return _answer(request, cart, 201)


async def update_item(request: Request) -> Response:
    """`PUT /carts/{cartId}/items/{itemId}`."""
    state = sandbox(request)
    body = decode_body(await request.body(), required=True)
    line_item, version = parse_line_item_update(body)
    cart = state.carts.require(request.path_params["cartId"], version)
    update_line(cart, request.path_params["itemId"], line_item, state.catalog)
    state.carts.touch(cart)
    return _answer(request, cart, 200)


async def delete_item(request: Request) -> Response:
    """`DELETE /carts/{cartId}/items/{itemId}`; the last item's removal deletes the cart."""
    store = sandbox(request).carts
    body = decode_body(await request.body(), required=False)
    cart = store.require(request.path_params["cartId"], parse_version(body))
    remove_line(cart, request.path_params["itemId"])
    if cart.is_empty:
        store.delete(cart.id)  # BigCommerce deletes a cart once its last item goes
        return Response(status_code=204)
    store.touch(cart)
    return _answer(request, cart, 200)


async def create_redirect_urls(request: Request) -> Response:
    """`POST /carts/{cartId}/redirect_urls`, with optional `query_params`."""
    state = sandbox(request)
    body = decode_body(await request.body(), required=False)
    params = body.get("query_params") or {}
    if not isinstance(params, dict) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in params.values()
    ):
        raise unprocessable("query_params", "query_params must map names to strings")
    cart = state.carts.require(request.path_params["cartId"])
    query = {str(k): str(v) for k, v in params.items()}
    return envelope(redirect_urls(state.store_url, cart.id, query), 201)


ROUTES = [
    Route(CARTS, create, methods=["POST"]),
    Route(CARTS + "/{cartId}", read, methods=["GET"]),
    Route(CARTS + "/{cartId}", update_customer, methods=["PUT"]),
    Route(CARTS + "/{cartId}", delete, methods=["DELETE"]),
    Route(CARTS + "/{cartId}/items", add, methods=["POST"]),
    Route(CARTS + "/{cartId}/items/{itemId}", update_item, methods=["PUT"]),
    Route(CARTS + "/{cartId}/items/{itemId}", delete_item, methods=["DELETE"]),
    Route(CARTS + "/{cartId}/redirect_urls", create_redirect_urls, methods=["POST"]),
]
