"""Where sandbox carts live: in memory, forgotten 30 days after their last change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from .errors import conflict, not_found
from .state import Cart

# BigCommerce: "Carts are valid for 30 days from the last modification".
CART_LIFETIME = timedelta(days=30)


def utc_now() -> datetime:
    """The current time in UTC, the store's default clock."""
    return datetime.now(UTC)


class CartStore:
    """Carts by id, with expiry and the version bookkeeping every write shares."""

    def __init__(self, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._carts: dict[str, Cart] = {}

    def now(self) -> datetime:
        """The store clock's current time."""
        return self._clock()

    def get(self, cart_id: str) -> Cart | None:
        """The live cart with this id; an expired cart is dropped and reads as absent."""
        cart = self._carts.get(cart_id)
        if cart is None:
            return None
        if self.now() >= cart.updated_time + CART_LIFETIME:
            del self._carts[cart_id]
            return None
        return cart

    def require(self, cart_id: str, expected_version: int | None = None) -> Cart:
        """The live cart, or a 404; with an expected version, a 409 when it differs."""
        cart = self.get(cart_id)
        if cart is None:
            raise not_found("Cart not found")
        if expected_version is not None and expected_version != cart.version:
            raise conflict()
        return cart

    def add(self, cart: Cart) -> None:
        """Keep a newly created cart."""
        self._carts[cart.id] = cart

    def delete(self, cart_id: str) -> None:
        """Forget a cart."""
        self._carts.pop(cart_id, None)

    def touch(self, cart: Cart) -> None:
        """Record a change: the version moves on and the 30 days start again."""
        cart.version += 1
        cart.updated_time = self.now()
