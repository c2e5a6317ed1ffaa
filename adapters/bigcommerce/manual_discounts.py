"""Manual discounts as the body of ``POST /checkouts/{id}/discounts`` (checkouts.v3).

BigCommerce replaces every manual discount with each call, so the gateway's "replace the
set" is one POST of the whole new set: cart-level amounts under ``cart.discounts``, a
line's under ``cart.line_items`` (the empty set clears them). BigCommerce keeps no title:
it spreads a cart-level amount over the product lines by their value and shows each
line's share as a ``manual-discount`` discount, which the cart reads as a MANUAL
allocation on that line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.errors import InvalidInput, LineNotFound
from adapters.model import Cart, LineKind, ManualDiscount
from adapters.money import Money

# The id BigCommerce gives a line's share of the manual discounts.
MANUAL_DISCOUNT_ID = "manual-discount"
MANUAL_TITLE = "manual discount"


def discounts_body(cart: Cart, discounts: Sequence[ManualDiscount],
                   version: int | None) -> dict[str, Any]:
    """The request body; every amount and line checked against ``cart`` first."""
    whole: list[dict[str, Any]] = []
    per_line: list[dict[str, Any]] = []
    for index, discount in enumerate(discounts):
        at = ("discounts", str(index))
        price = Money.of(discount.amount, cart.currency)
        if price.amount != discount.amount:
            raise InvalidInput(f"{cart.currency} has no amounts as fine as {discount.amount}",
                               field=(*at, "amount"))
        if discount.line_id is None:
            whole.append({"discounted_amount": price.amount})
            continue
        line = cart.line(discount.line_id)
        if line is None:
            raise LineNotFound("the cart has no such line", field=(*at, "lineId"))
        if line.kind not in (LineKind.PHYSICAL, LineKind.DIGITAL):
            raise InvalidInput("BigCommerce discounts catalog product lines only",
                               field=(*at, "lineId"))
        per_line.append({"id": line.id, "discounted_amount": price.amount})
    body: dict[str, Any] = {"discounts": whole, "line_items": per_line}
    if version is not None:
        body["version"] = version
    return {"cart": body}
