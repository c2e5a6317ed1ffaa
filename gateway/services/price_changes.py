"""What a cart's prices became on another vendor: the total and each line that moved.

Vendors price the same cart differently (how a percentage coupon is rounded, what a
catalog charges), so a transfer says so instead of changing the total silently.
"""

from __future__ import annotations

from collections.abc import Iterator

from adapters.model import Cart, CartLine


def _key(line: CartLine) -> tuple[str, str]:
    return (line.kind.value, line.sku or line.name)


def price_changes(source: Cart, target: Cart) -> Iterator[str]:
    """A message for the total when it differs, then one per carried line whose unit
    price or total differs; nothing when every price is the same.
    """
    if source.cost.total == target.cost.total:
        return
    yield (f"the total changed from {source.cost.total} on {source.backend.name} "
           f"to {target.cost.total} on {target.backend.name}")
    carried = {_key(line): line for line in target.lines}
    for line in source.lines:
        after = carried.get(_key(line))
        if after is None:
            continue  # not carried: unmatchedLines says so
        before_cost, after_cost = line.cost, after.cost
        if (before_cost.amount_per_quantity, before_cost.total) != (
                after_cost.amount_per_quantity, after_cost.total):
            yield (f"line {line.sku or line.name}: {before_cost.total} "
                   f"({before_cost.amount_per_quantity} each) became {after_cost.total} "
                   f"({after_cost.amount_per_quantity} each)")
