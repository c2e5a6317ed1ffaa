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
        ``running_ttl`` s unless completed, so a crashed process does not block the key."""
        ...

    async def complete(self, key: str, claim: Claim, response: StoredResponse,
                       *, ttl: float) -> None:
        """Keep the answer of a started claim for ``ttl`` s."""
        ...

    async def release(self, key: str, claim: Claim) -> None:
        """Forget a started claim that produced no answer to keep."""
        ...


@dataclass(slots=True)
class _Record:
    fingerprint: str
    owner: str
    expires: float
    response: StoredResponse | None = None


class LocalIdempotencyStore:
    """Records in this process's memory; expired ones are dropped as new keys arrive."""

    def __init__(self) -> None:
        self._records: OrderedDict[str, _Record] = OrderedDict()

    def __len__(self) -> int:
        return len(self._records)

    def _purge(self, now: float) -> None:
        # Roughly oldest first: every write moves its record to the end.
        while self._records:
            key, record = next(iter(self._records.items()))
            if record.expires > now:
                break
            del self._records[key]

    async def claim(self, key: str, fingerprint: str, *, running_ttl: float) -> Claim:
        now = time.monotonic()
        self._purge(now)
        record = self._records.get(key)
        if record is not None and record.expires <= now:
            del self._records[key]
            record = None
        if record is None:
            owner = secrets.token_hex(16)
            self._records[key] = _Record(fingerprint, owner, now + running_ttl)
            return Claim("started", owner=owner)
        if record.fingerprint != fingerprint:
            return Claim("mismatch")
        if record.response is None:
            return Claim("running")
        return Claim("done", response=record.response)

    async def complete(self, key: str, claim: Claim, response: StoredResponse,
                       *, ttl: float) -> None:
        record = self._records.get(key)
        if record is None or record.owner != claim.owner:
            return
        record.response = response
        record.expires = time.monotonic() + ttl
        self._records.move_to_end(key)

    async def release(self, key: str, claim: Claim) -> None:
        record = self._records.get(key)
        if record is not None and record.owner == claim.owner and record.response is None:
            del self._records[key]
