"""What the whole app shares around its routes: token auth and error answers."""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sandboxes.json_answers import JSONResponse

from .errors import STATUS_CODES_URL, ApiError, unauthorized

OPEN_PATHS = frozenset({"/healthz"})


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
