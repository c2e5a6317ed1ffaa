"""Small records kept for a while under a key: the contract, and the in-process store.

What the gateway holds for a vendor that cannot (an empty BigCommerce cart) and what it
remembers to save vendor calls (catalog data) lives here: in this process's memory, or
in the Redis every gateway process shares. Each record expires after its own TTL; the
in-process store also keeps at most ``max_records``, dropping the oldest first.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol


class RecordStore(Protocol):
    """Bytes under string keys, each kept for a TTL."""

    async def get(self, key: str) -> bytes | None:
        """The record, or None when there is none or it expired."""
        ...

    async def put(self, key: str, value: bytes, *, ttl: float) -> None:
        """Keep ``value`` under ``key`` for ``ttl`` seconds, replacing any record."""
        ...

    async def delete(self, key: str) -> None:
        """Forget the record, if any."""
        ...


class LocalRecords:
    """Records in this process's memory, oldest dropped first past ``max_records``."""

    def __init__(self, *, max_records: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._records: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._max = max_records
        self._clock = clock

    def __len__(self) -> int:
        return len(self._records)

    def __repr__(self) -> str:
        return f"LocalRecords(max_records={self._max})"

    async def get(self, key: str) -> bytes | None:
        record = self._records.get(key)
        if record is None:
            return None
        expires, value = record
        if expires <= self._clock():
            del self._records[key]
            return None
        return value

    async def put(self, key: str, value: bytes, *, ttl: float) -> None:
        self._records[key] = (self._clock() + ttl, value)
        self._records.move_to_end(key)
        while len(self._records) > self._max:
            self._records.popitem(last=False)

    async def delete(self, key: str) -> None:
        self._records.pop(key, None)
