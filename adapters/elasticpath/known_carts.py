"""What an Elastic Path write needs to know of a cart without reading it first.

An add needs the cart's currency (for custom line prices and the currency header), and
proof that the cart exists: Elastic Path creates a cart on the fly for a write to an id
it does not have, so a write to a deleted cart would bring it back. Both are remembered
from the carts this process answered with. A cart's creation time never changes, so a
write whose answer shows another creation time met a cart created by that write: the
cart had been deleted, and the adapter deletes the new one and says CART_NOT_FOUND.
Elastic Path states times in whole seconds, so a cart deleted elsewhere and written
here within the second it was created is not told apart: it comes back holding the
write, as Elastic Path itself makes carts on first write.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from adapters.model import Cart

MAX_CARTS = 20_000


@dataclass(frozen=True, slots=True)
class KnownCart:
    """The cart's currency, whether it had lines, and when it was created."""

    currency: str
    has_lines: bool
    created_at: datetime


class KnownCarts:
    """Carts by id, least recently seen forgotten first."""

    def __init__(self, *, max_carts: int = MAX_CARTS) -> None:
        self._carts: OrderedDict[str, KnownCart] = OrderedDict()
        self._max_carts = max_carts

    def __len__(self) -> int:
        return len(self._carts)

    def saw(self, cart: Cart | None) -> None:
        if cart is None or cart.created_at is None:
            return
        self._carts[cart.id] = KnownCart(cart.currency, bool(cart.lines), cart.created_at)
        self._carts.move_to_end(cart.id)
        while len(self._carts) > self._max_carts:
            self._carts.popitem(last=False)

    def get(self, cart_id: str) -> KnownCart | None:
        return self._carts.get(cart_id)

    def forget(self, cart_id: str) -> None:
        self._carts.pop(cart_id, None)
