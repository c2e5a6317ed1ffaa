"""Vendor sandboxes served over real HTTP on loopback, in a thread of this process."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Mapping
from typing import Any, Literal

import uvicorn
from starlette.applications import Starlette
from starlette.types import ASGIApp

from adapters.model import Backend
from adapters.registry import load, vendor

# Seconds an idle connection to a loopback server stays open: longer than any client's
# pool keeps one (the gateway's vendor transport, httpx's default 5 s), so a server never
# closes a socket at the instant a client sends on it (a ReadError at the client).
LOOPBACK_KEEP_ALIVE = 75


def sandbox_app(backend: Backend) -> Starlette:
    """The simulator of one vendor, with its default sandbox credentials, as the vendor's
    registry entry builds it; UnknownVendor for a vendor the registry does not list.
    """
    sandbox = vendor(backend).sandbox
    if sandbox is None:
        raise LookupError(f"{backend.value} has no sandbox in adapters/registry.py")
    app: Starlette = load(sandbox.app)()
    return app


class LoopbackServer:
    """One uvicorn server on 127.0.0.1 and a free port, running in a daemon thread."""

    def __init__(
        self, app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0,
        lifespan: Literal["auto", "on", "off"] = "off",
        options: Mapping[str, Any] | None = None,
    ) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()[:2]
        config = uvicorn.Config(app, log_level="warning", lifespan=lifespan, access_log=False,
                                **{"timeout_keep_alive": LOOPBACK_KEEP_ALIVE, **(options or {})})
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"sandbox:{self.port}",
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._socket]))

    def start(self) -> LoopbackServer:
        self._thread.start()
        while not self._server.started and self._thread.is_alive():
            threading.Event().wait(0.01)
        if not self._server.started:
            raise RuntimeError(f"the sandbox on port {self.port} did not start")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.ident is not None:
            self._thread.join(timeout=5)
        self._socket.close()
