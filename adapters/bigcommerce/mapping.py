"""BigCommerce Carts v3 JSON -> the single cart model. Pure functions, no I/O.

BigCommerce amounts are major units (JSON numbers, parsed as Decimal). Custom items
carry ``quantity`` and ``list_price`` as strings, and discount ids may be integers or
strings; both are accepted. Coupons are allocated to items (``item.discounts``), so
line totals already include them; what a coupon leaves unallocated, and the cart's
order-level ``discount_amount``, become cart-level allocations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from adapters.bigcommerce.gift_certificates import card_of
from adapters.bigcommerce.manual_discounts import MANUAL_DISCOUNT_ID, MANUAL_TITLE
from adapters.bigcommerce.promotion_banners import promotion_banners
from adapters.errors import ServiceUnavailable
from adapters.line_cost import line_cost
from adapters.line_memo import LineMemo, json_text
from adapters.model import (
    Backend,
    Cart,
    CartCost,
    CartLine,
    DiscountAllocation,
    DiscountCode,
    DiscountKind,
    LineGiftWrapping,
    LineKind,
    SelectedOption,
)
from adapters.money import Money, money_sum, normalize_currency, quantized, to_decimal
from adapters.vendor_answers import checked_line, checked_without_lines, few_enough
from adapters.versions import content_version

_ITEM_GROUPS = (
    ("physical_items", LineKind.PHYSICAL),
    ("digital_items", LineKind.DIGITAL),
    ("custom_items", LineKind.CUSTOM),
    ("gift_certificates", LineKind.GIFT_CERTIFICATE),
)


# Every field of an item ``_to_line`` reads (``card_of`` too): a line is remembered by
# these alone (left out when the item does not have one), so a field it starts to read
# must be named here, or a line would be remembered past its change.
_LINE_FIELDS = ("id", "quantity", "list_price", "amount", "original_price", "discounts",
                "name", "product_id", "variant_id", "sku", "image_url", "options",
                "added_by_promotion", "gift_wrapping", "sender", "recipient", "theme",
                "message")


def to_cart(data: Mapping[str, Any], lines: LineMemo | None = None) -> Cart:
    """The model of a Cart_Full ``data`` object; ServiceUnavailable when it is malformed.

    ``lines``: the lines built from earlier answers, reused for items that are unchanged.
    """
    try:
        return checked_without_lines(_to_cart(data, lines))
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise ServiceUnavailable(
            f"BigCommerce answered with a cart the gateway cannot read ({exc.__class__.__name__})"
        ) from exc


def _to_cart(data: Mapping[str, Any], memo: LineMemo | None) -> Cart:
    currency = normalize_currency(str(data["currency"]["code"]))
    coupons = data.get("coupons") or []
    single_code = str(coupons[0]["code"]) if len(coupons) == 1 else None
    line_items = data.get("line_items") or {}
    few_enough([item for group, _ in _ITEM_GROUPS for item in line_items.get(group) or []])
    lines: list[CartLine] = []
    for group, kind in _ITEM_GROUPS:
        for item in line_items.get(group) or []:
            if memo is None:
                lines.append(_to_line(item, kind, currency, single_code))
            else:
                lines.append(_remembered_line(memo, item, kind, currency, single_code))

    cart_level = _cart_level_discounts(data, line_items, coupons, currency, single_code)
    subtotal = money_sum([line.cost.subtotal for line in lines], currency)
    # Each line's discounts (subtotal less total), summed as Decimals, made Money once.
    line_discounts = Money(sum((line.cost.subtotal.amount - line.cost.total.amount
                                for line in lines), Decimal(0)), currency)
    total_discount = line_discounts + money_sum([d.amount for d in cart_level], currency)
    redirect_urls = data.get("redirect_urls") or {}
    return Cart(
        id=str(data["id"]),
        backend=Backend.BIGCOMMERCE,
        version=_version(data),
        currency=currency,
        locale=data.get("locale") or None,
        customer_id=_customer_id(data.get("customer_id")),
        email=data.get("email") or None,
        tax_included=bool(data.get("tax_included", False)),
        lines=tuple(lines),
        cost=CartCost(
            subtotal=subtotal,
            total_discount=total_discount,
            total_tax=None,
            total=Money.of(data["cart_amount"], currency),
        ),
        discount_codes=tuple(
            DiscountCode(
                code=str(c["code"]),
                applicable=to_decimal(c.get("discounted_amount", 0)) > 0,
            )
            for c in coupons
        ),
        discounts=tuple(cart_level),
        checkout_url=redirect_urls.get("checkout_url"),
        promotion_banners=promotion_banners(data),
        created_at=_timestamp(data.get("created_time")),
        updated_at=_timestamp(data.get("updated_time")),
    )


def _remembered_line(memo: LineMemo, item: Mapping[str, Any], kind: LineKind, currency: str,
                     single_code: str | None) -> CartLine:
    """``_to_line``'s line, built once per text of what it reads (``adapters/line_memo.py``):
    the rest of an item (urls, sale and extended prices...) is not written out.
    """
    # A field the item lacks is left out, so it never reads as one that holds null.
    return memo.recall(
        lambda: json_text((kind.value, currency, single_code,
                           {name: item[name] for name in _LINE_FIELDS if name in item})),
        lambda: _to_line(item, kind, currency, single_code))


def _to_line(
    item: Mapping[str, Any], kind: LineKind, currency: str, single_code: str | None
) -> CartLine:
    """The checked line of an item (``vendor_answers.checked_line``)."""
    return checked_line(_unchecked_line(item, kind, currency, single_code))


def _unchecked_line(
    item: Mapping[str, Any], kind: LineKind, currency: str, single_code: str | None
) -> CartLine:
    quantity = int(to_decimal(item.get("quantity", 1)))
    # Decimals quantized once each; Money is made only for what the line keeps.
    if kind is LineKind.GIFT_CERTIFICATE:
        unit_list = quantized(item["amount"], currency)
    else:
        unit_list = quantized(item["list_price"], currency)
    allocations = tuple(_line_discounts(item.get("discounts") or [], currency, single_code))
    cost = line_cost(Money(unit_list, currency), quantity, allocations,
                     compare_at=_catalog_was_price(item, unit_list, currency))
    return CartLine(
        id=str(item["id"]),
        kind=kind,
        name=str(item.get("name") or ""),
        quantity=quantity,
        cost=cost,
        product_id=_id_text(item.get("product_id")),
        variant_id=_id_text(item.get("variant_id")),
        sku=item.get("sku") or None,
        image_url=item.get("image_url") or None,
        options=tuple(
            SelectedOption(name=str(o["name"]), value=str(o["value"]))
            for o in item.get("options") or []
        ),
        added_by_promotion=bool(item.get("added_by_promotion", False)),
        discounts=allocations,
        gift_certificate=card_of(item) if kind is LineKind.GIFT_CERTIFICATE else None,
        gift_wrapping=_wrapping(item.get("gift_wrapping"), currency),
    )


def _wrapping(raw: Any, currency: str) -> LineGiftWrapping | None:
    """A line's ``gift_wrapping`` (``{}`` or null when it has none)."""
    if not isinstance(raw, Mapping) or not raw.get("name"):
        return None
    amount = raw.get("amount")
    return LineGiftWrapping(name=str(raw["name"]), message=raw.get("message") or None,
                            amount=None if amount is None else Money.of(amount, currency))


def _catalog_was_price(item: Mapping[str, Any], unit_list: Decimal, currency: str) -> Money | None:
    """``original_price`` (the catalog's default price) when the line sells below it: a
    catalog sale price. Never from coupons or promotions, which are allocations.
    """
    original = item.get("original_price")
    if original is None:
        return None
    was = quantized(original, currency)
    return Money(was, currency) if was > unit_list else None


def _line_discounts(
    discounts: Sequence[Mapping[str, Any]], currency: str, single_code: str | None
) -> list[DiscountAllocation]:
    allocations = []
    for discount in discounts:
        amount = Money.of(discount["discounted_amount"], currency)
        if amount.amount == 0:
            continue
        if str(discount.get("id")) == MANUAL_DISCOUNT_ID:
            allocations.append(
                DiscountAllocation(kind=DiscountKind.MANUAL, amount=amount, title=MANUAL_TITLE)
            )
        elif str(discount.get("id")) == "coupon":
            allocations.append(
                DiscountAllocation(kind=DiscountKind.CODE, amount=amount, code=single_code,
                                   title=single_code or "coupon")
            )
        else:
            allocations.append(
                DiscountAllocation(kind=DiscountKind.AUTOMATIC, amount=amount,
                                   title=f"promotion {discount.get('id')}")
            )
    return allocations


def _cart_level_discounts(
    data: Mapping[str, Any],
    line_items: Mapping[str, Any],
    coupons: Sequence[Mapping[str, Any]],
    currency: str,
    single_code: str | None,
) -> list[DiscountAllocation]:
    result = []
    order_level = Money.of(data.get("discount_amount") or 0, currency)
    if order_level.amount > 0:
        result.append(
            DiscountAllocation(kind=DiscountKind.AUTOMATIC, amount=order_level,
                               title="order discount")
        )
    coupon_total = money_sum(
        [Money.of(c.get("discounted_amount") or 0, currency) for c in coupons], currency
    )
    # Summed as quantized Decimals (Money.of's amounts), wrapped in Money once.
    allocated = Money(sum((quantized(item.get("coupon_amount") or 0, currency)
                           for group, _ in _ITEM_GROUPS
                           for item in line_items.get(group) or []), Decimal(0)), currency)
    unallocated = coupon_total - allocated
    if unallocated.amount > 0:
        result.append(
            DiscountAllocation(kind=DiscountKind.CODE, amount=unallocated, code=single_code,
                               title=single_code or "coupons")
        )
    return result


def _version(data: Mapping[str, Any]) -> str:
    version = data.get("version")
    if version is not None:
        return str(int(version))
    # Some BigCommerce answers (and the spec's own examples) carry no version.
    volatile = ("redirect_urls", "meta", "promotions")
    return "h" + content_version({k: v for k, v in data.items() if k not in volatile})


def _id_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return str(value)


def _customer_id(value: Any) -> str | None:
    text = _id_text(value)
    return None if text in (None, "0") else text


def _timestamp(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
