"""Totals in integer minor units: line values, Promotions Standard codes, custom discounts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .catalog import Catalog, Promotion
from .store import Cart, Line


@dataclass(frozen=True, slots=True)
class LineDiscount:
    """One discount on a line: a promotion's or a custom discount's share, negative."""

    amount: int
    code: str
    id: str


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A product or custom line with its value before and after its own discounts."""

    line: Line
    value: int
    discounts: tuple[LineDiscount, ...]
    tax: int = 0

    @property
    def discount(self) -> int:
        """The sum of this line's discounts (zero or negative)."""
        return sum(d.amount for d in self.discounts)


@dataclass(frozen=True, slots=True)
class PricedPromotionItem:
    """A cart-level promotion shown as a `promotion_item` line with a negative value."""

    id: str
    promotion: Promotion
    amount: int


@dataclass(frozen=True, slots=True)
class PricedCart:
    """Every figure that cart and item responses display."""

    currency: str
    lines: tuple[PricedLine, ...]
    promotion_items: tuple[PricedPromotionItem, ...]
    cart_custom_discount: int
    without_discount: int
    discount: int
    tax: int = 0
    shipping: int = 0
    discounts_by_code: dict[str, int] = field(default_factory=dict)

    @property
    def without_tax(self) -> int:
        """The total after every discount, before tax."""
        return self.without_discount + self.discount

    @property
    def with_tax(self) -> int:
        """The total the shopper pays: goods after discounts, tax and shipping."""
        return self.without_tax + self.tax + self.shipping


def round_half_up(value: Decimal) -> int:
    """Round to a whole minor unit, halves away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def price_cart(cart: Cart, *, catalog: Catalog, currency: str) -> PricedCart:
    """Price the cart: item-level promotions, then cart-level ones, then custom discounts."""
    promotions = [
        (applied, promo)
        for applied in cart.promotions
        if (promo := catalog.promotion(applied.code)) is not None
    ]
    item_promotions = [p for _, p in promotions if p.is_item_level]
    lines = tuple(_price_line(line, item_promotions, currency) for line in cart.lines)

    remaining = sum(pl.value + pl.discount for pl in lines)
    promotion_items: list[PricedPromotionItem] = []
    for applied, promo in promotions:
        if promo.is_item_level:
            continue
        amount = min(_cart_discount(promo, remaining, currency), remaining)
        remaining -= amount
        promotion_items.append(PricedPromotionItem(applied.promotion_item_id, promo, -amount))

    cart_custom = sum(cd.amount for cd in cart.custom_discounts)
    by_code: dict[str, int] = {}
    for pl in lines:
        for d in pl.discounts:
            by_code[d.code] = by_code.get(d.code, 0) + d.amount
    for pi in promotion_items:
        by_code[pi.promotion.code] = by_code.get(pi.promotion.code, 0) + pi.amount
    for cd in cart.custom_discounts:
        by_code[cd.discount_code] = by_code.get(cd.discount_code, 0) + cd.amount

    return PricedCart(
        currency=currency,
        lines=lines,
        promotion_items=tuple(promotion_items),
        cart_custom_discount=cart_custom,
        without_discount=sum(pl.value for pl in lines),
        discount=sum(pl.discount for pl in lines)
        + sum(pi.amount for pi in promotion_items)
        + cart_custom,
        tax=sum(pl.tax for pl in lines),
        shipping=sum(g.total for g in cart.shipping_groups
                     if any(line.shipping_group_id == g.id for line in cart.lines)),
        discounts_by_code=by_code,
    )


def _price_line(line: Line, item_promotions: list[Promotion], currency: str) -> PricedLine:
    value = line.unit_amount * line.quantity
    discounts: list[LineDiscount] = []
    if line.type == "cart_item":
        # Each unit of a SKU takes at most one item-level promotion: the first that matches.
        promo = next((p for p in item_promotions if _targets(p, line)), None)
        if promo is not None and currency in promo.values:
            per_unit = _item_unit_discount(promo, line.unit_amount, currency)
            if per_unit:
                discounts.append(LineDiscount(-per_unit * line.quantity, promo.code, promo.id))
    for cd in line.custom_discounts:
        discounts.append(LineDiscount(cd.amount, cd.discount_code, cd.id))
    net = value + sum(d.amount for d in discounts)
    # Each tax item taxes the line after its discounts, rounded half up on its own.
    tax = sum(round_half_up(Decimal(net) * t.rate) for t in line.tax_items)
    return PricedLine(line=line, value=value, discounts=tuple(discounts), tax=tax)


def _targets(promo: Promotion, line: Line) -> bool:
    return "all" in promo.targets or line.sku in promo.targets or line.product_id in promo.targets


def _item_unit_discount(promo: Promotion, unit_amount: int, currency: str) -> int:
    if promo.promotion_type == "item_fixed_discount":
        return min(promo.values[currency], unit_amount)
    if promo.promotion_type == "item_percent_discount":
        return round_half_up(Decimal(unit_amount) * promo.values[currency] / 100)
    return 0


def _cart_discount(promo: Promotion, base: int, currency: str) -> int:
    if currency not in promo.values or base <= 0:
        # Elastic Path skips a promotion that has no value in the cart's currency.
        return 0
    if promo.promotion_type == "percent_discount":
        return round_half_up(Decimal(base) * promo.values[currency] / 100)
    if promo.promotion_type == "fixed_discount":
        return promo.values[currency]
    return 0
