"""How much vendor work one storefront request may cause.

A document can repeat a root field under aliases, each naming up to 250 lines, and one
line can cost a vendor call (a SKU looked up, an entry checked). Each incoming request
gets a fresh ``RequestBudget`` (set by ``gateway.request_ids``): every line a mutation
names is charged before anything is sent, so a field past ``MAX_LINES`` is refused as
``INVALID`` with no vendor call; and every vendor call is charged before it is sent, so
no request, whatever it asks, makes more than ``MAX_CALLS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from adapters.errors import InvalidInput, ServiceUnavailable

# Two full 250-line mutations: everything a storefront sends, twice over.
MAX_LINES = 500
# A 250-line cart created on BigCommerce from 250 distinct SKUs is ~275 calls; twice that.
MAX_CALLS = 600


class CallsSpent(ServiceUnavailable):
    """The request made every vendor call it may; this one was not sent."""


@dataclass(slots=True)
class RequestBudget:
    """What is left of one request's lines and vendor calls."""

    lines: int = MAX_LINES
    calls: int = MAX_CALLS

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
