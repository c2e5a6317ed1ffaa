"""Per-caller limits on what reaches the vendors, in vendor calls per second.

Every request runs with a ``RequestBudget`` (a context variable the view sets); the
backends' observer counts each vendor call made for it. Before an operation runs, the
gate asks ``CallLimits.admit``: a storefront caller needs a call left in the bucket of
its client address and in the bucket of every cart the operation names, a trusted caller
in its own (larger) address bucket. Admission takes one call from each; when the
operation ends, ``settle`` charges what it really spent. A refused operation makes no
vendor call and is told how long to wait (``Retry-After``).

The buckets live in ``adapters.shared_state``: this process's memory, or Redis shared by
every process when ``CARTGATE_REDIS_URL`` is set.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from adapters.shared_state.rate_buckets import Bucket, RateBuckets
from gateway.access.callers import Caller


@dataclass
class RequestBudget:
    """What one request has been admitted for and what it has spent."""

    caller: Caller
    calls: int = 0
    buckets: tuple[Bucket, ...] = field(default=())
    taken: int = 0


_current: ContextVar[RequestBudget | None] = ContextVar("cartgate_budget", default=None)


def vendor_call_made() -> None:
    """Count one vendor call against the request being served, if any."""
    budget = _current.get()
    if budget is not None:
        budget.calls += 1


@contextmanager
def budget_of(caller: Caller) -> Iterator[RequestBudget]:
    """The request's budget, current while the request runs."""
    budget = RequestBudget(caller)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def current_budget() -> RequestBudget | None:
    return _current.get()


class CallLimits:
    """The configured rates, and admission and settlement against the shared buckets."""

    def __init__(self, *, buckets: RateBuckets, storefront: float, cart: float,
                 server: float, burst: float) -> None:
        self._buckets = buckets
        self._storefront = storefront
        self._cart = cart
        self._server = server
        self._burst = burst

    def __repr__(self) -> str:
        return (f"CallLimits(storefront={self._storefront:g}/s, cart={self._cart:g}/s, "
                f"server={self._server:g}/s)")

    def _bucket(self, name: str, rate: float) -> Bucket:
        return Bucket(name=name, rate=rate, capacity=max(1.0, rate * self._burst))

    def buckets(self, caller: Caller, cart_ids: Iterable[str]) -> tuple[Bucket, ...]:
        """The buckets an operation of this caller on these carts draws from."""
        found: list[Bucket] = []
        if caller.trusted:
            if self._server:
                found.append(self._bucket(f"server:{caller.address}", self._server))
            return tuple(found)
        if self._storefront:
            found.append(self._bucket(f"storefront:{caller.address}", self._storefront))
        if self._cart:
            for cart_id in sorted(set(cart_ids)):
                # Hashed: a cart id is the caller's text, of any length.
                digest = hashlib.sha256(cart_id.encode()).hexdigest()[:32]
                found.append(self._bucket(f"cart:{digest}", self._cart))
        return tuple(found)

    async def admit(self, budget: RequestBudget, cart_ids: Iterable[str]) -> float:
        """0.0 when the operation may run (one call taken), else the seconds to wait."""
        buckets = self.buckets(budget.caller, cart_ids)
        if not buckets:
            return 0.0
        wait = await self._buckets.take(buckets)
        if not wait:
            budget.buckets += buckets
            budget.taken += 1
        return wait

    async def settle(self, budget: RequestBudget) -> None:
        """Charge what the request spent beyond what admission took (or give it back)."""
        if budget.buckets:
            await self._buckets.charge(budget.buckets, budget.calls - budget.taken)
