"""One meaning of a line's cost on every vendor (Shopify's), built in one place.

``amount_per_quantity`` is the unit price before any discount: the catalog price, or the
list price the caller set. ``compare_at_amount_per_quantity`` is a higher "was" price
from the catalog (a sale), else None. ``subtotal`` is the unit price times the quantity,
exactly. ``total`` is the subtotal less the line's own discount allocations; what a
vendor takes off the whole cart stays on the cart.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.model import DiscountAllocation, LineCost
from adapters.money import Money


def line_cost(
    unit: Money,
    quantity: int,
    allocations: Sequence[DiscountAllocation],
    *,
    compare_at: Money | None = None,
) -> LineCost:
    """The cost of ``quantity`` units at ``unit`` with the line's own ``allocations``."""
    subtotal = unit * quantity
    total = subtotal
    for allocation in allocations:
        total = total - allocation.amount
    was = compare_at if compare_at is not None and compare_at.amount > unit.amount else None
    return LineCost(amount_per_quantity=unit, compare_at_amount_per_quantity=was,
                    subtotal=subtotal, total=total)
