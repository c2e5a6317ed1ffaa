"""The Carts v3 settings endpoints: global and per-channel `allow_purchasing`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .context import envelope, sandbox
from .errors import unprocessable
from .fields import decode_body

SETTINGS = "/stores/{store_hash}/v3/carts/settings"


def _channel_of(request: Request) -> int:
    raw = request.path_params["channel_id"]
    if not raw.isdigit():
        raise unprocessable("channel_id", "channel_id must be an integer")
    return int(raw)


async def read_global(request: Request) -> Response:
    """`GET /carts/settings`."""
    return envelope({"allow_purchasing": sandbox(request).allow_purchasing})


async def update_global(request: Request) -> Response:
    """`PUT /carts/settings`: the store-wide `allow_purchasing`."""
    body = decode_body(await request.body(), required=True)
    allow = body.get("allow_purchasing")
    if not isinstance(allow, bool):
        raise unprocessable("allow_purchasing", "allow_purchasing must be a boolean")
    sandbox(request).allow_purchasing = allow
    return envelope({"allow_purchasing": allow})


async def read_channel(request: Request) -> Response:
    """`GET /carts/settings/channels/{channel_id}`: null when the channel sets none."""
    allow = sandbox(request).channel_allow_purchasing.get(_channel_of(request))
    return envelope({"allow_purchasing": allow})


async def update_channel(request: Request) -> Response:
    """`PUT /carts/settings/channels/{channel_id}`: a boolean, or null to follow the store."""
    channel = _channel_of(request)
    body = decode_body(await request.body(), required=True)
    allow = body.get("allow_purchasing")
    if allow is not None and not isinstance(allow, bool):
        raise unprocessable("allow_purchasing", "allow_purchasing must be a boolean or null")
    sandbox(request).channel_allow_purchasing[channel] = allow
    return envelope({"allow_purchasing": allow})


ROUTES = [
    Route(SETTINGS, read_global, methods=["GET"]),
    Route(SETTINGS, update_global, methods=["PUT"]),
    Route(SETTINGS + "/channels/{channel_id}", read_channel, methods=["GET"]),
    Route(SETTINGS + "/channels/{channel_id}", update_channel, methods=["PUT"]),
]
