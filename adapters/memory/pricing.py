"""A stored cart priced into the single model. Pure functions, no I/O.

Codes are applied as the vendor sandboxes apply them: a per-item code first, off every
unit of its products (an allocation on each such line); then each cart-level code in the
order the cart holds them, off what is left, never more than is left (an allocation on
the cart, as on a vendor without ``LINE_LEVEL_COUPON_ALLOCATION``). Every amount is
Money, quantized half up to the currency's minor units; a code that takes nothing off
(an empty cart, no product it applies to) is shown but not applicable.
"""

from __future__ import annotations

from decimal import Decimal

from adapters.line_cost import line_cost
from adapters.memory.catalog import Catalog, DiscountRule
from adapters.memory.store import StoredCart, StoredLine
from adapters.model import (
    Backend,
    Cart,
    CartCost,
    CartLine,
    DiscountAllocation,
    DiscountCode,
    DiscountKind,
)
from adapters.money import Money, money_sum


def version_of(cart: StoredCart) -> str:
    """The cart's opaque version: its store revision."""
    return str(cart.revision)


def price(cart: StoredCart, catalog: Catalog, *, backend: Backend) -> Cart:
    """The cart as a storefront sees it."""
    currency = cart.currency
    rules = [rule for code in cart.codes if (rule := catalog.code(code)) is not None]
    lines = tuple(_line(line, [r for r in rules if r.per_item], currency) for line in cart.lines)
    taken: dict[str, Money] = {}
    for line in lines:
        for allocation in line.discounts:
            _take(taken, allocation)
    left = money_sum([line.cost.total for line in lines], currency)
    on_cart: list[DiscountAllocation] = []
    for rule in rules:
        if rule.per_item:
            continue
        amount = min(_cart_discount(rule, left), left, key=lambda m: m.amount)
        left = left - amount
        allocation = DiscountAllocation(kind=DiscountKind.CODE, amount=amount, code=rule.code,
                                        title=rule.title)
        on_cart.append(allocation)
        _take(taken, allocation)
    subtotal = money_sum([line.cost.subtotal for line in lines], currency)
    discount = money_sum(list(taken.values()), currency)
    return Cart(
        id=cart.id, backend=backend, version=version_of(cart), currency=currency,
        cost=CartCost(subtotal=subtotal, total_discount=discount, total_tax=None,
                      total=subtotal - discount),
        lines=lines, locale=cart.locale, customer_id=cart.customer_id, email=cart.email,
        name=cart.name, description=cart.description, attributes=cart.attributes,
        note=cart.note,
        discount_codes=tuple(DiscountCode(code=rule.code, applicable=taken[rule.code].amount > 0)
                             for rule in rules),
        discounts=tuple(on_cart), created_at=cart.created_at, updated_at=cart.updated_at,
    )


def _take(taken: dict[str, Money], allocation: DiscountAllocation) -> None:
    code = allocation.code or ""
    taken[code] = taken[code] + allocation.amount if code in taken else allocation.amount


def _line(line: StoredLine, per_item: list[DiscountRule], currency: str) -> CartLine:
    unit = Money(line.unit_price, currency)
    allocations: list[DiscountAllocation] = []
    # Each unit takes at most one per-item code: the first that names its product.
    rule = next((r for r in per_item if line.product_id in r.product_ids), None)
    if rule is not None:
        off = min(_amount(rule, currency), unit, key=lambda m: m.amount)
        allocations.append(DiscountAllocation(kind=DiscountKind.CODE, amount=off * line.quantity,
                                              code=rule.code, title=rule.title))
    return CartLine(
        id=line.id, kind=line.kind, name=line.name, quantity=line.quantity,
        cost=line_cost(unit, line.quantity, allocations), product_id=line.product_id,
        variant_id=line.variant_id, sku=line.sku, image_url=line.image_url,
        options=line.options, discounts=tuple(allocations),
    )


def _amount(rule: DiscountRule, currency: str) -> Money:
    text = rule.amounts.get(currency)
    return Money.of(text, currency) if text is not None else Money.zero(currency)


def _cart_discount(rule: DiscountRule, base: Money) -> Money:
    if rule.percent is not None:
        return Money(base.amount * rule.percent / Decimal(100), base.currency)
    return _amount(rule, base.currency)
