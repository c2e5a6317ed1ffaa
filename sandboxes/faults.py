"""Fault injection for the vendor sandboxes: the next requests fail as a real vendor can.

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

The plan's ``headers`` replace same-named headers of whatever is answered.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from http import HTTPStatus
from typing import Any, Literal, TypeGuard, get_args

import anyio
import httpx
import simplejson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FaultKind = Literal["status", "delay", "reset", "malformed_json", "missing_fields", "body",
                    "rewrite"]
KINDS: frozenset[str] = frozenset(get_args(FaultKind))
CONTROL_PATH = "/__sandbox/faults"
MALFORMED_JSON = b'{"data": {"id": '
# What a reset sends before dropping the connection, and how much more it promised.
RESET_PARTIAL_BODY = b'{"data": {"id": "'
RESET_MISSING_BYTES = 4096
Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """The next `count` requests matching `method` and `path_contains` fail as `kind` says."""

    kind: FaultKind
    count: int = 1
    status: int | None = None
    delay_seconds: float = 0.0
    method: str | None = None
    path_contains: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    rewrite: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Checked here, not only at the HTTP door, so a typo in a test fails loudly too.
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(sorted(KINDS))}")
        if not _is_int(self.count) or self.count < 1:
            raise ValueError("count must be a positive integer")
        if self.kind in ("status", "body"):
            lowest = 400 if self.kind == "status" else 200
            if not _is_int(self.status) or not lowest <= self.status <= 599:
                raise ValueError(f"a {self.kind} fault needs a status from {lowest} to 599")
        elif self.status is not None:
            raise ValueError(f"a {self.kind} fault takes no status")
        delay = self.delay_seconds
        if not isinstance(delay, int | float) or isinstance(delay, bool) or not (
            math.isfinite(delay) and delay >= 0
        ):
            raise ValueError("delay_seconds must be a finite number, zero or more")
        if self.kind == "delay" and delay == 0:
            raise ValueError("a delay fault needs delay_seconds above zero")
        for name in ("method", "path_contains"):
            if not isinstance(getattr(self, name), str | None):
                raise ValueError(f"{name} must be a string")
        if not isinstance(self.headers, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.headers.items()
        ):
            raise ValueError("headers must map strings to strings")
        if self.body is not None and self.kind != "body":
            raise ValueError(f"a {self.kind} fault takes no body; use kind 'body'")
        object.__setattr__(self, "delay_seconds", float(delay))
        object.__setattr__(self, "method", self.method.upper() if self.method else None)
        object.__setattr__(self, "headers", dict(self.headers))  # not the caller's dict
        if not isinstance(self.rewrite, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.rewrite.items()
        ):
            raise ValueError("rewrite must map patterns to replacements, all strings")
        if (self.kind == "rewrite") != bool(self.rewrite):
            raise ValueError("a rewrite fault, and only it, needs rewrite patterns")
        try:
            object.__setattr__(self, "rewrite", {k: v for k, v in self.rewrite.items()
                                                 if re.compile(k)})
        except re.error as exc:
            raise ValueError(f"rewrite pattern: {exc}") from None

    @classmethod
    def from_json(cls, payload: object) -> FaultPlan:
        """A plan from the control API's JSON body; ValueError says what is wrong."""
        if not isinstance(payload, dict):
            raise ValueError("the body must be a JSON object")
        unknown = set(payload) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
        if "kind" not in payload:
            raise ValueError("kind is required")
        return cls(**payload)

    def to_json(self) -> dict[str, Any]:
        """The plan as the control API shows it."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with this method and path is one this plan targets."""
        return (self.method is None or self.method == method) and (
            self.path_contains is None or self.path_contains in path
        )


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(slots=True)
class _Queued:
    plan: FaultPlan
    left: int


class Faults:
    """The faults one sandbox app still has to play, in order; its `app.state.faults`."""

    def __init__(self) -> None:
        self._queue: list[_Queued] = []
        # A loopback server runs the app in its own thread while the test injects from
        # another, so a lock, not only the event loop, keeps take() atomic.
        self._lock = threading.Lock()

    def inject(self, plan: FaultPlan) -> FaultPlan:
        """Queue a plan behind those already waiting."""
        with self._lock:
            self._queue.append(_Queued(plan, plan.count))
        return plan

    def clear(self) -> None:
        """Forget every queued plan."""
        with self._lock:
            self._queue.clear()

    def pending(self) -> list[FaultPlan]:
        """The queued plans, each with the count it has left."""
        with self._lock:
            return [replace(queued.plan, count=queued.left) for queued in self._queue]

    def take(self, method: str, path: str) -> FaultPlan | None:
        """Consume one count of the first plan this request matches, if any."""
        if path.startswith("/__sandbox/") or path == "/healthz":
            return None
        with self._lock:
            for queued in self._queue:
                if queued.plan.matches(method, path):
                    queued.left -= 1
                    if queued.left == 0:
                        self._queue.remove(queued)
                    return queued.plan
        return None


@dataclass(frozen=True, slots=True)
class ErrorStyle:
    """How one vendor answers errors, and which `data` fields its clients need."""

    body: Callable[[int, str, str], object]  # (status, title, detail) -> JSON body
    rate_limit_headers: Mapping[str, str]
    required_fields: frozenset[str]


def _bigcommerce_body(status: int, title: str, detail: str) -> object:
    # Mirrors sandboxes/bigcommerce/errors.py, which cannot be imported from
    # here: that package imports this module while it loads.
    type_url = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
    return {"status": status, "title": title, "type": type_url}


def _elasticpath_body(status: int, title: str, detail: str) -> object:
    return {"errors": [{"status": status, "title": title, "detail": detail}]}


BIGCOMMERCE_ERRORS = ErrorStyle(
    body=_bigcommerce_body,
    # The Plus and Standard plans' quota: 150 requests a 30-second window, none left.
    rate_limit_headers={
        "X-Rate-Limit-Time-Reset-Ms": "1500",
        "X-Rate-Limit-Time-Window-Ms": "30000",
        "X-Rate-Limit-Requests-Left": "0",
        "X-Rate-Limit-Requests-Quota": "150",
    },
    required_fields=frozenset({"id", "currency", "base_amount", "discount_amount",
                               "cart_amount"}),
)
ELASTICPATH_ERRORS = ErrorStyle(
    body=_elasticpath_body,
    rate_limit_headers={},  # Elastic Path sends Retry-After only when the plan says so
    required_fields=frozenset({"id", "meta", "unit_price", "value"}),
)


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
