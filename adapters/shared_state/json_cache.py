"""A small bounded store of JSON values with a time to live: the contract, and the
in-process implementation.

Two uses share it. Catalog facts a vendor call resolves (the variant a SKU names, an
Elastic Path product's kind, parent and options) change rarely and are asked for on every
add-to-cart or read; remembering them for a few minutes saves a sequential vendor call
each time. A missing or expired entry is ``None``: the caller asks the vendor again, and a
caller that finds an entry stale (the vendor refuses what it names) evicts it. The empty
carts the gateway holds for BigCommerce are kept the same way, for the vendor's own
expiry; there the entry is the only copy, so ``SharedState.records`` gives a store whose
failures are errors, never misses (see ``redis_json_cache``).

Values are JSON (a dict, a list, numbers, strings), so one process or a Redis shared by
many can hold them alike.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

# Enough for every SKU of a large storefront's busy catalog; each entry is a few hundred bytes.
MAX_ENTRIES = 10_000


class JsonCache(Protocol):
    """JSON values by key, each forgotten ``ttl`` seconds after it was put."""

    @property
    def ttl(self) -> float:
        """Seconds a value is kept; 0 keeps nothing."""
        ...

    async def get(self, key: str) -> Any | None:
        """The value, or None when it is missing or expired."""
        ...

    async def get_many(self, keys: Sequence[str]) -> list[Any | None]:
        """The value of each key, in order, as ``get`` gives it: one call for them all."""
        ...

    async def put(self, key: str, value: Any) -> None:
        """Remember a JSON value (never None) for the cache's time to live."""
        ...

    async def evict(self, key: str) -> None:
        """Forget a value (found stale, or no longer wanted)."""
        ...


class LocalJsonCache:
    """A least-recently-used map in this process, bounded in entries, with expiry."""

    def __init__(
        self, *, ttl: float, max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock

    def __repr__(self) -> str:
        return f"LocalJsonCache(entries={len(self._entries)}, ttl={self._ttl})"

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def ttl(self) -> float:
        return self._ttl

    async def get(self, key: str) -> Any | None:
        return self._get(key)

    async def get_many(self, keys: Sequence[str]) -> list[Any | None]:
        return [self._get(key) for key in keys]

    def _get(self, key: str) -> Any | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    async def put(self, key: str, value: Any) -> None:
        if self._ttl <= 0:
            return
        self._entries[key] = (self._clock() + self._ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def evict(self, key: str) -> None:
        self._entries.pop(key, None)
