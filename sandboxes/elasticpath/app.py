"""The Starlette app: authentication, error envelopes, token, settings and currency routes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from sandboxes.json_answers import JSONResponse

from . import cart_routes, catalog_routes, custom_discounts, customers, delivery_routes
from .auth import TokenError, TokenIssuer
from .catalog import Catalog
from .context import SandboxState, base_url, data_of, read_json, sandbox
from .currencies import CURRENCIES, currency_json
from .errors import ApiError, bad_request, both_discount_settings, invalid_type
from .store import CartSettings, CartStore

_UNAUTHORIZED = {
    "errors": [{
        "status": 401,
        "title": "Unable to validate access token",
        "detail": "The access token is missing, invalid or expired",
    }]
}


class BearerAuth:
    """Guards `/v2/...` with the sandbox's bearer tokens; other paths pass through."""

    def __init__(self, app: ASGIApp, *, tokens: TokenIssuer) -> None:
        self._app = app
        self._tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v2/"):
            headers = dict(scope["headers"])
            authorization = headers.get(b"authorization", b"").decode("latin-1")
            if not self._tokens.is_valid(authorization):
                await JSONResponse(_UNAUTHORIZED, status_code=401)(scope, receive, send)
                return
        await self._app(scope, receive, send)


async def healthz(request: Request) -> Response:
    """Liveness, unauthenticated."""
    return JSONResponse({"status": "ok"})


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


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    titles = {404: "Not Found", 405: "Method Not Allowed"}
    title = titles.get(exc.status_code, "Error")
    return ApiError(exc.status_code, title, str(exc.detail)).response()


def build_app(
    *, client_id: str, client_secret: str, token_ttl: timedelta,
    clock: Callable[[], datetime] | None,
) -> Starlette:
    """Compose the sandbox; `create_sandbox_app` in the package is the public door."""
    now = clock or (lambda: datetime.now(UTC))
    tokens = TokenIssuer(client_id=client_id, client_secret=client_secret, ttl=token_ttl,
                         clock=now)
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/oauth/access_token", access_token, methods=["POST"]),
        Route("/v2/currencies", list_currencies, methods=["GET"]),
        Route("/v2/settings/cart", get_cart_settings, methods=["GET"]),
        Route("/v2/settings/cart", put_cart_settings, methods=["PUT"]),
        *cart_routes.ROUTES,
        *catalog_routes.ROUTES,
        *custom_discounts.ROUTES,
        *delivery_routes.ROUTES,
        *customers.ROUTES,
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.sandbox = SandboxState(
        catalog=Catalog.load(), carts=CartStore(), settings=CartSettings(), tokens=tokens,
        clock=now,
    )
    app.add_middleware(BearerAuth, tokens=tokens)
    return app
