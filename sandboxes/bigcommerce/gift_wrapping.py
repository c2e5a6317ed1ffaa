"""The store's gift wrapping options and a wrapped line's ``gift_wrapping`` as it answers.

carts.v3 takes ``wrap_together`` and ``wrap_details`` (option id, message) on a physical
line and answers ``gift_wrapping`` with a ``name``, a ``message`` and an ``amount``; it
does not say whether that amount counts in the cart's totals, so the sandbox shows it on
the line only and leaves ``cart_amount`` alone. The one option is the spec's example.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .errors import unprocessable
from .pricing import quantize
from .state import GiftWrap

WRAP_NAME = "Gift Wrap 1"
WRAP_COSTS = {"USD": Decimal("1.99"), "EUR": Decimal("1.99"), "JPY": Decimal(200),
              "JOD": Decimal("1.500")}
WRAP_OPTION_IDS = frozenset({0})


def check_wrapping(wrapping: GiftWrap | None, digital: bool, field: str) -> None:
    """A 422 for wrapping a digital item or naming an option the store does not have."""
    if wrapping is None:
        return
    if digital:
        raise unprocessable(f"{field}.gift_wrapping", "Digital items cannot be gift wrapped")
    for i, (option_id, _) in enumerate(wrapping.details):
        if option_id not in WRAP_OPTION_IDS:
            raise unprocessable(f"{field}.gift_wrapping.wrap_details.{i}.id",
                                f"Gift wrapping option {option_id} not found")


def wrapping_json(wrapping: GiftWrap | None, quantity: int, currency: str) -> Any:
    """The line's ``gift_wrapping``: one wrap's cost, or one per item when not together."""
    if wrapping is None:
        return None
    wraps = 1 if wrapping.wrap_together else quantity
    return {
        "name": WRAP_NAME,
        "message": "\n".join(m for _, m in wrapping.details if m),
        "amount": quantize(WRAP_COSTS[currency] * wraps, currency),
    }
