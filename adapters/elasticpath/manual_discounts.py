"""Manual discounts as Elastic Path custom discounts, on the cart or on one item.

Custom discounts need ``discount_settings.custom_discounts_enabled`` on the cart, which
Elastic Path refuses beside ``use_rule_promotions``; amounts are negative minor units.
The cart read includes ``custom_discounts``, so the ones to replace are known from it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from adapters.errors import InvalidInput, LineNotFound
from adapters.model import Cart, DiscountAllocation, DiscountKind, LineKind, ManualDiscount
from adapters.money import Money

ENGINE = "cartgate"
Path = tuple[str, ...]


def custom_discounts(payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The cart's custom discounts, cart-level and per item, from ``included``."""
    found = (payload.get("included") or {}).get("custom_discounts") or []
    return [cd for cd in found if isinstance(cd, Mapping) and cd.get("id")]


def item_of(discount: Mapping[str, Any]) -> str | None:
    related = ((discount.get("relationships") or {}).get("item") or {}).get("data")
    return str(related["id"]) if isinstance(related, Mapping) and related.get("id") else None


def cart_level_allocations(payload: Mapping[str, Any], currency: str,
                           ) -> list[DiscountAllocation]:
    """The cart-level custom discounts as MANUAL allocations (item ones sit on their line)."""
    allocations = []
    for cd in custom_discounts(payload):
        if item_of(cd) is not None:
            continue
        raw = cd.get("amount")
        minor = _whole(raw.get("amount") if isinstance(raw, Mapping) else raw)
        title = str(cd.get("description") or cd.get("discount_code") or "") or None
        allocations.append(DiscountAllocation(
            kind=DiscountKind.MANUAL, amount=abs(Money.from_minor(minor, currency)),
            code=None, title=title))
    return allocations


def _whole(value: Any) -> int:
    if isinstance(value, int | Decimal) and not isinstance(value, bool) \
            and value == int(value):
        return int(value)
    raise ValueError(f"not a whole number of minor units: {value!r}")


def discount_entries(cart: Cart, discounts: Sequence[ManualDiscount]) -> list[dict[str, Any]]:
    """The bulk ``POST /custom-discounts`` entries; every amount and line checked first."""
    entries = []
    for index, discount in enumerate(discounts):
        at: Path = ("discounts", str(index))
        price = Money.of(discount.amount, cart.currency)
        if price.amount != discount.amount:
            raise InvalidInput(f"{cart.currency} has no amounts as fine as {discount.amount}",
                               field=(*at, "amount"))
        entry: dict[str, Any] = {
            "type": "custom_discount", "external_id": uuid.uuid4().hex,
            "discount_engine": ENGINE, "amount": -price.to_minor(),
            "description": discount.title, "discount_code": discount.title,
        }
        if discount.line_id is not None:
            line = cart.line(discount.line_id)
            if line is None:
                raise LineNotFound("the cart has no such line", field=(*at, "lineId"))
            kind = "custom_item" if line.kind is LineKind.CUSTOM else "cart_item"
            entry["relationships"] = {"item": {"data": {"type": kind, "id": line.id}}}
        entries.append(entry)
    return entries
