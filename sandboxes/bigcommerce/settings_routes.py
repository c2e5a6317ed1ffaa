"""The Carts v3 settings endpoints: global and per-channel `allow_purchasing`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .errors import unprocessable
from .fields import decode_body
from .web import Sandbox, envelope

SETTINGS = "/stores/{store_hash}/v3/carts/settings"


def settings_routes(sandbox: Sandbox) -> list[Route]:
    """Routes for /carts/settings and /carts/settings/channels/{channel_id}."""

    def channel_of(request: Request) -> int:
        raw = request.path_params["channel_id"]
        if not raw.isdigit():
            raise unprocessable("channel_id", "channel_id must be an integer")
        return int(raw)

    async def read_global(request: Request) -> Response:
        return envelope({"allow_purchasing": sandbox.allow_purchasing})

    async def update_global(request: Request) -> Response:
        body = decode_body(await request.body(), required=True)
        allow = body.get("allow_purchasing")
        if not isinstance(allow, bool):
            raise unprocessable("allow_purchasing", "allow_purchasing must be a boolean")
        sandbox.allow_purchasing = allow
        return envelope({"allow_purchasing": allow})

    async def read_channel(request: Request) -> Response:
        allow = sandbox.channel_allow_purchasing.get(channel_of(request))
        return envelope({"allow_purchasing": allow})

    async def update_channel(request: Request) -> Response:
        channel = channel_of(request)
        body = decode_body(await request.body(), required=True)
        allow = body.get("allow_purchasing")
        if allow is not None and not isinstance(allow, bool):
            raise unprocessable("allow_purchasing", "allow_purchasing must be a boolean or null")
        sandbox.channel_allow_purchasing[channel] = allow
        return envelope({"allow_purchasing": allow})

    return [
        Route(SETTINGS, read_global, methods=["GET"]),
        Route(SETTINGS, update_global, methods=["PUT"]),
        Route(SETTINGS + "/channels/{channel_id}", read_channel, methods=["GET"]),
        Route(SETTINGS + "/channels/{channel_id}", update_channel, methods=["PUT"]),
    ]
