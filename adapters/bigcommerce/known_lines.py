"""What a BigCommerce line is, remembered from the carts this process has answered with.

BigCommerce's ``PUT /carts/{id}/items/{item}`` needs the line's product and variant ids,
which the storefront does not send. They never change for a line id (a different product
or variant is a different line), so the last answer that showed the line says them
exactly, and an update needs no read first. A line not remembered (another process
answered with it, or it was forgotten) costs that read. A line id that no longer exists
is still the vendor's 404.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from adapters.model import Cart, LineKind

MAX_LINES = 20_000


@dataclass(frozen=True, slots=True)
class KnownLine:
    """The immutable facts of one cart line."""

    kind: LineKind
    product_id: str | None
    variant_id: str | None


class KnownLines:
    """Lines by (cart id, line id), least recently seen forgotten first."""

    def __init__(self, *, max_lines: int = MAX_LINES) -> None:
        self._lines: OrderedDict[tuple[str, str], KnownLine] = OrderedDict()
        self._max_lines = max_lines

    def __len__(self) -> int:
        return len(self._lines)

    def saw(self, cart: Cart | None) -> Cart | None:
        """Remember the lines of a cart answer; the cart, unchanged."""
        if cart is None:
            return None
        for line in cart.lines:
            key = (cart.id, line.id)
            self._lines[key] = KnownLine(line.kind, line.product_id, line.variant_id)
            self._lines.move_to_end(key)
        while len(self._lines) > self._max_lines:
            self._lines.popitem(last=False)
        return cart

    def get(self, cart_id: str, line_id: str) -> KnownLine | None:
        return self._lines.get((cart_id, line_id))
