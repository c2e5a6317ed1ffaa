"""Per-key write locks: the contract, and the in-process implementation.

A key's lock is held alone (``hold``: a write that checks the cart first, or takes
several vendor calls) or shared (``share``: writes of one vendor call each, made without
a check, which the vendor itself applies one at a time). Sharers run beside each other,
never beside a holder, and a holder that waits goes before sharers that come later.

A holder or sharer gets a ``Lease``. Before each vendor write it calls ``lease.verify()``,
which raises ``ServiceUnavailable`` when the lease was lost (it expired while the holder
stalled, and another holder may have written since); a lease that is still held is
renewed by the same call. In one process nothing expires, so ``verify`` never fails.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from adapters.locks import KeyedLocks


class Lease(Protocol):
    """The right to write one key, numbered by a fence that only grows.

    A holder's fence is the next number; a sharer's is the last holder's, so equal
    fences mean no holder wrote between (``elasticpath/cart_fields.py`` relies on it).
    """

    @property
    def fence(self) -> int: ...

    async def verify(self) -> None:
        """Raise ServiceUnavailable unless the lease is still held; renew it if it is."""


class CartLocks(Protocol):
    """One lock per key (a cart id), held for a block."""

    def hold(self, key: str) -> AbstractAsyncContextManager[Lease]:
        """Wait for the key's lock, hold it alone for the block, release it on every path."""
        ...

    def share(self, key: str) -> AbstractAsyncContextManager[Lease]:
        """Wait until no one holds the key's lock, share it for the block, release it."""
        ...


class LocalLease:
    """A lease on an in-process lock: it cannot be lost while its block runs."""

    fence = 0

    async def verify(self) -> None:
        return None


class LocalLocks:
    """The in-process locks: asyncio locks that exist while held or awaited."""

    def __init__(self) -> None:
        self._locks = KeyedLocks()

    def __len__(self) -> int:
        return len(self._locks)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[Lease]:
        async with self._locks.hold(key):
            yield LocalLease()

    @asynccontextmanager
    async def share(self, key: str) -> AsyncIterator[Lease]:
        async with self._locks.share(key):
            yield LocalLease()
