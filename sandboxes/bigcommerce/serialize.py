"""Sandbox state as BigCommerce JSON: Cart_Full, the checkout and catalog variants.

Amounts stay Decimal here; the app renders them as JSON numbers without floats.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from .catalog import Coupon, Product, Variant
from .checkout_totals import landed_fields
from .gift_wrapping import wrapping_json
from .pricing import PricedCart, PricedLine, quantize
from .state import CustomLine, GiftCertificateLine

PHYSICAL_OPTIONS = "line_items.physical_items.options"
DIGITAL_OPTIONS = "line_items.digital_items.options"
REDIRECT_URLS = "redirect_urls"
PROMOTION_BANNERS = "promotions.banners"
MANUAL_DISCOUNT_ID = "manual-discount"

# The checkouts spec names coupon types where the carts spec numbers them.
COUPON_TYPE_NAMES = {
    "0": "per_item_discount",
    "1": "percentage_discount",
    "2": "per_total_discount",
    "3": "shipping_discount",
    "4": "free_shipping",
    "5": "promotion",
}


def timestamp(moment: datetime) -> str:
    """ISO-8601 in UTC to the second, as BigCommerce writes created_time and updated_time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _coupon_value(coupon: Coupon, currency: str) -> Decimal | int:
    if coupon.percent is not None:
        value = coupon.percent
    else:
        value = quantize(coupon.amounts.get(currency, Decimal(0)), currency)
    # carts.v3 types Applied Coupon's discountAmount as an integer: 5.00 must go as 5.
    # Only an amount with a real fraction (3.500 JOD) stays a decimal; no integer holds it.
    return int(value) if value == value.to_integral_value() else value


def _line_coupons(priced: PricedCart, line: PricedLine) -> list[dict[str, Any]]:
    totals = {coupon.code: total for coupon, total in priced.coupon_totals}
    return [
        {
            "id": coupon.id,
            "code": coupon.code,
            "name": coupon.name,
            "discountType": int(coupon.coupon_type),
            "discountAmount": _coupon_value(coupon, priced.cart.currency),
            "expiresDate": 0,
            "totalDiscount": totals[coupon.code],
        }
        for coupon, _ in line.coupon_shares
    ]


def _line_discounts(p: PricedLine) -> list[dict[str, Any]]:
    # The checkouts spec's example names a manual discount's share "manual-discount".
    found = []
    if p.coupon_amount > 0:
        found.append({"id": "coupon", "discounted_amount": p.coupon_amount})
    if p.manual_amount > 0:
        found.append({"id": MANUAL_DISCOUNT_ID, "discounted_amount": p.manual_amount})
    return found


def _product_line(priced: PricedCart, p: PricedLine, with_options: bool) -> dict[str, Any]:
    digital = p.product.is_digital
    item: dict[str, Any] = {
        "id": p.line.id,
        "parent_id": None,
        "variant_id": p.variant.id,
        "product_id": p.product.id,
        "sku": p.variant.sku,
        "name": p.line.name_override or p.product.name,
        "url": p.product.url,
        "quantity": p.line.quantity,
        # ItemPhysicalGet says `taxable`, the rest of both specs `is_taxable`: send both.
        "taxable": True,
        "is_taxable": True,
        "image_url": p.product.image_url,
        "discounts": _line_discounts(p),
        "coupons": _line_coupons(priced, p),
        "discount_amount": p.coupon_amount,
        "coupon_amount": p.coupon_amount,
        "original_price": p.original_price,
        "list_price": p.list_price,
        "sale_price": p.sale_price,
        "extended_list_price": p.extended_list_price,
        "extended_sale_price": p.extended_sale_price,
        "is_require_shipping": not digital,
        "is_mutable": True,
        "added_by_promotion": False,
    }
    if digital:
        item["download_file_urls"] = []
        item["download_page_url"] = ""
        item["download_size"] = ""
    else:
        item["gift_wrapping"] = wrapping_json(p.line.gift_wrapping, p.line.quantity,
                                              priced.cart.currency)
    if with_options:
        item["options"] = [
            {"name": o.name, "nameId": o.name_id, "value": o.value, "valueId": o.value_id}
            for o in p.line.options
        ]
    return item


def _custom_line(line: CustomLine, currency: str) -> dict[str, Any]:
    # ItemCustomGet types quantity and list_price as strings, and BigCommerce sends them so.
    item: dict[str, Any] = {
        "id": line.id,
        "sku": line.sku,
        "name": line.name,
        "quantity": str(line.quantity),
        "list_price": str(line.list_price),
        "extended_list_price": quantize(line.list_price * line.quantity, currency),
    }
    # image_url is a non-nullable string: without an image the key is left out, as the
    # spec's own example does.
    if line.image_url is not None:
        item["image_url"] = line.image_url
    return item


def _gift_certificate(line: GiftCertificateLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "name": line.name,
        "theme": line.theme,
        "amount": line.amount,
        "quantity": line.quantity,
        "taxable": False,
        "sender": {"name": line.sender.name, "email": line.sender.email},
        "recipient": {"name": line.recipient.name, "email": line.recipient.email},
        "message": line.message,
    }


def line_items(priced: PricedCart, include: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The LineItemsGet object; options only for the item kinds `include` names."""
    physical = [p for p in priced.lines if not p.product.is_digital]
    digital = [p for p in priced.lines if p.product.is_digital]
    cart = priced.cart
    return {
        "physical_items": [_product_line(priced, p, PHYSICAL_OPTIONS in include) for p in physical],
        "digital_items": [_product_line(priced, p, DIGITAL_OPTIONS in include) for p in digital],
        "gift_certificates": [_gift_certificate(g) for g in cart.gift_certificate_lines],
        "custom_items": [_custom_line(c, cart.currency) for c in cart.custom_lines],
    }


def _discounts(priced: PricedCart) -> list[dict[str, Any]]:
    if priced.coupon_amount <= 0:
        return []
    return [{"id": "coupon", "discounted_amount": priced.coupon_amount}]


def cart_json(
    priced: PricedCart,
    include: frozenset[str] = frozenset(),
    redirect_urls: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The Cart_Full object."""
    cart = priced.cart
    data: dict[str, Any] = {
        "id": cart.id,
        "customer_id": cart.customer_id,
        "channel_id": cart.channel_id,
        "email": cart.email,
        "currency": {"code": cart.currency},
        "tax_included": False,
        "base_amount": priced.base_amount,
        "discount_amount": priced.discount_amount,
        "manual_discount_amount": priced.manual_amount,
        "cart_amount": priced.cart_amount,
        "coupons": [
            {
                "id": str(coupon.id),
                "code": coupon.code,
                "coupon_type": coupon.coupon_type,
                "discounted_amount": total,
                "display_name": coupon.name,
            }
            for coupon, total in priced.coupon_totals
        ],
        "discounts": _discounts(priced),
        "line_items": line_items(priced, include),
        "created_time": timestamp(cart.created_time),
        "updated_time": timestamp(cart.updated_time),
        "locale": cart.locale,
        "version": cart.version,
    }
    if redirect_urls is not None:
        data["redirect_urls"] = redirect_urls
    if PROMOTION_BANNERS in include:
        data["promotions"] = {"banners": []}  # the sandbox runs no promotions
    return data


def checkout_json(priced: PricedCart, include: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The Checkout object the checkout endpoints answer with."""
    landed = landed_fields(priced, include)
    cart = priced.cart
    zero = quantize(Decimal(0), cart.currency)
    coupons = [
        {
            "id": coupon.id,
            "code": coupon.code,
            "coupon_type": COUPON_TYPE_NAMES[coupon.coupon_type],
            "display_name": coupon.name,
            "discounted_amount": total,
        }
        for coupon, total in priced.coupon_totals
    ]
    return {
        "id": cart.id,
        "cart": {
            "id": cart.id,
            "customer_id": cart.customer_id,
            "channel_id": cart.channel_id,
            "email": cart.email,
            "currency": {"code": cart.currency},
            "tax_included": False,
            "base_amount": priced.base_amount,
            "discount_amount": priced.discount_amount,
            "manual_discount_amount": priced.manual_amount,
            "cart_amount_inc_tax": landed["cart_amount_inc_tax"],
            "cart_amount_ex_tax": priced.cart_amount,
            "coupons": coupons,
            "discounts": _discounts(priced),
            # The checkout names option includes under cart.: strip that to reuse ours.
            "line_items": line_items(
                priced, frozenset(i.removeprefix("cart.") for i in include)
            ),
            "created_time": timestamp(cart.created_time),
            "updated_time": timestamp(cart.updated_time),
        },
        "billing_address": priced.cart.billing_address or {},
        "consignments": landed["consignments"],
        "taxes": landed["taxes"],
        "coupons": coupons,
        "order_id": None,
        "shipping_cost_total_inc_tax": landed["shipping_cost_total_inc_tax"],
        "shipping_cost_total_ex_tax": landed["shipping_cost_total_ex_tax"],
        "handling_cost_total_inc_tax": zero,
        "handling_cost_total_ex_tax": zero,
        "tax_total": landed["tax_total"],
        "subtotal_inc_tax": landed["subtotal_inc_tax"],
        "subtotal_ex_tax": priced.base_amount,
        "grand_total": landed["grand_total"],
        "created_time": timestamp(cart.created_time),
        "updated_time": timestamp(cart.updated_time),
        "customer_message": "",
        "version": cart.version,
    }


def redirect_urls(store_url: str, cart_id: str, query_params: dict[str, str]) -> dict[str, str]:
    """Fresh single-use cart, checkout and embedded checkout URLs for a cart."""
    token = secrets.token_hex(32)
    query = "&" + urlencode(query_params) if query_params else ""
    base = f"{store_url}/cart.php?"
    return {
        "cart_url": f"{base}action=load&id={cart_id}&token={token}{query}",
        "checkout_url": f"{base}action=loadInCheckout&id={cart_id}&token={token}{query}",
        "embedded_checkout_url": (
            f"{base}embedded=1&action=loadInCheckout&id={cart_id}&token={token}{query}"
        ),
    }


def variant_json(product: Product, variant: Variant, currency: str = "USD") -> dict[str, Any]:
    """A Catalog API variant, priced in the store's default currency."""
    price = quantize(product.price(variant, currency), currency)
    return {
        "id": variant.id,
        "product_id": product.id,
        "sku": variant.sku,
        "price": price,
        "calculated_price": price,
        # The catalog has no sale prices; the spec types sale_price as a number (not
        # nullable, not required), so it is left out rather than sent as null.
        "option_values": [
            {
                "id": ov.id,
                "label": ov.label,
                "option_id": ov.option_id,
                "option_display_name": ov.option_display_name,
            }
            for ov in variant.option_values
        ],
    }
