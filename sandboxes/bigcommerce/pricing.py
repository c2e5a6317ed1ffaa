"""Cart amounts and coupon allocation, in Decimal only, to each currency's minor unit.

Coupons are applied in the order they were added. Each one is allocated to product
lines (custom items and gift certificates are never discounted): percentage coupons
take round(extended_sale_price x percent / 100) from each line, per-item coupons take
min(amount, sale_price) x quantity from the lines of their products, and per-order
coupons take min(amount, what is left of the order), spread over the lines in
proportion to what is left of each, the rounding remainder landing on the last line.
No line is ever discounted below zero: a coupon's share is capped at what earlier
coupons left of that line, so the cart amount never goes negative. Manual discounts come
after coupons: a line's own amount first, then the cart-level amounts spread over the
lines like a per-order coupon (checkouts.v3 "Add Discount to Checkout").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .catalog import Catalog, Coupon, Product, Variant
from .state import Cart, ProductLine

# ISO 4217 minor units of the currencies the sandbox catalog prices in.
MINOR_UNITS = {"USD": 2, "EUR": 2, "JPY": 0, "JOD": 3}

PERCENTAGE = "1"
PER_ITEM = "0"
PER_TOTAL = "2"


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit (0.01 USD, 1 JPY, 0.001 JOD)."""
    return amount.quantize(Decimal(1).scaleb(-MINOR_UNITS[currency]), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A product line with its prices and the coupon shares allocated to it."""

    line: ProductLine
    product: Product
    variant: Variant
    original_price: Decimal
    list_price: Decimal
    sale_price: Decimal
    extended_list_price: Decimal
    extended_sale_price: Decimal
    coupon_shares: tuple[tuple[Coupon, Decimal], ...]
    coupon_amount: Decimal
    manual_amount: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class PricedCart:
    """A cart with every amount its JSON shows."""

    cart: Cart
    lines: tuple[PricedLine, ...]
    coupon_totals: tuple[tuple[Coupon, Decimal], ...]
    coupon_amount: Decimal
    base_amount: Decimal
    discount_amount: Decimal
    cart_amount: Decimal
    manual_amount: Decimal = Decimal(0)


def _allocate(
    coupon: Coupon, lines: list[PricedLine], left: list[Decimal], currency: str
) -> list[Decimal]:
    zero = quantize(Decimal(0), currency)
    if coupon.coupon_type == PERCENTAGE:
        percent = coupon.percent if coupon.percent is not None else Decimal(0)
        return [quantize(p.extended_sale_price * percent / 100, currency) for p in lines]
    amount = quantize(coupon.amounts.get(currency, Decimal(0)), currency)
    if coupon.coupon_type == PER_ITEM:
        return [
            min(amount, p.sale_price) * p.line.quantity
            if p.product.id in coupon.product_ids
            else zero
            for p in lines
        ]
    if coupon.coupon_type == PER_TOTAL:
        return _spread(amount, left, currency)
    return [zero for _ in lines]


def _spread(amount: Decimal, left: list[Decimal], currency: str) -> list[Decimal]:
    """``amount`` (at most what is left) over the lines in proportion to what is left of
    each, the rounding remainder on the last line with something left.
    """
    zero = quantize(Decimal(0), currency)
    total = sum(left, zero)
    if total <= 0:
        return [zero for _ in left]
    amount = min(amount, total)
    last = max(i for i, rest in enumerate(left) if rest > 0)
    shares = [quantize(amount * rest / total, currency) for rest in left]
    shares[last] = amount - sum((s for i, s in enumerate(shares) if i != last), zero)
    return shares


def _manual_shares(cart: Cart, lines: list[PricedLine], left: list[Decimal]) -> list[Decimal]:
    """Each line's manual discount: its own amount, then its share of the cart-level ones."""
    own = [min(cart.manual_line_discounts.get(p.line.id, Decimal(0)), rest)
           for p, rest in zip(lines, left, strict=True)]
    rest = [r - o for r, o in zip(left, own, strict=True)]
    whole = sum(cart.manual_discounts, Decimal(0))
    return [o + s for o, s in zip(own, _spread(whole, rest, cart.currency), strict=True)]


def _price_line(line: ProductLine, catalog: Catalog, currency: str) -> PricedLine:
    product = catalog.products[line.product_id]
    variant = product.variant(line.variant_id)
    assert variant is not None, "lines are only made from catalog variants"
    original = quantize(product.price(variant, currency), currency)
    listed = original if line.list_price_override is None else line.list_price_override
    listed = quantize(listed, currency)
    return PricedLine(
        line=line,
        product=product,
        variant=variant,
        original_price=original,
        list_price=listed,
        sale_price=listed,  # the sandbox catalog has no sale prices
        extended_list_price=listed * line.quantity,
        extended_sale_price=listed * line.quantity,
        coupon_shares=(),
        coupon_amount=quantize(Decimal(0), currency),
    )


def price_cart(cart: Cart, catalog: Catalog) -> PricedCart:
    """Compute every line and cart amount, allocating the cart's coupons to its lines."""
    currency = cart.currency
    zero = quantize(Decimal(0), currency)
    lines = [_price_line(line, catalog, currency) for line in cart.product_lines]
    left = [p.extended_sale_price for p in lines]
    shares: list[list[tuple[Coupon, Decimal]]] = [[] for _ in lines]
    totals: list[tuple[Coupon, Decimal]] = []
    for code in cart.coupon_codes:
        coupon = catalog.coupon(code)
        if coupon is None:
            continue
        coupon_total = zero
        for i, share in enumerate(_allocate(coupon, lines, left, currency)):
            share = min(share, left[i])
            if share > 0:
                shares[i].append((coupon, share))
                left[i] -= share
                coupon_total += share
        totals.append((coupon, coupon_total))
    manual = _manual_shares(cart, lines, left)
    priced = tuple(
        PricedLine(
            line=p.line,
            product=p.product,
            variant=p.variant,
            original_price=p.original_price,
            list_price=p.list_price,
            sale_price=p.sale_price,
            extended_list_price=p.extended_list_price,
            extended_sale_price=p.extended_sale_price,
            coupon_shares=tuple(s),
            coupon_amount=sum((amount for _, amount in s), zero),
            manual_amount=quantize(m, currency),
        )
        for p, s, m in zip(lines, shares, manual, strict=True)
    )
    base = sum((p.extended_sale_price for p in priced), zero)
    base += sum((quantize(c.list_price * c.quantity, currency) for c in cart.custom_lines), zero)
    base += sum(
        (quantize(g.amount * g.quantity, currency) for g in cart.gift_certificate_lines), zero
    )
    coupon_amount = sum((amount for _, amount in totals), zero)
    discount_amount = zero  # order-level automatic promotions: the sandbox has none
    manual_amount = sum((p.manual_amount for p in priced), zero)
    return PricedCart(
        cart=cart,
        lines=priced,
        coupon_totals=tuple(totals),
        coupon_amount=coupon_amount,
        base_amount=base,
        discount_amount=discount_amount,
        cart_amount=base - coupon_amount - discount_amount - manual_amount,
        manual_amount=manual_amount,
    )
