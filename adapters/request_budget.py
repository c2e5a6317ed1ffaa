"""How much vendor work one storefront request may cause.

A document can repeat a root field under aliases, each naming up to 250 lines, and one
line can cost a vendor call (a SKU looked up, an entry checked). Each incoming request
gets a fresh ``RequestBudget`` (set by ``gateway.http.request_ids``): every line a mutation
names is charged before anything is sent, so a field past ``MAX_LINES`` is refused as
``INVALID`` with no vendor call; and every vendor call is charged before it is sent, so
no request, whatever it asks, makes more than ``MAX_CALLS``. A lookup whose answer cannot
change within the request is made once for all its fields (``once_per_request``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from adapters.errors import InvalidInput, ServiceUnavailable

_T = TypeVar("_T")
# Two full 250-line mutations: everything a storefront sends, twice over.
MAX_LINES = 500
# A 250-line cart created on BigCommerce from 250 distinct SKUs is ~275 calls; twice that.
MAX_CALLS = 600


class CallsSpent(ServiceUnavailable):
    """The request made every vendor call it may; this one was not sent."""


@dataclass(slots=True)
class RequestBudget:
    """What is left of one request's lines and vendor calls, and the lookups it made."""

    lines: int = MAX_LINES
    calls: int = MAX_CALLS
    # Answers that cannot change within one request (a SKU's catalog entry), by key:
    # aliased root fields naming the same SKUs look each up once.
    lookups: dict[Hashable, asyncio.Future[Any]] = field(default_factory=dict)

    def charge_lines(self, count: int, field: Sequence[str]) -> None:
        if count > self.lines:
            raise InvalidInput(
                f"one request may name at most {MAX_LINES} lines in all; send the rest "
                "in another request", field=field)
        self.lines -= count

    def charge_call(self) -> None:
        if self.calls <= 0:
            raise CallsSpent(f"this request made the {MAX_CALLS} vendor calls one request may "
                             "make; what it changed so far stays: read the cart")
        self.calls -= 1


# None outside a request (probes, tests calling adapters directly): nothing is counted.
budget: ContextVar[RequestBudget | None] = ContextVar("cartgate_request_budget", default=None)


def charge_lines(count: int, field: Sequence[str]) -> None:
    """Charge the current request ``count`` lines, or refuse them before any vendor call."""
    if (current := budget.get()) is not None:
        current.charge_lines(count, field)


def charge_call() -> None:
    """Charge the current request one vendor call, or refuse to send it."""
    if (current := budget.get()) is not None:
        current.charge_call()


async def once_per_request(key: Hashable, call: Callable[[], Awaitable[_T]]) -> _T:
    """``call()``'s answer, asked for once per request and key (every time outside one)."""
    current = budget.get()
    if current is None:
        return await call()
    future = current.lookups.get(key)
    if future is None:
        future = current.lookups[key] = asyncio.ensure_future(call())
    # Shielded: one caller cancelled does not cancel the lookup the others await.
    result: _T = await asyncio.shield(future)
    return result
