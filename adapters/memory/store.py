"""The in-memory vendor's carts: immutable records in a dict, one writer per cart.

A write builds a new record from the current one and replaces it only when the whole
change succeeded, so a refused change leaves nothing behind. Writes to one cart hold that
cart's asyncio lock (``adapters.locks.KeyedLocks``) from the read to the replacement, so
two tasks racing on a cart never lose a write, even when ``latency`` makes every call
wait as a vendor's round trip would. Every replacement takes the next revision of the
store, so a cart's version changes on every write and never comes back.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from adapters import user_messages as messages
from adapters.errors import CartNotFound, ServiceUnavailable
from adapters.locks import KeyedLocks
from adapters.model import Attribute, LineKind, SelectedOption


@dataclass(frozen=True, slots=True)
class StoredLine:
    """A line as the store keeps it: what it is, how many, and its unit price."""

    id: str
    kind: LineKind
    name: str
    quantity: int
    unit_price: Decimal
    sku: str | None = None
    product_id: str | None = None
    variant_id: str | None = None
    image_url: str | None = None
    options: tuple[SelectedOption, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredCart:
    """A cart as the store keeps it; priced into the model on every read."""

    id: str
    revision: int
    currency: str
    created_at: datetime
    updated_at: datetime
    lines: tuple[StoredLine, ...] = ()
    locale: str | None = None
    customer_id: str | None = None
    email: str | None = None
    name: str | None = None
    description: str | None = None
    attributes: tuple[Attribute, ...] = ()
    note: str | None = None
    codes: tuple[str, ...] = ()


# What one process keeps at the most: a storefront may create carts and lines without
# end, and memory must not follow it. Past either bound the write is refused, as a full
# vendor would refuse it, and nothing kept is ever dropped to make room.
MAX_CARTS = 10_000
MAX_LINES = 250

# A change to one cart: the new record (the same one: nothing to write), or an error.
Change = Callable[[StoredCart], StoredCart]


class CartStore:
    """Carts by id, with a lock per cart for writes and a revision counter for versions."""

    def __init__(self, *, latency: float = 0.0,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 max_carts: int = MAX_CARTS, max_lines: int = MAX_LINES) -> None:
        self._carts: dict[str, StoredCart] = {}
        self._max_carts = max_carts
        self._max_lines = max_lines
        self._locks = KeyedLocks()
        self._revisions = itertools.count(1)
        self._latency = latency
        self._clock = clock

    def __len__(self) -> int:
        return len(self._carts)

    async def round_trip(self) -> None:
        """Wait as long as a vendor call would (nothing when ``latency`` is 0)."""
        await asyncio.sleep(self._latency)

    async def get(self, cart_id: str) -> StoredCart | None:
        await self.round_trip()
        return self._carts.get(cart_id)

    async def create(self, draft: StoredCart) -> StoredCart:
        """Store a new cart: the draft with the store's next revision and the time."""
        await self.round_trip()
        if len(self._carts) >= self._max_carts:
            raise ServiceUnavailable(
                f"the in-memory vendor keeps at most {self._max_carts} carts")
        self._within_line_bound(draft)
        now = self._clock()
        cart = dataclasses.replace(draft, revision=next(self._revisions), created_at=now,
                                   updated_at=now)
        self._carts[cart.id] = cart
        return cart

    @asynccontextmanager
    async def _holding(self, cart_id: str) -> AsyncIterator[StoredCart]:
        """The cart as it is, under its lock until the block ends; the wait of a vendor's
        write call falls between the read and the write, where a race would strike.
        """
        async with self._locks.hold(cart_id):
            current = self._carts.get(cart_id)
            await self.round_trip()
            if current is None:
                raise CartNotFound(messages.CART_NOT_FOUND, field=("cartId",))
            yield current

    async def change(self, cart_id: str, change: Change) -> StoredCart:
        """Apply ``change`` to the cart as it is under its lock; CartNotFound when there
        is none. A record ``change`` returns unchanged is not written again.
        """
        async with self._holding(cart_id) as current:
            changed = change(current)
            if changed is current:
                return current
            self._within_line_bound(changed)
            stored = dataclasses.replace(changed, revision=next(self._revisions),
                                         updated_at=self._clock())
            self._carts[cart_id] = stored
            return stored

    def _within_line_bound(self, cart: StoredCart) -> None:
        if len(cart.lines) > self._max_lines:
            raise ServiceUnavailable(
                f"the in-memory vendor keeps at most {self._max_lines} lines in a cart")

    async def delete(self, cart_id: str, *,
                     when: Callable[[StoredCart], bool] = lambda cart: True) -> StoredCart | None:
        """Delete the cart if ``when`` holds for it: None when it was deleted, else the
        cart kept. CartNotFound when there is none.
        """
        async with self._holding(cart_id) as current:
            if not when(current):
                return current
            del self._carts[cart_id]
            return None
