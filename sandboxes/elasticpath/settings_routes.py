"""The token, currency and cart settings endpoints: what a store has before any cart."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandboxes.json_answers import JSONResponse

from .auth import TokenError
from .context import base_url, data_of, read_json, sandbox
from .currencies import CURRENCIES, currency_json
from .errors import bad_request, both_discount_settings, invalid_type
from .store import CartSettings


async def access_token(request: Request) -> Response:
    """`POST /oauth/access_token` with a form-encoded grant."""
    # The grant is urlencoded; parsed here so no multipart library is needed.
    fields = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
    try:
        return JSONResponse(sandbox(request).tokens.issue(fields))
    except TokenError as exc:
        return JSONResponse(exc.body(), status_code=exc.status)


async def list_currencies(request: Request) -> Response:
    """`GET /v2/currencies`."""
    url = base_url(request)
    return JSONResponse({"data": [currency_json(c, base_url=url) for c in CURRENCIES.values()]})


def _settings_json(settings: CartSettings) -> dict[str, object]:
    return {
        "data": {
            "type": "settings",
            "cart_expiry_days": settings.cart_expiry_days,
            "discounts": {
                "custom_discounts_enabled": settings.custom_discounts_enabled,
                "use_rule_promotions": settings.use_rule_promotions,
            },
        }
    }


async def get_cart_settings(request: Request) -> Response:
    """`GET /v2/settings/cart`."""
    return JSONResponse(_settings_json(sandbox(request).settings))


async def put_cart_settings(request: Request) -> Response:
    """`PUT /v2/settings/cart`: expiry days and discount settings for new carts."""
    state = sandbox(request)
    data = data_of(await read_json(request))
    if not isinstance(data, dict):
        raise invalid_type("object", data)
    current = state.settings
    days = data.get("cart_expiry_days", current.cart_expiry_days)
    if isinstance(days, bool) or not isinstance(days, int):
        raise invalid_type("integer", days)
    if not 1 <= days <= 365:
        raise bad_request("cart_expiry_days must be between 1 and 365")
    discounts = data.get("discounts") or {}
    if not isinstance(discounts, dict):
        raise invalid_type("object", discounts)
    custom = discounts.get("custom_discounts_enabled", current.custom_discounts_enabled)
    rule = discounts.get("use_rule_promotions", current.use_rule_promotions)
    for flag in (custom, rule):
        if not isinstance(flag, bool):
            raise invalid_type("boolean", flag)
    if custom and rule:
        raise both_discount_settings()
    state.settings = CartSettings(
        cart_expiry_days=days, custom_discounts_enabled=custom, use_rule_promotions=rule
    )
    return JSONResponse(_settings_json(state.settings))


ROUTES = [
    Route("/oauth/access_token", access_token, methods=["POST"]),
    Route("/v2/currencies", list_currencies, methods=["GET"]),
    Route("/v2/settings/cart", get_cart_settings, methods=["GET"]),
    Route("/v2/settings/cart", put_cart_settings, methods=["PUT"]),
]
