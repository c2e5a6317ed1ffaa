"""Elastic Path v2 cart JSON -> the single cart model. Pure functions, no I/O.

The input is a ``GET /v2/carts/{id}?include=items`` answer: the cart in ``data`` and
its items in ``included.items``. Amounts are integer minor units (1000 USD is 10.00,
1000 JPY is 1000). ``cart_item`` and ``custom_item`` entries are lines;
``promotion_item`` entries are cart-level code discounts (negative amounts), and an
item's ``discounts`` are that line's allocations. Line figures come from the item's
``meta.display_price``: ``without_discount`` is the list price, ``without_tax`` the
price after the line's discounts and before tax. The cart total is
``display_price.with_tax``, what the shopper pays.

Elastic Path keeps no version, so one is derived from everything a change touches,
including ``updated_at``, which Elastic Path moves on every write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from adapters.elasticpath.cart_settings import settings_of
from adapters.elasticpath.catalog_facts import ProductFacts
from adapters.elasticpath.custom_attributes import note_of, user_attributes
from adapters.elasticpath.gateway_attributes import CURRENCY, LOCALE, reserved_text
from adapters.elasticpath.manual_discounts import cart_level_allocations
from adapters.errors import ServiceUnavailable
from adapters.line_cost import line_cost
from adapters.line_memo import ItemText, LineMemo, json_text
from adapters.model import (
    Backend,
    Cart,
    CartCost,
    CartLine,
    DiscountAllocation,
    DiscountCode,
    DiscountKind,
    LineKind,
)
from adapters.money import Money, money_sum, normalize_currency
from adapters.vendor_answers import checked_line, checked_without_lines, few_enough
from adapters.versions import content_version

# The currency reported for a cart that has none yet (Elastic Path fixes a cart's
# currency with its first item; an empty cart's prices carry the currency "").
DEFAULT_CURRENCY = "USD"
_LINE_KINDS = {"cart_item": LineKind.PHYSICAL, "custom_item": LineKind.CUSTOM,
               "subscription_item": LineKind.DIGITAL}


def cart_exists(payload: Mapping[str, Any]) -> bool:
    """Whether a cart answer describes a cart that exists.

    Elastic Path answers ``GET /v2/carts/{id}`` for an id it never saw with an empty cart
    it does not store. Such a cart has never been written, so it has no creation time:
    its ``meta.timestamps`` are missing, empty or Go's zero time
    (``0001-01-01T00:00:00Z``, as the v2 cart documentation shows for an unknown
    reference). Any cart that was ever created or written carries a real ``created_at``.
    """
    data = payload.get("data")
    if not isinstance(data, Mapping):
        return False
    meta = object_or_none(data.get("meta"), "meta")
    timestamps = object_or_none(meta.get("timestamps"), "meta.timestamps")
    created = _timestamp(timestamps.get("created_at"))
    return created is not None and created.year >= 1970


def object_or_none(value: Any, name: str) -> Mapping[str, Any]:
    """An answer's object, ``{}`` when it is missing or null; anything else is broken."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ServiceUnavailable(f"Elastic Path answered with a cart whose {name} is not "
                                 "an object")
    return value


def check_items_answer(payload: Mapping[str, Any]) -> None:
    """ServiceUnavailable unless an items answer lists items with ids, prices and meta."""
    items = payload.get("data")
    if not isinstance(items, list) or not all(
        isinstance(i, Mapping) and {"id", "type", "meta"} <= i.keys()
        and (i["type"] == "promotion_item" or "value" in i)
        for i in items
    ):
        raise ServiceUnavailable("Elastic Path answered a cart write without its items")


def check_cart_answer(payload: Mapping[str, Any]) -> None:
    """ServiceUnavailable unless a cart answer carries the cart's id and meta."""
    data = payload.get("data")
    if not isinstance(data, Mapping) or not {"id", "meta"} <= data.keys():
        raise ServiceUnavailable("Elastic Path answered a cart write without the cart")


def catalog_product_ids(payload: Mapping[str, Any]) -> list[str]:
    """The products of a cart answer's catalog items, whose facts ``to_cart`` can use."""
    included = payload.get("included") if isinstance(payload, Mapping) else None
    items = included.get("items") if isinstance(included, Mapping) else None
    # Items that are not a list are for ``to_cart`` to refuse.
    return [str(i["product_id"]) for i in items if isinstance(i, Mapping)
            and i.get("type") == "cart_item" and i.get("product_id")
            ] if isinstance(items, list) else []


def to_cart(payload: Mapping[str, Any], *, currency_hint: str | None = None,
            facts: Mapping[str, ProductFacts] | None = None,
            lines: LineMemo | None = None) -> Cart:
    """The model of a cart answer; ServiceUnavailable when it misses what the API promises.

    ``facts`` are the catalog's, by product id (``catalog_facts``): a line's kind, its
    parent product and variation option, its image and a sale's "was" price. ``lines``:
    the lines built from earlier answers, reused for items that are unchanged.
    """
    try:
        # Each line is checked as it is built (a remembered one was, when it was built).
        return checked_without_lines(_to_cart(payload, currency_hint, facts or {}, lines))
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise ServiceUnavailable(
            f"Elastic Path answered with a cart the gateway cannot read ({exc.__class__.__name__})"
        ) from exc


def _to_cart(payload: Mapping[str, Any], currency_hint: str | None,
             facts: Mapping[str, ProductFacts], memo: LineMemo | None) -> Cart:
    data = payload["data"]
    items = _items(payload)
    display = data["meta"]["display_price"]
    # An empty cart has no currency at Elastic Path (its totals show the store's default):
    # the one it was created with is kept by the gateway, as it keeps the locale.
    reserved = reserved_text(data.get("custom_attributes"), CURRENCY)
    empty = all(item["type"] == "promotion_item" for item in items)
    currency = (normalize_currency(reserved) if reserved and empty
                else _currency(display, items, currency_hint))
    custom_discount_ids = _relationship_ids(data, "custom_discounts")

    lines: list[CartLine] = []
    cart_level: list[DiscountAllocation] = []
    for item in items:
        if item["type"] == "promotion_item":
            cart_level.append(_promotion_allocation(item, currency))
        elif memo is None:
            lines.append(_to_line(item, currency, custom_discount_ids, facts))
        else:
            lines.append(_remembered_line(memo, item, currency, custom_discount_ids, facts))
    cart_level += cart_level_allocations(payload, currency)

    allocations = [a for line in lines for a in line.discounts] + cart_level
    discount = display.get("discount")
    total_discount = (
        abs(_money(discount["amount"], currency)) if isinstance(discount, Mapping)
        else money_sum([a.amount for a in allocations], currency)
    )
    tax = display.get("tax")
    timestamps = data["meta"].get("timestamps") or {}
    customers = _relationship_ids(data, "customers")
    contact = data.get("contact") or {}
    return Cart(
        id=str(data["id"]),
        backend=Backend.ELASTIC_PATH,
        version=cart_version(payload),
        currency=currency,
        locale=reserved_text(data.get("custom_attributes"), LOCALE),
        lines=tuple(lines),
        cost=CartCost(
            subtotal=money_sum([line.cost.subtotal for line in lines], currency),
            total_discount=total_discount,
            total_tax=(_money(tax["amount"], currency)
                       if isinstance(tax, Mapping) and _taxed(items) else None),
            total=_money(display["with_tax"]["amount"], currency),
        ),
        customer_id=customers[0] if customers else None,
        email=contact.get("email") or None,
        name=_own_name(data.get("name")),
        description=data.get("description") or None,
        attributes=user_attributes(data.get("custom_attributes")),
        note=note_of(data.get("custom_attributes")),
        settings=settings_of(data),
        tax_included=bool(lines) and all(_includes_tax(i) for i in items
                                         if i["type"] != "promotion_item"),
        discount_codes=_codes(allocations),
        discounts=tuple(a for a in cart_level if a.amount.amount),
        created_at=_timestamp(timestamps.get("created_at")),
        updated_at=_timestamp(timestamps.get("updated_at")),
    )


def _codes(allocations: Sequence[DiscountAllocation]) -> tuple[DiscountCode, ...]:
    """Each code once, in order; applicable when it takes something off (as on
    BigCommerce), so a code on an empty cart is there but not applicable.
    """
    taken: dict[str, bool] = {}
    for allocation in allocations:
        if allocation.code and allocation.kind is DiscountKind.CODE:
            taken[allocation.code] = taken.get(allocation.code, False) or bool(
                allocation.amount.amount)
    return tuple(DiscountCode(code=code, applicable=applies) for code, applies in taken.items())


def _items(payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    included = payload.get("included") or {}
    items = included.get("items")
    if items is None:
        related = ((payload["data"].get("relationships") or {}).get("items") or {}).get("data")
        if related:
            raise KeyError("included.items")
        return []
    few_enough(items)
    return list(items)


def _currency(
    display: Mapping[str, Any], items: Sequence[Mapping[str, Any]], hint: str | None
) -> str:
    code = display["with_tax"].get("currency") or ""
    for item in items:
        if code:
            break
        code = (item.get("value") or item.get("unit_price") or {}).get("currency") or ""
    return normalize_currency(code or hint or DEFAULT_CURRENCY)


# Every field of an item that ``_to_line`` reads, but ``meta`` (``_unit_amount``): a field
# it starts to read must be named here, or a line would be remembered past its change.
_LINE_FIELDS = ("id", "type", "name", "sku", "quantity", "product_id", "commodity_type",
                "image", "discounts", "relationships")


def _remembered_line(
    memo: LineMemo, item: Mapping[str, Any], currency: str, custom_discount_ids: Sequence[str],
    facts: Mapping[str, ProductFacts],
) -> CartLine:
    """``_to_line``'s line, built once per text of what it reads (``adapters/line_memo.py``):
    the item's ``_LINE_FIELDS``, one amount of its ``meta`` and the product's facts.
    """
    def text() -> ItemText:
        # A field the item lacks is left out, so it never reads as one that holds null.
        return json_text((currency, tuple(custom_discount_ids), _unit_amount(item),
                          _known_facts(item, facts),
                          {name: item[name] for name in _LINE_FIELDS if name in item}))

    return memo.recall(text, lambda: _to_line(item, currency, custom_discount_ids, facts))


def _unit_amount(item: Mapping[str, Any]) -> Any:
    """The list price of one unit, in minor units: all ``_to_line`` reads of ``meta``."""
    return item["meta"]["display_price"]["without_discount"]["unit"]["amount"]


def _known_facts(item: Mapping[str, Any], facts: Mapping[str, ProductFacts]
                 ) -> ProductFacts | None:
    """The catalog's facts of a catalog item's product; None for a custom item."""
    product_id = item.get("product_id") or None
    kind = _LINE_KINDS.get(item["type"], LineKind.PHYSICAL)
    return facts.get(product_id) if product_id and kind is not LineKind.CUSTOM else None


def _to_line(
    item: Mapping[str, Any], currency: str, custom_discount_ids: Sequence[str],
    facts: Mapping[str, ProductFacts],
) -> CartLine:
    """The checked line of an item (``vendor_answers.checked_line``)."""
    return checked_line(_unchecked_line(item, currency, custom_discount_ids, facts))


def _unchecked_line(
    item: Mapping[str, Any], currency: str, custom_discount_ids: Sequence[str],
    facts: Mapping[str, ProductFacts],
) -> CartLine:
    unit = _money(_unit_amount(item), currency)
    kind = _LINE_KINDS.get(item["type"], LineKind.PHYSICAL)
    product_id = item.get("product_id") or None
    known = _known_facts(item, facts)
    if kind is LineKind.PHYSICAL and (item.get("commodity_type") == "digital"
                                      or (known is not None and known.digital)):
        kind = LineKind.DIGITAL
    own_custom = set(custom_discount_ids) | set(_relationship_ids(item, "custom_discounts"))
    image = item.get("image") or {}
    quantity = _minor(item["quantity"])
    discounts = tuple(
        allocation
        for d in item.get("discounts") or []
        if (allocation := _line_allocation(d, currency, own_custom)).amount.amount
    )
    was = (known.was_prices or {}).get(currency) if known is not None else None
    return CartLine(
        id=str(item["id"]),
        kind=kind,
        name=str(item.get("name") or ""),
        quantity=quantity,
        cost=line_cost(unit, quantity, discounts,
                       compare_at=_money(was, currency) if was is not None else None),
        # A catalog item is the purchasable product (a child, or a standard product): the
        # variant; its parent, when it has one, is the product, as on BigCommerce.
        product_id=(known.parent_id if known and known.parent_id else product_id),
        variant_id=product_id if kind is not LineKind.CUSTOM else None,
        sku=item.get("sku") or None,
        image_url=image.get("href") or (known.image_url if known else None) or None,
        options=known.options if known is not None else (),
        discounts=discounts,
    )


def _line_allocation(
    discount: Mapping[str, Any], currency: str, custom_discount_ids: set[str]
) -> DiscountAllocation:
    amount = abs(_money(discount["amount"]["amount"], currency))
    code = discount.get("code") or None
    if discount.get("id") in custom_discount_ids:
        return DiscountAllocation(kind=DiscountKind.MANUAL, amount=amount, code=code, title=code)
    kind = DiscountKind.CODE if code else DiscountKind.AUTOMATIC
    return DiscountAllocation(kind=kind, amount=amount, code=code, title=code)


def _promotion_allocation(item: Mapping[str, Any], currency: str) -> DiscountAllocation:
    code = item.get("code") or item.get("sku") or None
    return DiscountAllocation(
        kind=DiscountKind.CODE if code else DiscountKind.AUTOMATIC,
        amount=abs(_money(item["value"]["amount"], currency)),
        code=code,
        title=item.get("name") or code,
    )


def _taxed(items: Sequence[Mapping[str, Any]]) -> bool:
    """Whether Elastic Path has calculated tax: it does only for items that carry tax
    items (added by a tax integration through ``/items/{id}/taxes``). A cart without
    any shows a tax of 0 that is not a calculation, so the model says None.
    """
    return any(_relationship_ids(item, "taxes") for item in items
               if item.get("type") != "promotion_item")


def _includes_tax(item: Mapping[str, Any]) -> bool:
    return bool((item.get("unit_price") or {}).get("includes_tax", False))


def cart_version(payload: Mapping[str, Any]) -> str:
    """A version over the cart's content and last change; equal content, equal version."""
    data = payload["data"]
    meta = data.get("meta") or {}
    display = meta.get("display_price") or {}
    content = {
        "id": data.get("id"),
        "name": data.get("name"),
        "description": data.get("description"),
        "contact": data.get("contact"),
        "customers": _relationship_ids(data, "customers"),
        "custom_attributes": data.get("custom_attributes"),
        "discount_settings": data.get("discount_settings"),
        "inventory_settings": data.get("inventory_settings"),
        "snapshot_date": data.get("snapshot_date"),
        "payment_intent_id": data.get("payment_intent_id"),
        "updated_at": (meta.get("timestamps") or {}).get("updated_at"),
        "totals": [(display.get(k) or {}).get("amount") for k in ("with_tax", "discount", "tax")],
        "items": [_item_content(item) for item in _items(payload)],
    }
    return content_version(content)


def _item_content(item: Mapping[str, Any]) -> dict[str, Any]:
    shown = (item.get("meta") or {}).get("display_price") or {}
    return {
        "id": item.get("id"),
        "type": item.get("type"),
        "quantity": item.get("quantity"),
        "sku": item.get("sku"),
        "product_id": item.get("product_id"),
        "price": item.get("unit_price"),
        "value": item.get("value"),
        "custom_inputs": item.get("custom_inputs"),
        "discounts": [
            (d.get("id"), d.get("code"), (d.get("amount") or {}).get("amount"))
            for d in item.get("discounts") or []
        ],
        "display": [((shown.get(k) or {}).get("value") or {}).get("amount")
                    for k in ("without_tax", "without_discount")],
    }


# Elastic Path names a cart "Cart" when it is created without a name. That default is not
# the shopper's data: reported as no name, so it is not "lost" when a cart moves to a
# vendor that keeps no names.
VENDOR_DEFAULT_NAME = "Cart"


def _own_name(name: Any) -> str | None:
    return None if not name or name == VENDOR_DEFAULT_NAME else str(name)


def _relationship_ids(resource: Mapping[str, Any], name: str) -> list[str]:
    related = ((resource.get("relationships") or {}).get(name) or {}).get("data") or []
    if isinstance(related, Mapping):
        related = [related]
    return [str(r["id"]) for r in related if isinstance(r, Mapping) and r.get("id")]


def _minor(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise ValueError(f"not a whole number of minor units: {value!r}")


def _money(value: Any, currency: str) -> Money:
    return Money.from_minor(_minor(value), currency)


def _timestamp(value: Any) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
