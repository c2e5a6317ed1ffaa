"""The sandbox's composition root: routes, auth and error handling in one Starlette app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

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
    checkout_routes,
    consignment_routes,
    discount_routes,
    metafield_routes,
    settings_routes,
)
from .catalog import load_catalog
from .context import SandboxState
from .errors import ERROR_STYLE, ApiError
from .store import CartStore, utc_now
from .web import TokenAuth, api_error_handler, http_error_handler

SANDBOX_STORE_HASH = "sandbox"
SANDBOX_ACCESS_TOKEN = "sandbox-token"
SANDBOX_STORE_URL = "https://sandbox.example"


async def healthz(request: Request) -> Response:
    """Liveness probe; needs no token."""
    return JSONResponse({"status": "ok"})


def create_sandbox_app(
    *,
    store_hash: str = SANDBOX_STORE_HASH,
    access_token: str = SANDBOX_ACCESS_TOKEN,
    clock: Callable[[], datetime] | None = None,
) -> Starlette:
    """A fresh in-memory BigCommerce store speaking Carts v3 under /stores/{store_hash}/v3."""
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        # Settings first: /carts/settings would otherwise read as a cart id.
        *settings_routes.ROUTES,
        *cart_routes.ROUTES,
        *metafield_routes.ROUTES,
        *checkout_routes.ROUTES,
        *discount_routes.ROUTES,
        *consignment_routes.ROUTES,
        *catalog_routes.ROUTES,
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(TokenAuth, store_hash=store_hash, access_token=access_token)],
        exception_handlers={ApiError: api_error_handler, HTTPException: http_error_handler},
    )
    app.state.sandbox = SandboxState(
        store_hash=store_hash,
        store_url=SANDBOX_STORE_URL,
        catalog=load_catalog(),
        carts=CartStore(clock=clock or utc_now),
    )
    return with_faults(app, ERROR_STYLE)
