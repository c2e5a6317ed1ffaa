"""A vendor sandbox that answers after a round-trip time, and counts what it is asked.

Real vendor APIs answer in 100-300 ms; on loopback a sandbox answers in a millisecond
and hides the cost of every sequential vendor call. This wraps a sandbox app so that
each request waits ``BENCH_VENDOR_RTT_MS`` (default 100) before it is served, as if
the vendor were that far away. ``GET /__bench/calls`` answers at once with how many
requests were served so far (the benchmark's exact count of vendor calls); ``/healthz``
is neither delayed nor counted. Served by uvicorn: ``--factory
benchmarks.delayed_vendor:bigcommerce`` (or ``:elasticpath``).
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

RTT_VARIABLE = "BENCH_VENDOR_RTT_MS"
CALLS_PATH = "/__bench/calls"


class DelayedVendor:
    """ASGI middleware: every counted request waits ``rtt_s`` before the app sees it."""

    def __init__(self, app: ASGIApp, *, rtt_s: float) -> None:
        self.app = app
        self.rtt_s = rtt_s
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/healthz":
            await self.app(scope, receive, send)
            return
        if scope["path"] == CALLS_PATH:
            await _json(send, {"calls": self.calls})
            return
        self.calls += 1
        await asyncio.sleep(self.rtt_s)
        await self.app(scope, receive, send)


async def _json(send: Send, body: Any) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def _rtt_s() -> float:
    return float(os.environ.get(RTT_VARIABLE, "100")) / 1000


def bigcommerce() -> DelayedVendor:
    from sandboxes.bigcommerce import create_sandbox_app

    return DelayedVendor(create_sandbox_app(), rtt_s=_rtt_s())


def elasticpath() -> DelayedVendor:
    from sandboxes.elasticpath import create_sandbox_app

    return DelayedVendor(create_sandbox_app(), rtt_s=_rtt_s())
