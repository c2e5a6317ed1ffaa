"""BigCommerce Checkout JSON -> the cart model with delivery, tax and landed total.

Pure functions, no I/O. The Checkout's ``cart`` is a cart without ``cart_amount``,
``locale`` or ``version`` (the version sits on the checkout): those are filled in and
the cart mapped as any other; then consignments become delivery groups, ``tax_total``
the tax (calculated once a consignment gives an address) and ``grand_total`` the total.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from adapters.bigcommerce.mapping import to_cart
from adapters.delivery import Address, DeliveryGroup, DeliveryOption
from adapters.errors import ServiceUnavailable
from adapters.model import Cart, CartCost
from adapters.money import Money

# Our Address field -> BigCommerce's Address Properties key.
ADDRESS_KEYS = {
    "first_name": "first_name", "last_name": "last_name", "company": "company",
    "address1": "address1", "address2": "address2", "city": "city",
    "province_code": "state_or_province_code", "zip": "postal_code", "phone": "phone",
    "email": "email", "country_code": "country_code",
}


def address_body(address: Address, email: str) -> dict[str, Any]:
    """Address Properties for an address; BigCommerce requires email, state and postcode."""
    body: dict[str, Any] = {
        key: getattr(address, ours) for ours, key in ADDRESS_KEYS.items()
        if getattr(address, ours) is not None
    }
    body["email"] = email
    body["state_or_province"] = address.province_code or ""
    body["postal_code"] = address.zip or ""
    return body


def to_address(data: Mapping[str, Any]) -> Address | None:
    """Our address of an Address Response; None for the empty object of no address."""
    if not data or not data.get("country_code"):
        return None
    values: dict[str, Any] = {
        ours: (str(data[key]) if data.get(key) not in (None, "") else None)
        for ours, key in ADDRESS_KEYS.items()
    }
    values["province_code"] = values["province_code"] or (
        str(data.get("state_or_province") or "") or None)
    country = data["country_code"]
    if not isinstance(country, str) or len(country) != 2 or not country.isalpha():
        raise ValueError("an address's country_code is a two-letter code")
    values["country_code"] = country.upper()
    return Address(**values)


def _option(data: Mapping[str, Any], currency: str) -> DeliveryOption:
    return DeliveryOption(handle=str(data["id"]), title=str(data.get("description") or data["id"]),
                          cost=Money.of(data.get("cost", 0), currency))


def _group(data: Mapping[str, Any], currency: str) -> DeliveryGroup | None:
    address = to_address(data.get("address") or {})
    if address is None:
        return None
    selected = data.get("selected_shipping_option")
    return DeliveryGroup(
        id=str(data["id"]),
        address=address,
        options=tuple(_option(o, currency) for o in data.get("available_shipping_options") or []),
        selected=_option(selected, currency) if isinstance(selected, Mapping) and selected
        else None,
    )


def checkout_to_cart(data: Mapping[str, Any], locale: str | None = None) -> Cart:
    """The model of a Checkout ``data`` object; ServiceUnavailable when it is malformed."""
    try:
        return _checkout_to_cart(data, locale)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise ServiceUnavailable(
            "BigCommerce answered with a checkout the gateway cannot read "
            f"({exc.__class__.__name__})"
        ) from exc


def _checkout_to_cart(data: Mapping[str, Any], locale: str | None) -> Cart:
    inner = dict(data["cart"])
    if str(data["id"]) != str(inner["id"]):
        raise ValueError("a checkout's id is its cart's id")
    inner["cart_amount"] = inner["cart_amount_ex_tax"]
    inner["version"] = data["version"]
    cart = to_cart(inner)
    currency = cart.currency
    groups = tuple(g for g in (_group(c, currency) for c in data.get("consignments") or [])
                   if g is not None)
    shipped = any(g.selected is not None for g in groups)
    cost = CartCost(
        subtotal=cart.cost.subtotal,
        total_discount=cart.cost.total_discount,
        # BigCommerce calculates tax once it knows where the goods go.
        total_tax=Money.of(data["tax_total"], currency) if groups else None,
        total=Money.of(data["grand_total"], currency),
        total_shipping=Money.of(data["shipping_cost_total_ex_tax"], currency) if shipped
        else None,
    )
    return dataclasses.replace(
        cart, cost=cost, delivery_groups=groups, locale=locale or cart.locale,
        billing_address=to_address(data.get("billing_address") or {}),
    )
