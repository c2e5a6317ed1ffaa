"""What every sandbox route shares: its state, JSON rendering, auth and error answers."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sandboxes.json_answers import JSONResponse

from .catalog import Catalog
from .errors import STATUS_CODES_URL, ApiError, unauthorized
from .store import CartStore

OPEN_PATHS = frozenset({"/healthz"})


@dataclass(slots=True)
class Sandbox:
    """The state one sandbox app serves: its catalog, carts and store settings."""

    store_hash: str
    store_url: str
    catalog: Catalog
    carts: CartStore
    allow_purchasing: bool = True
    channel_allow_purchasing: dict[int, bool | None] = field(default_factory=dict)


def envelope(data: Any, status_code: int = 200) -> JSONResponse:
    """The `{data, meta}` envelope of BigCommerce v3 answers."""
    return JSONResponse({"data": data, "meta": {}}, status_code=status_code)


def include_of(request: Request) -> frozenset[str]:
    """The `include` query values, comma-separated or repeated."""
    values = request.query_params.getlist("include")
    return frozenset(part.strip() for value in values for part in value.split(",") if part)


def error_response(error: ApiError) -> JSONResponse:
    """An ApiError as its status and body."""
    return JSONResponse(error.body(), status_code=error.status)


async def api_error_handler(request: Request, exc: Exception) -> Response:
    """Answer an ApiError raised by a route."""
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Answer routing errors (unknown path, wrong method) in BigCommerce's error shape."""
    assert isinstance(exc, HTTPException)
    title = "The resource at that URL is not found." if exc.status_code == 404 else exc.detail
    body = {"status": exc.status_code, "title": title, "type": STATUS_CODES_URL}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


class TokenAuth:
    """ASGI middleware: every route but /healthz needs this store's X-Auth-Token."""

    def __init__(self, app: ASGIApp, *, store_hash: str, access_token: str) -> None:
        self.app = app
        self.prefix = f"/stores/{store_hash}/"
        self.token = access_token.encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let authorised requests through; answer the rest with a 401."""
        if scope["type"] == "http" and scope["path"] not in OPEN_PATHS:
            given = Headers(scope=scope).get("x-auth-token", "").encode("latin-1")
            # A token belongs to one store: another store's hash is as bad as a wrong token.
            if not (
                hmac.compare_digest(given, self.token) and scope["path"].startswith(self.prefix)
            ):
                await error_response(unauthorized())(scope, receive, send)
                return
        await self.app(scope, receive, send)
