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

from sandboxes.faults import BIGCOMMERCE_ERRORS, with_faults

from .cart_routes import cart_routes
from .catalog import load_catalog
from .catalog_routes import catalog_routes
from .checkout_routes import checkout_routes
from .consignment_routes import consignment_routes
from .discount_routes import discount_routes
from .errors import ApiError
from .metafield_routes import metafield_routes
from .settings_routes import settings_routes
from .store import CartStore, utc_now
from .web import JSONResponse, Sandbox, TokenAuth, api_error_handler, http_error_handler

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
    sandbox = Sandbox(
        store_hash=store_hash,
        store_url=SANDBOX_STORE_URL,
        catalog=load_catalog(),
        carts=CartStore(clock=clock or utc_now),
    )
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        # Settings first: /carts/settings would otherwise read as a cart id.
        *settings_routes(sandbox),
        *cart_routes(sandbox),
        *metafield_routes(sandbox),
        *checkout_routes(sandbox),
        *discount_routes(sandbox),
        *consignment_routes(sandbox),
        *catalog_routes(sandbox),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(TokenAuth, store_hash=store_hash, access_token=access_token)],
        exception_handlers={ApiError: api_error_handler, HTTPException: http_error_handler},
    )
    return with_faults(app, BIGCOMMERCE_ERRORS)
