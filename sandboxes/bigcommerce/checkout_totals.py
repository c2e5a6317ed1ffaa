"""The delivery half of a Checkout: consignments, their shipping options, taxes and totals.

Tax is calculated once a consignment gives an address (the seeded rate of its country):
on the goods after coupons, and on the selected shipping cost. Without a consignment a
checkout has no tax and no shipping, and its grand total is the cart amount.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .pricing import PricedCart, quantize
from .shipping import ShippingMethod, methods_for, shipping_cost, tax_on
from .state import Consignment

AVAILABLE_OPTIONS = "consignments.available_shipping_options"


def _option(method: ShippingMethod, currency: str) -> dict[str, Any]:
    return {
        "id": method.id,
        "type": "shipping_flatrate",
        "description": method.description,
        "image_url": "",
        "cost": quantize(method.costs[currency], currency),
        "transit_time": method.transit_time,
        "additional_description": "",
    }


def _country(consignment: Consignment) -> str:
    return str(consignment.address.get("country_code", ""))


def _consignment_json(
    priced: PricedCart, consignment: Consignment, shipping: Decimal, include: frozenset[str]
) -> dict[str, Any]:
    currency = priced.cart.currency
    zero = quantize(Decimal(0), currency)
    live = {line.id for line in priced.cart.product_lines}
    methods = methods_for(_country(consignment))
    selected = next((m for m in methods if m.id == consignment.shipping_option_id), None)
    data: dict[str, Any] = {
        "id": consignment.id,
        "address": {**consignment.address, "id": consignment.id},
        "coupon_discounts": [],
        "discounts": [],
        "shipping_cost_inc_tax": shipping,
        "shipping_cost_ex_tax": shipping,
        "handling_cost_inc_tax": zero,
        "handling_cost_ex_tax": zero,
        "line_item_ids": [i for i in consignment.line_item_ids if i in live],
    }
    if AVAILABLE_OPTIONS in include:
        data["available_shipping_options"] = [_option(m, currency) for m in methods]
    if selected is not None:
        data["selected_shipping_option"] = _option(selected, currency)
    return data


def landed_fields(priced: PricedCart, include: frozenset[str]) -> dict[str, Any]:
    """The Checkout fields that depend on delivery: consignments, taxes and totals."""
    cart = priced.cart
    currency = cart.currency
    zero = quantize(Decimal(0), currency)
    consignments = []
    shipping_total = zero
    goods_tax = shipping_tax = zero
    taxes: dict[str, Decimal] = {}
    for consignment in cart.consignments:
        shipping = shipping_cost(_country(consignment), consignment.shipping_option_id,
                                 currency) or zero
        shipping_total += shipping
        consignments.append(_consignment_json(priced, consignment, shipping, include))
    if cart.consignments:
        # The first consignment's country taxes the order, as one tax zone would.
        country = _country(cart.consignments[0])
        on_goods = tax_on(country, priced.cart_amount, currency)
        on_shipping = tax_on(country, shipping_total, currency)
        if on_goods is not None and on_shipping is not None:
            goods_tax, shipping_tax = on_goods[1], on_shipping[1]
            taxes[on_goods[0]] = goods_tax + shipping_tax
    tax_total = goods_tax + shipping_tax
    return {
        "cart_amount_inc_tax": priced.cart_amount + goods_tax,
        "consignments": consignments,
        "taxes": [{"name": name, "amount": amount} for name, amount in taxes.items()],
        "shipping_cost_total_inc_tax": shipping_total + shipping_tax,
        "shipping_cost_total_ex_tax": shipping_total,
        "tax_total": tax_total,
        "subtotal_inc_tax": priced.base_amount + goods_tax,
        "grand_total": priced.cart_amount + shipping_total + tax_total,
    }
