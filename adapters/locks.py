"""Per-key asyncio locks that exist only while someone holds or waits for them.

A backend whose vendor has no concurrency control (Elastic Path) orders the writes to
one cart inside the process with ``KeyedLocks``; memory stays bounded by the number of
carts being written right now, not by every cart ever seen.

A key's lock is held alone (``hold``) or shared (``share``): writes that need no check
of the cart and are one vendor call each may run beside each other, never beside a
holder. The lock is aiorwlock's, which prefers holders: a sharer arriving while a
holder waits queues behind it, so a stream of sharers cannot starve a checked write.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

from aiorwlock import RWLock


def _lock() -> RWLock:
    # Fast: no extra turn of the event loop after an uncontended acquire.
    return RWLock(fast=True)


@dataclass(slots=True)
class _Entry:
    lock: RWLock = field(default_factory=_lock)
    users: int = 0


class KeyedLocks:
    """One read-write lock per key; an entry is dropped when no task holds or awaits it."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def hold(self, key: str) -> AbstractAsyncContextManager[None]:
        """Hold the key's lock alone for the block; released on every path, cancellation too."""
        return self._held(key, shared=False)

    def share(self, key: str) -> AbstractAsyncContextManager[None]:
        """Hold the key's lock for the block beside other sharers, never beside a holder."""
        return self._held(key, shared=True)

    @asynccontextmanager
    async def _held(self, key: str, *, shared: bool) -> AsyncIterator[None]:
        entry = self._enter(key)
        try:
            async with entry.lock.reader_lock if shared else entry.lock.writer_lock:
                yield
        finally:
            self._leave(key, entry)

    def _enter(self, key: str) -> _Entry:
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry()
        entry.users += 1
        return entry

    def _leave(self, key: str, entry: _Entry) -> None:
        entry.users -= 1
        if entry.users == 0 and self._entries.get(key) is entry:
            del self._entries[key]
