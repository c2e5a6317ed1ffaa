"""What the whole app shares around its routes: bearer auth and error answers."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sandboxes.json_answers import JSONResponse

from .auth import TokenIssuer
from .errors import ApiError

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


async def api_error_handler(request: Request, exc: Exception) -> Response:
    """Answer an ApiError raised by a route."""
    assert isinstance(exc, ApiError)
    return exc.response()


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Answer routing errors (unknown path, wrong method) in Elastic Path's envelope."""
    assert isinstance(exc, HTTPException)
    titles = {404: "Not Found", 405: "Method Not Allowed"}
    title = titles.get(exc.status_code, "Error")
    return ApiError(exc.status_code, title, str(exc.detail)).response()
