"""The sandbox's composition root: state, routes, auth and error handling in one Starlette app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandboxes.faults import with_faults
from sandboxes.json_answers import JSONResponse

from . import (
    cart_routes,
    catalog_routes,
    custom_discount_routes,
    customer_routes,
    delivery_routes,
    settings_routes,
)
from .auth import TokenIssuer
from .catalog import Catalog
from .context import SandboxState
from .errors import ERROR_STYLE, ApiError
from .store import CartSettings, CartStore
from .web import BearerAuth, api_error_handler, http_error_handler

SANDBOX_CLIENT_ID = "sandbox-client"
SANDBOX_CLIENT_SECRET = "sandbox-secret"
# The rate table a gateway uses for the sandbox when the operator names none: Elastic
# Path quotes no shipping itself (adapters/elasticpath/rates.py).
SANDBOX_SHIPPING_RATES = Path(__file__).with_name("shipping_rates.json")


async def healthz(request: Request) -> Response:
    """Liveness probe; needs no token."""
    return JSONResponse({"status": "ok"})


def create_sandbox_app(
    *,
    client_id: str = SANDBOX_CLIENT_ID,
    client_secret: str = SANDBOX_CLIENT_SECRET,
    token_ttl: timedelta = timedelta(hours=1),
    clock: Callable[[], datetime] | None = None,
) -> Starlette:
    """A fresh sandbox store with the seed catalog, its own carts and its own tokens."""
    now = clock or (lambda: datetime.now(UTC))
    tokens = TokenIssuer(client_id=client_id, client_secret=client_secret, ttl=token_ttl,
                         clock=now)
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        *settings_routes.ROUTES,
        *cart_routes.ROUTES,
        *catalog_routes.ROUTES,
        *custom_discount_routes.ROUTES,
        *delivery_routes.ROUTES,
        *customer_routes.ROUTES,
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(BearerAuth, tokens=tokens)],
        exception_handlers={ApiError: api_error_handler, HTTPException: http_error_handler},
    )
    app.state.sandbox = SandboxState(
        catalog=Catalog.load(), carts=CartStore(), settings=CartSettings(), tokens=tokens,
        clock=now,
    )
    return with_faults(app, ERROR_STYLE)
