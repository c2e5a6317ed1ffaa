"""Records of idempotent requests: the contract, and the in-process implementation.

A key's record holds the fingerprint of the first request's body and, once that request
has finished, its answer. ``claim`` says what a request with that key may do:

- ``started``   no record: this request runs, and must ``complete`` or ``release``
- ``running``   the first request with the key is still running
- ``done``      the first request finished: ``response`` is its answer, to replay
- ``mismatch``  the key was first used with a different body
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal, Protocol

ClaimState = Literal["started", "running", "done", "mismatch"]


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """An HTTP answer as it was sent: status, header pairs and body bytes."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Claim:
    """What a request may do with its key; ``owner`` identifies a started one."""

    state: ClaimState
    owner: str = ""
    response: StoredResponse | None = None


class IdempotencyStore(Protocol):
    """Where the records of idempotency keys live."""

    async def claim(self, key: str, fingerprint: str, *, running_ttl: float) -> Claim:
        """Start the key's request, or say why not; a started claim expires after
        ``running_ttl`` s unless completed, so a crashed process does not block the key.
        """
        ...

    async def complete(self, key: str, claim: Claim, response: StoredResponse,
                       *, ttl: float) -> None:
        """Keep the answer of a started claim for ``ttl`` s."""
        ...

    async def release(self, key: str, claim: Claim) -> None:
        """Forget a started claim that produced no answer to keep."""
        ...


# What the in-process records may hold, counted as ``_Record.size`` estimates them.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
# A record's own objects (the dataclass, its strings, the dict entry), measured with
# tracemalloc on CPython 3.11, beside the key and the answer's bytes.
RECORD_OVERHEAD = 700


@dataclass(slots=True)
class _Record:
    fingerprint: str
    owner: str
    expires: float
    size: int
    response: StoredResponse | None = None


def _size(key: str, response: StoredResponse | None) -> int:
    if response is None:
        return RECORD_OVERHEAD + len(key)
    return (RECORD_OVERHEAD + len(key) + len(response.body)
            + sum(100 + len(name) + len(value) for name, value in response.headers))


class LocalIdempotencyStore:
    """Records in this process's memory, least recently used first: expired ones are
    dropped as new keys arrive, and finished ones once all of them pass ``max_bytes``
    (a retry after that runs again, as after the TTL).
    """

    def __init__(self, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._max_bytes = max_bytes
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._records)

    def _drop(self, key: str) -> None:
        self.bytes -= self._records.pop(key).size

    def _purge(self, now: float) -> None:
        # Roughly oldest first: every write moves its record to the end.
        while self._records:
            key, record = next(iter(self._records.items()))
            if record.expires > now:
                break
            self._drop(key)

    def _fit(self) -> None:
        # Least recently used finished records go first; a running one is never dropped
        # (its retry would run the write again), and costs only its overhead.
        if self.bytes <= self._max_bytes:
            return
        for key in [k for k, r in self._records.items() if r.response is not None]:
            self._drop(key)
            if self.bytes <= self._max_bytes:
                return

    async def claim(self, key: str, fingerprint: str, *, running_ttl: float) -> Claim:
        now = time.monotonic()
        self._purge(now)
        record = self._records.get(key)
        if record is not None and record.expires <= now:
            self._drop(key)
            record = None
        if record is None:
            owner = secrets.token_hex(16)
            self._records[key] = _Record(fingerprint, owner, now + running_ttl,
                                         _size(key, None))
            self.bytes += self._records[key].size
            self._fit()
            return Claim("started", owner=owner)
        if record.fingerprint != fingerprint:
            return Claim("mismatch")
        if record.response is None:
            return Claim("running")
        self._records.move_to_end(key)  # replayed: recently used
        return Claim("done", response=record.response)

    async def complete(self, key: str, claim: Claim, response: StoredResponse,
                       *, ttl: float) -> None:
        record = self._records.get(key)
        if record is None or record.owner != claim.owner:
            return
        record.response = response
        record.expires = time.monotonic() + ttl
        self.bytes += _size(key, response) - record.size
        record.size = _size(key, response)
        self._records.move_to_end(key)
        self._fit()

    async def release(self, key: str, claim: Claim) -> None:
        record = self._records.get(key)
        if record is not None and record.owner == claim.owner and record.response is None:
            self._drop(key)
