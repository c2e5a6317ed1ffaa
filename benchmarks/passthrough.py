"""The least a Python gateway on cartgate's stack can cost: a proxy that does nothing.

`make bench` puts this in front of a vendor sandbox beside cartgate. It runs on the same
server (uvicorn with uvloop and httptools, one worker) and sends with the same client
library (aiohttp, one session, kept-alive connections), but holds no GraphQL, no model
and no checks: it forwards the request's method, path, query, body and vendor headers,
and answers the vendor's bytes: one vendor call per request, as cartgate makes for an add
in steady state on either vendor.

Its req/s over the vendor's direct req/s is the ratio no gateway built this way can pass
on this machine: whatever cartgate does beyond moving bytes comes on top of it.

``uvicorn benchmarks.passthrough:app`` with ``PASSTHROUGH_UPSTREAM=http://host:port``.
"""

from __future__ import annotations

import os

import aiohttp
from starlette.types import Message, Receive, Scope, Send

# The headers a vendor call carries: credentials, the body's type, what is accepted.
FORWARDED = frozenset({b"x-auth-token", b"authorization", b"content-type", b"accept"})


class Passthrough:
    """An ASGI app forwarding every HTTP request to ``upstream``."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {name.decode(): value.decode() for name, value in scope["headers"]
                   if name in FORWARDED}
        query = scope["query_string"].decode()
        status, answer = await self._call(
            scope["method"], scope["path"] + ("?" + query if query else ""), headers, body)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(answer)).encode())]})
        await send({"type": "http.response.body", "body": answer})

    async def _call(self, method: str, target: str, headers: dict[str, str],
                    body: bytes) -> tuple[int, bytes]:
        assert self._session is not None, "the lifespan opens the session"
        async with self._session.request(method, self.upstream + target, headers=headers,
                                         data=body or None) as answer:
            return answer.status, await answer.read()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message: Message = await receive()
            if message["type"] == "lifespan.startup":
                self._session = aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=100),
                    cookie_jar=aiohttp.DummyCookieJar())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._session is not None:
                    await self._session.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app() -> Passthrough:
    """The proxy as the environment configures it (uvicorn ``--factory``)."""
    return Passthrough(os.environ["PASSTHROUGH_UPSTREAM"])
