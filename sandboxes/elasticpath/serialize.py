"""Response bodies: carts, items and custom discounts in Elastic Path's JSON shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from .currencies import CURRENCIES
from .pricing import PricedCart, PricedLine, PricedPromotionItem, round_half_up
from .store import Cart, CustomDiscount

Json = dict[str, Any]
_EMPTY_IMAGE = {"mime_type": "", "file_name": "", "href": ""}
# The sandbox serves a single catalog; its id is fixed so responses stay reproducible.
CATALOG_ID = "5a0c6f8e-1b7d-4e2a-9c3f-7d8e9f0a1b2c"


def timestamp(moment: datetime) -> str:
    """Elastic Path's timestamp style: UTC, whole seconds, `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(amount: int, currency: str) -> Json:
    """A `FormattedPriceData` object."""
    return {
        "amount": amount,
        "currency": currency,
        "formatted": CURRENCIES[currency].formatted(amount),
    }


def _unit_and_value(value: int, quantity: int, currency: str) -> Json:
    # The unit figure of a multi-unit line is its value shared out, rounded half up.
    unit = round_half_up(Decimal(value) / quantity) if quantity else 0
    return {"unit": money(unit, currency), "value": money(value, currency)}


def _item_display_price(
    *, value: int, discount: int, quantity: int, currency: str, discounts: dict[str, int],
    tax: int = 0,
) -> Json:
    net = value + discount
    shown: Json = {
        "with_tax": _unit_and_value(net + tax, quantity, currency),
        "without_tax": _unit_and_value(net, quantity, currency),
        "tax": _unit_and_value(tax, quantity, currency),
        "discount": _unit_and_value(discount, quantity, currency),
        "without_discount": _unit_and_value(value, quantity, currency),
    }
    if discounts:
        shown["discounts"] = {code: money(a, currency) for code, a in discounts.items()}
    return shown


def line_json(pl: PricedLine, *, currency: str, base_url: str) -> Json:
    """A `cart_item` or `custom_item` as the items endpoints return it."""
    line = pl.line
    price = {"amount": line.unit_amount, "currency": currency, "includes_tax": line.includes_tax}
    body: Json = {"id": line.id, "type": line.type}
    if line.type == "cart_item":
        body["product_id"] = line.product_id
    body |= {
        "name": line.name,
        "description": line.description,
        "sku": line.sku,
        "slug": line.slug,
        "image": dict(_EMPTY_IMAGE, href=line.image_href),
        "quantity": line.quantity,
        "manage_stock": False,
        "unit_price": price,
        "value": dict(price, amount=pl.value),
    }
    if line.custom_inputs is not None:
        body["custom_inputs"] = line.custom_inputs
    if pl.discounts:
        # Promotions Standard discounts carry no `promotion_source`; only rule promotions do.
        body["discounts"] = [
            {
                "amount": {"amount": d.amount, "currency": currency, "includes_tax": False},
                "code": d.code,
                "id": d.id,
            }
            for d in pl.discounts
        ]
    by_code: dict[str, int] = {}
    for d in pl.discounts:
        by_code[d.code] = by_code.get(d.code, 0) + d.amount
    body["links"] = (
        {"product": f"{base_url}/v2/products/{line.product_id}"}
        if line.type == "cart_item"
        else {}
    )
    if line.shipping_group_id is not None:
        body["shipping_group_id"] = line.shipping_group_id
    relations: Json = {}
    if line.custom_discounts:
        relations["custom_discounts"] = {
            "data": [{"type": "custom_discount", "id": cd.id} for cd in line.custom_discounts]
        }
    if line.tax_items:
        relations["taxes"] = {"data": [{"type": "tax_item", "id": t.id} for t in line.tax_items]}
    if relations:
        body["relationships"] = relations
    body["meta"] = {
        "display_price": _item_display_price(
            value=pl.value, discount=pl.discount, quantity=line.quantity, currency=currency,
            discounts=by_code, tax=pl.tax,
        ),
        "timestamps": {
            "created_at": timestamp(line.created_at),
            "updated_at": timestamp(line.updated_at),
        },
    }
    if line.type == "cart_item":
        body |= {"catalog_id": CATALOG_ID, "catalog_source": "pim"}
    return body


def promotion_item_json(pi: PricedPromotionItem, *, currency: str) -> Json:
    """A cart-level promotion as a `promotion_item` line with a negative price."""
    price = {"amount": pi.amount, "currency": currency, "includes_tax": False}
    return {
        "id": pi.id,
        "type": "promotion_item",
        "promotion_id": pi.promotion.id,
        "name": pi.promotion.name,
        "description": "Promotion",
        "sku": pi.promotion.code,
        "slug": "",
        "image": dict(_EMPTY_IMAGE),
        "quantity": 1,
        "manage_stock": False,
        "unit_price": price,
        "value": dict(price),
        "links": {},
        "relationships": {
            "promotions": {"data": [{"type": "promotion", "id": pi.promotion.id}]}
        },
        "meta": {
            "display_price": _item_display_price(
                value=pi.amount, discount=0, quantity=1, currency=currency, discounts={}
            ),
        },
    }


def items_json(priced: PricedCart, *, base_url: str) -> list[Json]:
    """Every item line in cart order, promotion items after the products."""
    cur = priced.currency
    return [line_json(pl, currency=cur, base_url=base_url) for pl in priced.lines] + [
        promotion_item_json(pi, currency=cur) for pi in priced.promotion_items
    ]


def cart_display_price(priced: PricedCart) -> Json:
    """The cart-level `display_price` totals."""
    cur = priced.currency
    return {
        "with_tax": money(priced.with_tax, cur),
        "without_tax": money(priced.without_tax, cur),
        "tax": money(priced.tax, cur),
        "discount": money(priced.discount, cur),
        "without_discount": money(priced.without_discount, cur),
        "shipping": money(priced.shipping, cur),
    }


# Go's zero time: what Elastic Path shows for a cart reference it never stored.
ZERO_TIME = "0001-01-01T00:00:00Z"


def cart_timestamps(cart: Cart) -> Json:
    """Created, updated and the expiry seven (or the store's) days after the update.

    A cart that was never written (an unknown id read as an empty cart) has zero times,
    as the v2 cart items documentation shows for an unknown reference.
    """
    if not cart.stored:
        expires = datetime(1, 1, 1, tzinfo=UTC) + timedelta(days=cart.expiry_days)
        # strftime drops the leading zeros of year 1 on some platforms.
        return {"created_at": ZERO_TIME, "updated_at": ZERO_TIME,
                "expires_at": f"{expires.year:04d}-{expires.month:02d}-{expires.day:02d}"
                              "T00:00:00Z"}
    return {
        "created_at": timestamp(cart.created_at),
        "updated_at": timestamp(cart.updated_at),
        "expires_at": timestamp(cart.expires_at),
    }


def items_meta(cart: Cart, priced: PricedCart) -> Json:
    """The `meta` that accompanies every cart items collection."""
    display = cart_display_price(priced)
    if priced.discounts_by_code:
        display["discounts"] = {
            code: money(a, priced.currency) for code, a in priced.discounts_by_code.items()
        }
    return {"display_price": display, "timestamps": cart_timestamps(cart)}


def custom_discount_json(cd: CustomDiscount, *, currency: str) -> Json:
    """A custom discount with its amount formatted in the cart's currency."""
    body: Json = {
        "type": "custom_discount",
        "id": cd.id,
        "external_id": cd.external_id,
        "discount_engine": cd.discount_engine,
        "amount": money(cd.amount, currency),
        "description": cd.description,
        "discount_code": cd.discount_code,
    }
    if cd.item_id is not None:
        body["relationships"] = {"item": {"data": {"type": cd.item_type, "id": cd.item_id}}}
    return body


def cart_json(cart: Cart, priced: PricedCart, *, base_url: str) -> Json:
    """The cart resource (`CartResponse`)."""
    body: Json = {
        "id": cart.id,
        "type": "cart",
        "name": cart.name,
        "description": cart.description,
        "discount_settings": {
            "custom_discounts_enabled": cart.custom_discounts_enabled,
            "use_rule_promotions": cart.use_rule_promotions,
        },
        "inventory_settings": {"defer_inventory_check": cart.defer_inventory_check},
    }
    optional = {
        "contact": cart.contact,
        "custom_attributes": cart.custom_attributes,
        "snapshot_date": cart.snapshot_date,
        "payment_intent_id": cart.payment_intent_id,
    }
    body |= {k: v for k, v in optional.items() if v is not None}
    items = [{"type": pl.line.type, "id": pl.line.id} for pl in priced.lines] + [
        {"type": "promotion_item", "id": pi.id} for pi in priced.promotion_items
    ]
    promotion_ids = list(dict.fromkeys(
        [d.id for pl in priced.lines for d in pl.discounts
         if not any(cd.id == d.id for cd in pl.line.custom_discounts)]
        + [pi.promotion.id for pi in priced.promotion_items]
    ))
    relationships: Json = {
        "items": {"data": items or None},
        "customers": {"data": [{"type": "customer", "id": i} for i in cart.customer_ids]}
        if cart.customer_ids else {},
        "accounts": {},
    }
    if cart.custom_discounts:
        relationships["custom_discounts"] = {
            "data": [{"type": "custom_discount", "id": cd.id} for cd in cart.custom_discounts]
        }
    if cart.shipping_groups:
        relationships["shipping_groups"] = {
            "data": [{"type": "shipping_group", "id": g.id} for g in cart.shipping_groups]
        }
    if promotion_ids:
        relationships["promotions"] = {
            "data": [{"type": "promotion", "id": pid} for pid in promotion_ids]
        }
    body |= {
        "links": {"self": f"{base_url}/v2/carts/{cart.id}"},
        "meta": {
            "display_price": cart_display_price(priced),
            "timestamps": cart_timestamps(cart),
        },
        "relationships": relationships,
    }
    return body
