"""The in-memory vendor's store operations, reported as the HTTP vendors' calls are.

Every store operation is one vendor call to the observers (``adapters/observer.py``):
method and endpoint template as a REST vendor of carts would spell them, the status such
a vendor would answer (404 no cart, 409 stale version, 422 refused, 503 store full), and
its duration. Metrics, spans and the per-caller rate limits then count the in-memory
vendor like any other. As with the HTTP vendors, whose adapters read a cart and write
only what differs, a change that writes nothing (the same values, or refused on what the
cart holds) was a read: ``GET /carts/{id}``. A refusal made before the store is touched
is no call at all.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from adapters.errors import CartgateError, CartNotFound, ServiceUnavailable, VersionConflict
from adapters.observer import BackendCall, BackendObserver

CARTS = "/carts"
CART = "/carts/{id}"
ITEMS = "/carts/{id}/items"
DISCOUNTS = "/carts/{id}/discounts"


class StoreCall:
    """One store operation under way; a change says when it writes."""

    def __init__(self, method: str, endpoint: str, *, writes: bool) -> None:
        self.method, self.endpoint, self.writes = method, endpoint, writes
        self.found = True
        self.started = time.perf_counter()

    def wrote(self) -> None:
        self.writes = True

    def not_found(self) -> None:
        """No cart answered, without an error raised (a read): a vendor's 404."""
        self.found = False

    def reported(self, status: int) -> BackendCall:
        method, endpoint = (self.method, self.endpoint) if self.writes else ("GET", CART)
        if status == 200:
            status = _success(method, endpoint) if self.found else 404
        return BackendCall(method, endpoint, status, None, time.perf_counter() - self.started)


def _success(method: str, endpoint: str) -> int:
    if endpoint == CARTS:
        return 201  # a cart created
    return 204 if (method, endpoint) == ("DELETE", CART) else 200


class StoreCalls:
    """Tells each observer about every store operation, as it ended."""

    def __init__(self, observer: BackendObserver | None = None) -> None:
        self._observers: tuple[BackendObserver, ...] = () if observer is None else (observer,)

    def also_tell(self, observer: BackendObserver) -> None:
        """Report every later call to ``observer`` too (a test's recorder)."""
        self._observers = (*self._observers, observer)

    def call(self, method: str, endpoint: str) -> AbstractAsyncContextManager[StoreCall]:
        """A read, creation or deletion: the block is the store operation."""
        return self._reporting(StoreCall(method, endpoint, writes=True))

    def change(self, method: str, endpoint: str) -> AbstractAsyncContextManager[StoreCall]:
        """A change of one cart: a read unless the block calls ``wrote()``."""
        return self._reporting(StoreCall(method, endpoint, writes=False))

    @asynccontextmanager
    async def _reporting(self, call: StoreCall) -> AsyncIterator[StoreCall]:
        try:
            yield call
        except CartNotFound:
            self._tell(call, 404)
            raise
        except VersionConflict:
            self._tell(call, 409)
            raise
        except ServiceUnavailable:
            self._tell(call, 503)  # the store is full, as a vendor over its limits answers
            raise
        except CartgateError:
            self._tell(call, 422)
            raise
        self._tell(call, 200)

    def _tell(self, call: StoreCall, status: int) -> None:
        if not self._observers:
            return  # the hot path stays one check when no one listens
        reported = call.reported(status)
        for observer in self._observers:
            observer(reported)
