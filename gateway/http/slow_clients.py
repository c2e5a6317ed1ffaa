"""Slow clients cannot hold the server: a deadline for each request's headers.

uvicorn closes an idle keep-alive connection, but a client that opens a connection and
sends its request line and headers a byte at a time (slowloris) is never timed out:
hundreds of such sockets stay open for as long as their senders like. ``cartgate serve``
runs uvicorn with ``HeaderDeadlineProtocol``, which closes a connection whose request
headers are not complete ``CARTGATE_CLIENT_HEADER_TIMEOUT`` seconds after the request's
first byte (or after the connection opened). The body's deadline is
``gateway.http.body_limit``'s, and ``CARTGATE_MAX_CONNECTIONS`` caps connections and tasks
(uvicorn's ``limit_concurrency``: past it, new requests are answered 503).
"""

from __future__ import annotations

import asyncio
from asyncio import TimerHandle
from functools import cache
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from gateway.settings import Settings


@cache
def configured_header_timeout() -> float:
    """This process's header deadline: read once, in each worker, from its environment."""
    return Settings().client_header_timeout


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing connections whose headers come too slowly."""

    _header_timer: TimerHandle | None = None

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(configured_header_timeout(),
                                                      self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()  # the next request on a kept-alive connection

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def serve_options(settings: Settings) -> dict[str, Any]:
    """Uvicorn's options for the gateway: every connection and request bounded in time."""
    return {
        "http": HeaderDeadlineProtocol,
        "timeout_keep_alive": settings.keep_alive_timeout,
        "limit_concurrency": settings.max_connections,
    }
