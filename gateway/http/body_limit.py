"""An ASGI middleware that refuses a request body above a size with 413, reading no more,
and one that does not arrive in time with 408.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Far above any real cart: 250 lines with long SKUs and options are about 100 KB.
MAX_BODY_BYTES = 1024 * 1024
# Seconds for a whole body to arrive (CARTGATE_CLIENT_BODY_TIMEOUT).
BODY_TIMEOUT = 10.0


class BodyLimit:
    """Buffers at most ``max_bytes`` of each request body, then hands it to the app."""

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES,
                 timeout: float = BODY_TIMEOUT) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        try:
            # One deadline for the whole body: a client sending a byte now and then
            # cannot hold the connection (and a task) open.
            async with asyncio.timeout(self.timeout):
                while True:
                    message = await receive()
                    if message["type"] != "http.request":
                        return  # the client went away before sending its body
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_bytes:
                        await self._refuse(send)
                        return
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            await self._refuse(send, 408, f"the request body did not arrive within "
                                          f"{self.timeout:g} s")
            return
        await self.app(scope, replayed(b"".join(chunks), receive), send)

    async def _refuse(self, send: Send, status: int = 413, message: str = "") -> None:
        body = json.dumps({"errors": [{
            "message": message or f"the request body is larger than {self.max_bytes} bytes",
        }]}).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]})
        await send({"type": "http.response.body", "body": body})


def replayed(body: bytes, receive: Receive) -> Receive:
    """A receive that yields the buffered body once, then waits on the real one."""
    return replaying({"type": "http.request", "body": body, "more_body": False}, receive)


def replaying(first: Message, receive: Receive) -> Receive:
    """A receive that yields ``first`` (a message already received) once, then waits on
    the real one.
    """
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return first

    return replay


async def read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None when the client left before sending it all."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
