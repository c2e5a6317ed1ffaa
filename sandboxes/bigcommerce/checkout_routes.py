"""The checkout coupon endpoints; a cart's id is also its checkout's id.

Both answer 200 with the Checkout envelope (the checkouts spec's shape: integer coupon
ids and named coupon types). An unknown coupon code is a 400 (see errors.py).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .context import envelope, sandbox
from .fields import decode_body, parse_version
from .operations import apply_coupon, remove_coupon
from .parsing import parse_coupon_code
from .pricing import price_cart
from .serialize import checkout_json

COUPONS = "/stores/{store_hash}/v3/checkouts/{checkoutId}/coupons"


async def add_coupon(request: Request) -> Response:
    """`POST .../coupons`: apply a coupon code to the checkout."""
    state = sandbox(request)
    body = decode_body(await request.body(), required=True)
    code, version = parse_coupon_code(body)
    cart = state.carts.require(request.path_params["checkoutId"], version)
    if apply_coupon(cart, code, state.catalog):
        state.carts.touch(cart)
    return envelope(checkout_json(price_cart(cart, state.catalog)))


async def delete_coupon(request: Request) -> Response:
    """`DELETE .../coupons/{couponCode}`."""
    state = sandbox(request)
    body = decode_body(await request.body(), required=False)
    cart = state.carts.require(request.path_params["checkoutId"], parse_version(body))
    remove_coupon(cart, request.path_params["couponCode"])
    state.carts.touch(cart)
    return envelope(checkout_json(price_cart(cart, state.catalog)))


ROUTES = [
    Route(COUPONS, add_coupon, methods=["POST"]),
    Route(COUPONS + "/{couponCode}", delete_coupon, methods=["DELETE"]),
]
