"""``Idempotency-Key``: a mutation retried with the same key is answered, not run again.

An ASGI middleware in front of ``/graphql``. A POST carrying the header whose operation
is a mutation is recorded under its key with a fingerprint of its body:

- the first request runs, and its answer (status, headers, body) is kept for
  ``CARTGATE_IDEMPOTENCY_TTL`` seconds;
- a retry with the same key and the same body gets that answer byte for byte, with
  ``Idempotent-Replayed: true``, and the cart changes once;
- the same key with a different body is refused with 422 ``IDEMPOTENCY_KEY_REUSED``;
- a retry while the first is still running waits for its answer, at most ``wait``
  seconds, then gets 409 ``IDEMPOTENCY_REQUEST_IN_PROGRESS``.

Queries, and requests without the header, pass straight through. Every answer is kept,
``userErrors`` and 5xx included, and a first request that crashed or was cancelled keeps
its key as failed (``IDEMPOTENCY_REQUEST_FAILED``): whatever happened, a write runs at
most once per key, and a retry that should run again needs a new key. An answer with
``Retry-After`` (the caller's rate limit refused it; nothing ran) is not kept, so the
retry it asks for runs. The
records live in ``adapters.shared_state``: this process's memory, or Redis, so a retry
may land on any gateway process.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from graphql import OperationDefinitionNode, OperationType, parse
from graphql.error import GraphQLError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.errors import ServiceUnavailable
from adapters.shared_state.idempotency import Claim, IdempotencyStore, StoredResponse
from gateway.http.body_limit import read_body, replayed

FAILED_BODY = json.dumps({"errors": [{
    "message": "the first request with this Idempotency-Key ended without an answer; it may "
               "have changed the cart: read the cart, and send a new key to try again",
    "extensions": {"code": "IDEMPOTENCY_REQUEST_FAILED"}}]}).encode()
# What a retry is answered when the first request crashed or was cancelled mid-way.
FAILED = StoredResponse(500, ((b"content-type", b"application/json"),
                              (b"content-length", str(len(FAILED_BODY)).encode())), FAILED_BODY)
HEADER = b"idempotency-key"
REPLAYED = (b"idempotent-replayed", b"true")
RETRY_AFTER = b"retry-after"
MAX_KEY_LENGTH = 255
# A started record expires after this, so a process that died mid-request frees its key.
RUNNING_TTL = 120.0
POLL = 0.05
Headers = list[tuple[bytes, bytes]]


class Idempotency:
    """Records the first answer to each ``Idempotency-Key`` and replays it to retries."""

    def __init__(self, app: ASGIApp, *, store: IdempotencyStore, ttl: float,
                 wait: float, on_outcome: Callable[[str], None] | None = None) -> None:
        self.app = app
        self.store = store
        self.ttl = ttl
        self.wait = wait
        # Told what became of each keyed mutation: first, replayed, key_reused,
        # in_progress, invalid_key or unavailable.
        self.on_outcome = on_outcome or _ignore

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        if not key or len(key) > MAX_KEY_LENGTH:
            self.on_outcome("invalid_key")
            await _refuse(send, 400, "IDEMPOTENCY_KEY_INVALID",
                          f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters")
            return
        body = await read_body(receive)
        if body is None:
            return  # the client left before it finished sending
        replay = replayed(body, receive)
        if not _is_mutation(body):
            await self.app(scope, replay, send)
            return
        fingerprint = hashlib.sha256(body).hexdigest()
        try:
            claim = await self._claim(key, fingerprint)
        except ServiceUnavailable as error:
            self.on_outcome("unavailable")
            await _refuse(send, 503, "SERVICE_UNAVAILABLE", error.message)
            return
        if claim.state == "mismatch":
            self.on_outcome("key_reused")
            await _refuse(send, 422, "IDEMPOTENCY_KEY_REUSED",
                          "this Idempotency-Key was used with a different request")
        elif claim.state == "running":
            self.on_outcome("in_progress")
            await _refuse(send, 409, "IDEMPOTENCY_REQUEST_IN_PROGRESS",
                          "a request with this Idempotency-Key is still running; retry later")
        elif claim.state == "done":
            assert claim.response is not None
            self.on_outcome("replayed")
            await _send_stored(send, claim.response)
        else:
            self.on_outcome("first")
            await self._run(key, claim, scope, replay, send)

    async def _claim(self, key: str, fingerprint: str) -> Claim:
        """The key's claim, waiting a while for a running first request to finish."""
        deadline = time.monotonic() + self.wait
        while True:
            claim = await self.store.claim(key, fingerprint, running_ttl=RUNNING_TTL)
            if claim.state != "running" or time.monotonic() >= deadline:
                return claim
            await asyncio.sleep(POLL)

    async def _run(self, key: str, claim: Claim, scope: Scope, receive: Receive,
                   send: Send) -> None:
        status = 0
        headers: Headers = []
        chunks: list[bytes] = []

        async def record(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        finished = False
        try:
            await self.app(scope, receive, record)
            finished = status > 0
        finally:
            # Every outcome is kept, a 5xx or a crash too: the write may have landed, so
            # a retry is answered, never run again. Shielded: a cancelled request holds
            # its key as failed all the same.
            # Copied: the view's serializer hands out bytes with kilobytes of spare room
            # (4 KB behind a 61-byte refusal), which a record would keep for a day.
            answer = (StoredResponse(status, tuple(headers), bytes(bytearray().join(chunks)))
                      if finished else FAILED)
            unrun = finished and any(name.lower() == RETRY_AFTER for name, _ in headers)
            try:
                if unrun:
                    await asyncio.shield(self.store.release(key, claim))
                else:
                    await asyncio.shield(self.store.complete(key, claim, answer, ttl=self.ttl))
            except ServiceUnavailable:
                pass  # the key stays running until RUNNING_TTL, so no retry runs meanwhile


def _ignore(outcome: str) -> None:
    return None


def _key(scope: Scope) -> str | None:
    if scope["type"] != "http" or scope["method"] != "POST":
        return None
    for name, value in scope["headers"]:
        if name == HEADER:
            return str(value.decode("latin-1").strip())
    return None


def _is_mutation(body: bytes) -> bool:
    """Whether the JSON body asks for a mutation; anything unreadable is left to the view."""
    try:
        request: Any = json.loads(body)
        document = parse(request["query"])
    except (ValueError, TypeError, KeyError, GraphQLError, RecursionError):
        return False
    name = request.get("operationName")
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [op for op in operations
              if name is None or (op.name is not None and op.name.value == name)]
    return len(chosen) == 1 and chosen[0].operation is OperationType.MUTATION


async def _send_stored(send: Send, response: StoredResponse) -> None:
    await send({"type": "http.response.start", "status": response.status,
                "headers": [*response.headers, REPLAYED]})
    await send({"type": "http.response.body", "body": response.body})


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]})
    await send({"type": "http.response.body", "body": body})
