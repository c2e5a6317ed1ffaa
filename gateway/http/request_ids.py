"""Every HTTP request gets an id: the client's ``X-Request-ID`` when it is sane, else a
new one. It is echoed on the response, sent to every vendor (``adapters/http.py``),
put on every log line, and the request ends with one access log line.
"""

from __future__ import annotations

import logging
import os
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.request_budget import RequestBudget, budget
from adapters.request_context import request_id
from gateway.observability.metrics import Metrics

HEADER = b"x-request-id"
# Safe in a header, a log line and a vendor's logs: short, no spaces or quotes.
_SANE = re.compile(rb"[A-Za-z0-9._:=+/-]{1,128}")
access_log = logging.getLogger("cartgate.access")


def incoming_id(value: bytes) -> str | None:
    """The client's id if it is 1 to 128 safe characters, else None (a new one is made)."""
    return value.decode("ascii") if _SANE.fullmatch(value) else None


class RequestIds:
    """Outermost middleware: the request id, the access log line, HTTP response counts."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope["headers"] if name == HEADER), None)
        rid = (incoming_id(given) if given is not None else None) or os.urandom(16).hex()
        token = request_id.set(rid)
        budget_token = budget.set(RequestBudget())
        started = time.perf_counter()
        status = 500  # what the server answers when the app never started a response

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message,
                           "headers": [*message.get("headers", ()), (HEADER, rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = scope["path"]
            self.metrics.http_response(path, status)
            if access_log.isEnabledFor(logging.INFO):
                # The path only: a query string may carry a GET operation's variables.
                access_log.info(
                    "%s %s %d", scope["method"], path, status,
                    extra={"method": scope["method"], "path": path, "status": status,
                           "duration_ms": round((time.perf_counter() - started) * 1000, 2)},
                )
            budget.reset(budget_token)
            request_id.reset(token)
