"""Manual checkout discounts: ``POST /checkouts/{checkoutId}/discounts`` (checkouts.v3).

The body's ``cart.discounts`` are amounts off the whole cart, spread over the product
lines by what is left of each; ``cart.line_items`` take an amount off one line. Each call
replaces every manual discount set before (the spec: it clears the discounts applied to
line items); an empty body part clears them. A line that a coupon already discounts
takes no manual discount of its own (422), as the spec says. The version may come as
``cart.version`` (the schema) or top-level (the spec's example). Answers the Checkout.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .context import envelope, include_of, sandbox
from .errors import unprocessable
from .fields import decode_body, integer, obj, parse_version, req_amount, text
from .pricing import price_cart, quantize
from .serialize import checkout_json
from .state import Cart

DISCOUNTS = "/stores/{store_hash}/v3/checkouts/{checkoutId}/discounts"


def _list(value: Any, field: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise unprocessable(field, f"{field} must be an array")
    return [obj(item, f"{field}.{i}") for i, item in enumerate(value)]


def _positive(body: dict[str, Any], field: str, currency: str) -> Decimal:
    value = req_amount(body, "discounted_amount", field)
    if quantize(value, currency) != value:
        raise unprocessable(f"{field}.discounted_amount",
                            f"discounted_amount has more decimals than {currency} has")
    return value


def parse_discounts(
    body: dict[str, Any], cart: Cart
) -> tuple[list[Decimal], dict[str, Decimal]]:
    """The cart-level amounts and the per-line amounts of a request, checked on ``cart``."""
    wanted = obj(body.get("cart", {}), "cart")
    whole = [_positive(d, f"cart.discounts.{i}", cart.currency)
             for i, d in enumerate(_list(wanted.get("discounts"), "cart.discounts"))]
    per_line: dict[str, Decimal] = {}
    known = {line.id for line in cart.product_lines}
    for i, item in enumerate(_list(wanted.get("line_items"), "cart.line_items")):
        field = f"cart.line_items.{i}"
        line_id = text(item.get("id"), f"{field}.id")
        if line_id not in known:
            raise unprocessable(f"{field}.id", f"Line item {line_id!r} is not in the cart")
        per_line[line_id] = per_line.get(line_id, Decimal(0)) + _positive(
            item, field, cart.currency)
    return whole, per_line


def _version(body: dict[str, Any]) -> int | None:
    inner = body.get("cart")
    if isinstance(inner, dict) and inner.get("version") is not None:
        return integer(inner["version"], "cart.version", minimum=1)
    return parse_version(body)


async def set_discounts(request: Request) -> Response:
    """`POST /checkouts/{checkoutId}/discounts`: replace the manual discounts."""
    state = sandbox(request)
    body = decode_body(await request.body(), required=False)
    cart = state.carts.require(request.path_params["checkoutId"], _version(body))
    whole, per_line = parse_discounts(body, cart)
    discounted = {p.line.id for p in price_cart(cart, state.catalog).lines
                  if p.coupon_amount > 0}
    clash = sorted(discounted & per_line.keys())
    if clash:
        raise unprocessable("cart.line_items",
                            f"A coupon already discounts line item {clash[0]!r}")
    cart.manual_discounts, cart.manual_line_discounts = whole, per_line
    state.carts.touch(cart)
    return envelope(checkout_json(price_cart(cart, state.catalog), include_of(request)))


ROUTES = [Route(DISCOUNTS, set_discounts, methods=["POST"])]
