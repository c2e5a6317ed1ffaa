"""The Carts v3 cart and line item endpoints.

Each handler awaits the request body first and then reads, checks the version and
writes without awaiting again: on one event loop that makes every write atomic.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .errors import unprocessable
from .fields import decode_body, parse_version
from .operations import add_items, create_cart, remove_line, set_customer, update_line
from .parsing import parse_cart_create, parse_customer_update, parse_items, parse_line_item_update
from .pricing import price_cart
from .serialize import REDIRECT_URLS, cart_json, redirect_urls
from .state import Cart
from .web import Sandbox, envelope, include_of

CARTS = "/stores/{store_hash}/v3/carts"


def cart_routes(sandbox: Sandbox) -> list[Route]:
    """Routes for /carts, /carts/{cartId}, its items and its redirect URLs."""
    catalog, store = sandbox.catalog, sandbox.carts

    def answer(request: Request, cart: Cart, status_code: int) -> Response:
        include = include_of(request)
        urls = None
        if REDIRECT_URLS in include:
            urls = redirect_urls(sandbox.store_url, cart.id, {})
        return envelope(cart_json(price_cart(cart, catalog), include, urls), status_code)

    async def create(request: Request) -> Response:
        body = decode_body(await request.body(), required=True)
        cart = create_cart(parse_cart_create(body), catalog, store)
        return answer(request, cart, 201)

    async def read(request: Request) -> Response:
        return answer(request, store.require(request.path_params["cartId"]), 200)

    async def update_customer(request: Request) -> Response:
        body = decode_body(await request.body(), required=True)
        customer_id, version = parse_customer_update(body)
        cart = store.require(request.path_params["cartId"], version)
        set_customer(cart, customer_id)
        store.touch(cart)
        return answer(request, cart, 201)  # the spec documents 201 for this PUT

    async def delete(request: Request) -> Response:
        cart = store.require(request.path_params["cartId"])
        store.delete(cart.id)
        return Response(status_code=204)

    async def add(request: Request) -> Response:
        body = decode_body(await request.body(), required=True)
        items = parse_items(body)
        if items.is_empty:
            raise unprocessable("line_items", "Nothing to add: no line, custom or gift items")
        cart = store.require(request.path_params["cartId"], items.version)
        add_items(cart, items, catalog)
        store.touch(cart)
        return answer(request, cart, 201)

    async def update_item(request: Request) -> Response:
        body = decode_body(await request.body(), required=True)
        line_item, version = parse_line_item_update(body)
        cart = store.require(request.path_params["cartId"], version)
        update_line(cart, request.path_params["itemId"], line_item, catalog)
        store.touch(cart)
        return answer(request, cart, 200)

    async def delete_item(request: Request) -> Response:
        body = decode_body(await request.body(), required=False)
        cart = store.require(request.path_params["cartId"], parse_version(body))
        remove_line(cart, request.path_params["itemId"])
        if cart.is_empty:
            store.delete(cart.id)  # BigCommerce deletes a cart once its last item goes
            return Response(status_code=204)
        store.touch(cart)
        return answer(request, cart, 200)

    async def create_redirect_urls(request: Request) -> Response:
        body = decode_body(await request.body(), required=False)
        params = body.get("query_params") or {}
        if not isinstance(params, dict) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in params.values()
        ):
            raise unprocessable("query_params", "query_params must map names to strings")
        cart = store.require(request.path_params["cartId"])
        query = {str(k): str(v) for k, v in params.items()}
        return envelope(redirect_urls(sandbox.store_url, cart.id, query), 201)

    return [
        Route(CARTS, create, methods=["POST"]),
        Route(CARTS + "/{cartId}", read, methods=["GET"]),
        Route(CARTS + "/{cartId}", update_customer, methods=["PUT"]),
        Route(CARTS + "/{cartId}", delete, methods=["DELETE"]),
        Route(CARTS + "/{cartId}/items", add, methods=["POST"]),
        Route(CARTS + "/{cartId}/items/{itemId}", update_item, methods=["PUT"]),
        Route(CARTS + "/{cartId}/items/{itemId}", delete_item, methods=["DELETE"]),
        Route(CARTS + "/{cartId}/redirect_urls", create_redirect_urls, methods=["POST"]),
    ]
