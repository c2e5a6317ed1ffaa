r"""Fault injection for the vendor sandboxes: the next requests fail as a real vendor can.

A test queues a ``FaultPlan`` and the next ``count`` matching vendor requests play it:

    app.state.faults.inject(FaultPlan("status", status=503, headers={"Retry-After": "1"}))

    POST   /__sandbox/faults  {"kind": "reset", "path_contains": "/carts"}  -> 201, the plan
    GET    /__sandbox/faults  -> 200 {"faults": [plan, ...]}, counts still to play
    DELETE /__sandbox/faults  -> 204, the queue emptied

The control routes take no vendor credentials: a sandbox serves tests and demos on
loopback and is never exposed publicly. Faults never match the control routes or
/healthz. Any plan first waits ``delay_seconds``; then, by kind:

- status          ``status`` with the vendor's error body (and BigCommerce's rate-limit
                  headers on a 429)
- delay           the real answer, late
- reset           a 200 whose Content-Length promises more than is sent, then the
                  connection drops
- malformed_json  a 200 ``application/json`` whose body is not JSON
- missing_fields  the real answer with required fields stripped from its ``data``
- body            ``status`` with the plan's own ``body`` and ``headers``
- rewrite         the real answer with each regular expression of ``rewrite`` replaced
                  in its body (a hostile vendor: ``{"\"quantity\":\\d+": "\"quantity\":-3"}``)

The plan's ``headers`` replace same-named headers of whatever is answered. The vendor
packages import this module, never the reverse: each hands ``with_faults`` its own
``ErrorStyle``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus

import anyio
import httpx
import simplejson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandboxes.fault_plans import FaultPlan, Faults

__all__ = ["ErrorStyle", "FaultInjection", "FaultPlan", "Faults", "SandboxConnectionReset",
           "with_faults"]

CONTROL_PATH = "/__sandbox/faults"
MALFORMED_JSON = b'{"data": {"id": '
# What a reset sends before dropping the connection, and how much more it promised.
RESET_PARTIAL_BODY = b'{"data": {"id": "'
RESET_MISSING_BYTES = 4096
Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True, slots=True)
class ErrorStyle:
    """How one vendor answers errors, and which `data` fields its clients need.

    Each vendor's sandbox declares its own as `ERROR_STYLE` in its `errors.py`, beside
    the error bodies it mirrors; this module knows no vendor.
    """

    body: Callable[[int, str, str], object]  # (status, title, detail) -> JSON body
    rate_limit_headers: Mapping[str, str]
    required_fields: frozenset[str]


class SandboxConnectionReset(httpx.ReadError):
    """The connection dropped mid-body by a `reset` fault.

    A server closes the socket when the app raises after the response started;
    httpx.ASGITransport hands the exception itself to the client, which therefore
    sees the transport error it would see on a real wire.
    """


class FaultInjection:
    """Pure ASGI middleware: serves the control routes and plays queued faults."""

    def __init__(self, app: ASGIApp, *, faults: Faults, errors: ErrorStyle) -> None:
        self.app = app
        self.faults = faults
        self.errors = errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer control requests; play a fault on a matching vendor request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith("/__sandbox/"):
            response = await self._control(Request(scope, receive))
            await response(scope, receive, send)
            return
        plan = self.faults.take(scope["method"], scope["path"])
        if plan is None:
            await self.app(scope, receive, send)
            return
        if plan.delay_seconds:
            await anyio.sleep(plan.delay_seconds)
        if plan.kind == "delay":
            await self._relay(plan, scope, receive, send)
        elif plan.kind == "missing_fields":
            await self._transformed(plan, scope, receive, send,
                                    lambda body: _without(body, self.errors.required_fields))
        elif plan.kind == "rewrite":
            await self._transformed(plan, scope, receive, send,
                                    lambda body: _rewritten(body, plan.rewrite))
        elif plan.kind == "reset":
            await self._reset(plan, send)
        else:
            await self._answer(plan, send)

    async def _control(self, request: Request) -> Response:
        if request.url.path != CONTROL_PATH:
            return _control_json({"error": "not found"}, 404)
        if request.method == "GET":
            return _control_json({"faults": [p.to_json() for p in self.faults.pending()]})
        if request.method == "DELETE":
            self.faults.clear()
            return Response(status_code=204)
        if request.method != "POST":
            answer = _control_json({"error": "method not allowed"}, 405)
            answer.headers["Allow"] = "GET, POST, DELETE"
            return answer
        try:
            plan = FaultPlan.from_json(simplejson.loads(await request.body()))
        except ValueError as exc:
            return _control_json({"error": str(exc)}, 400)
        return _control_json(self.faults.inject(plan).to_json(), 201)

    async def _answer(self, plan: FaultPlan, send: Send) -> None:
        status, extra = plan.status or 200, {}
        if plan.kind == "status":
            title, detail = _reason(status)
            body, content_type = _json(self.errors.body(status, title, detail)), "application/json"
            if status == 429:
                extra = dict(self.errors.rate_limit_headers)
        elif plan.kind == "malformed_json":
            body, content_type = MALFORMED_JSON, "application/json"
        elif isinstance(plan.body, str):
            body, content_type = plan.body.encode("utf-8"), "text/plain; charset=utf-8"
        elif plan.body is None:
            body, content_type = b"", None
        else:
            body, content_type = _json(plan.body), "application/json"
        headers = [(b"content-length", str(len(body)).encode())]
        if content_type is not None:
            headers.append((b"content-type", content_type.encode()))
        headers = _merged(_merged(headers, extra), plan.headers)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _relay(self, plan: FaultPlan, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _merged(message["headers"], plan.headers)}
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _transformed(
        self, plan: FaultPlan, scope: Scope, receive: Receive, send: Send,
        change: Callable[[bytes], bytes],
    ) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        # Held back whole: the answer's length changes with its body.
        await self.app(scope, receive, hold)
        body = change(b"".join(chunks))
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": _merged(headers, plan.headers)})
        await send({"type": "http.response.body", "body": body})

    async def _reset(self, plan: FaultPlan, send: Send) -> None:
        promised = len(RESET_PARTIAL_BODY) + RESET_MISSING_BYTES
        headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(promised).encode())]
        await send({"type": "http.response.start", "status": 200,
                    "headers": _merged(headers, plan.headers)})
        await send({"type": "http.response.body", "body": RESET_PARTIAL_BODY, "more_body": True})
        raise SandboxConnectionReset("sandbox fault: connection reset in the middle of the body")


def with_faults(app: Starlette, errors: ErrorStyle) -> Starlette:
    """Give a sandbox app `app.state.faults` and the /__sandbox/faults control routes."""
    faults = Faults()
    app.state.faults = faults
    # Added last, so outermost: before vendor auth, as a vendor's edge would fail.
    app.add_middleware(FaultInjection, faults=faults, errors=errors)
    return app


def _reason(status: int) -> tuple[str, str]:
    try:
        known = HTTPStatus(status)
    except ValueError:
        return "Error", "The sandbox was told to fail this request."
    return known.phrase, known.description


def _control_json(content: object, status: int = 200) -> Response:
    return Response(_json(content), status_code=status, media_type="application/json")


def _json(value: object) -> bytes:
    text: str = simplejson.dumps(value, use_decimal=True, ensure_ascii=False)
    return text.encode("utf-8")


def _merged(headers: Headers, extra: Mapping[str, str]) -> Headers:
    """`headers` with `extra` replacing same-named ones, names lower-cased as ASGI wants."""
    replacing = {k.lower().encode("latin-1"): v.encode("latin-1") for k, v in extra.items()}
    return [(k, v) for k, v in headers if k.lower() not in replacing] + list(replacing.items())


def _rewritten(body: bytes, rewrite: Mapping[str, str]) -> bytes:
    text = body.decode("utf-8")
    for pattern, replacement in rewrite.items():
        # Replaced literally: a replacement holds JSON, not a template.
        text = re.sub(pattern, replacement.replace("\\", "\\\\"), text)
    return text.encode("utf-8")


def _without(body: bytes, names: frozenset[str]) -> bytes:
    """The body with `names` gone from its `data` object or objects; other bodies as they are."""
    try:
        payload = simplejson.loads(body, use_decimal=True)
    except ValueError:
        return body
    data = payload.get("data") if isinstance(payload, dict) else None
    records = [data] if isinstance(data, dict) else data if isinstance(data, list) else []
    for record in records:
        for name in names & set(record if isinstance(record, dict) else ()):
            del record[name]
    return _json(payload) if records else body
