"""Delivery address, quoted options, the selected one, tax and the landed total, on both
vendors: BigCommerce quotes and taxes through its checkout; Elastic Path prices options
from the operator's rate table and takes tax items from the store's own tax service.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from adapters.model import Backend
from tests.delivery_support import (
    DE_ADDRESS,
    LANDED_PAYLOAD,
    US_ADDRESS,
    deliver,
    landed_cart,
    select_option,
    set_address,
    set_billing_address,
    set_tax_items,
)
from tests.support import CountingTransport, GraphQLClient, amount

pytestmark = [pytest.mark.anyio, pytest.mark.delivers]

CREATE = ("mutation($input: CartCreateInput!) { cartCreate(input: $input) { "
          f"{LANDED_PAYLOAD} }} }}")


def _money(value: dict[str, Any] | None) -> Decimal:
    found = amount(value)
    assert found is not None
    return Decimal(found)


async def _cart(gateway: GraphQLClient, backend_name: str, currency: str = "USD",
                lines: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    created = await gateway.create({"backend": backend_name, "currencyCode": currency,
                                    "lines": lines or [{"sku": "LAMP-DESK"}]})
    assert created["userErrors"] == []
    cart: dict[str, Any] = created["cart"]
    return cart


async def _tax(gateway: GraphQLClient, vendor: Backend, cart: dict[str, Any],
               rate: str) -> dict[str, Any]:
    """Tax the cart at a rate: Elastic Path through tax items, BigCommerce by itself."""
    if vendor is Backend.BIGCOMMERCE:
        read = await landed_cart(gateway, cart["id"])
        assert read is not None
        return read
    items = [{"lineId": line["id"], "name": "VAT", "rate": rate} for line in cart["lines"]]
    taxed = await set_tax_items(gateway, cart["id"], items)
    assert taxed["userErrors"] == [], taxed["userErrors"]
    result: dict[str, Any] = taxed["cart"]
    return result


@pytest.mark.parametrize(("address", "handle", "shipping", "tax"), [
    # BigCommerce taxes goods and shipping (seeded: US 7.25%, DE 19%); Elastic Path taxes
    # what the store's tax items say: here the goods at the same rate.
    (US_ADDRESS, "us-ground", "7.50", {"bigcommerce": "6.99", "elasticpath": "6.45"}),
    (DE_ADDRESS, "de-standard", "6.50", {"bigcommerce": "18.15", "elasticpath": "16.91"}),
])
async def test_landed_total(gateway: GraphQLClient, vendor: Backend, backend_name: str,
                            address: dict[str, Any], handle: str, shipping: str,
                            tax: dict[str, str]) -> None:
    cart = await _cart(gateway, backend_name)
    placed = await set_address(gateway, cart["id"], address)
    assert placed["userErrors"] == []
    group = placed["cart"]["deliveryGroups"][0]
    assert group["deliveryAddress"]["countryCode"] == address["countryCode"]
    assert group["deliveryAddress"]["city"] == address["city"]
    assert group["selectedDeliveryOption"] is None
    assert placed["cart"]["landed"]["totalShippingAmount"] is None
    options = {o["handle"]: o for o in group["deliveryOptions"]}
    assert amount(options[handle]["estimatedCost"]) == shipping
    assert placed["cart"]["version"] != cart["version"]

    chosen = await select_option(gateway, cart["id"], group["id"], handle)
    assert chosen["userErrors"] == []
    selected = chosen["cart"]["deliveryGroups"][0]["selectedDeliveryOption"]
    assert selected["handle"] == handle and amount(selected["estimatedCost"]) == shipping
    assert amount(chosen["cart"]["landed"]["totalShippingAmount"]) == shipping
    assert chosen["cart"]["version"] != placed["cart"]["version"]

    rate = "0.0725" if address["countryCode"] == "US" else "0.19"
    taxed = await _tax(gateway, vendor, chosen["cart"], rate)
    cost = taxed["cost"]
    assert amount(cost["totalTaxAmount"]) == tax[vendor.value]
    assert _money(cost["totalAmount"]) == (
        _money(cost["subtotalAmount"]) - _money(cost["totalDiscountAmount"])
        + Decimal(shipping) + Decimal(tax[vendor.value]))
    read = await landed_cart(gateway, cart["id"])
    assert read is not None
    assert read["cost"] == cost and read["version"] == taxed["version"]
    assert amount(read["landed"]["totalShippingAmount"]) == shipping


@pytest.mark.parametrize(("currency", "shipping"), [("JPY", "1100"), ("JOD", "5.325")])
async def test_shipping_in_the_currency_minor_units(
    gateway: GraphQLClient, backend_name: str, currency: str, shipping: str
) -> None:
    cart = await _cart(gateway, backend_name, currency, [{"sku": "MUG-ORBIT", "quantity": 3}])
    chosen = await deliver(gateway, cart["id"], US_ADDRESS)
    assert chosen["cart"]["landed"]["totalShippingAmount"]["amount"] == shipping
    assert chosen["cart"]["landed"]["totalShippingAmount"]["currencyCode"] == currency
    cost = chosen["cart"]["cost"]
    tax = _money(cost["totalTaxAmount"]) if cost["totalTaxAmount"] else Decimal(0)
    total = _money(cost["totalAmount"])
    assert total == _money(cost["subtotalAmount"]) - _money(cost["totalDiscountAmount"]) \
        + Decimal(shipping) + tax
    assert cost["totalAmount"]["amount"] == str(total)
    assert total.as_tuple().exponent == (0 if currency == "JPY" else -3)


async def test_a_new_address_is_quoted_afresh(gateway: GraphQLClient,
                                              backend_name: str) -> None:
    cart = await _cart(gateway, backend_name)
    chosen = await deliver(gateway, cart["id"], US_ADDRESS)
    moved = await set_address(gateway, cart["id"], DE_ADDRESS)
    assert moved["userErrors"] == []
    group = moved["cart"]["deliveryGroups"][0]
    assert group["deliveryAddress"]["countryCode"] == "DE"
    assert {o["handle"] for o in group["deliveryOptions"]} == {"de-standard", "de-express"}
    assert group["selectedDeliveryOption"] is None
    assert moved["cart"]["landed"]["totalShippingAmount"] is None
    assert moved["cart"]["version"] != chosen["cart"]["version"]


async def test_a_country_without_a_zone_has_no_options(gateway: GraphQLClient,
                                                       backend_name: str) -> None:
    cart = await _cart(gateway, backend_name)
    placed = await set_address(gateway, cart["id"], {**US_ADDRESS, "countryCode": "NZ",
                                                     "provinceCode": None})
    assert placed["userErrors"] == []
    assert placed["cart"]["deliveryGroups"][0]["deliveryOptions"] == []


async def test_removing_the_address(gateway: GraphQLClient, backend_name: str) -> None:
    cart = await _cart(gateway, backend_name)
    chosen = await deliver(gateway, cart["id"], US_ADDRESS)
    removed = await set_address(gateway, cart["id"], None)
    assert removed["userErrors"] == []
    assert removed["cart"]["deliveryGroups"] == []
    assert removed["cart"]["landed"]["totalShippingAmount"] is None
    assert removed["cart"]["version"] != chosen["cart"]["version"]
    assert _money(removed["cart"]["cost"]["totalAmount"]) < _money(
        chosen["cart"]["cost"]["totalAmount"])


async def test_a_stale_version_changes_nothing(gateway: GraphQLClient,
                                               backend_name: str) -> None:
    cart = await _cart(gateway, backend_name)
    placed = await set_address(gateway, cart["id"], US_ADDRESS)
    group = placed["cart"]["deliveryGroups"][0]
    stale = await select_option(gateway, cart["id"], group["id"], "us-ground",
                                expected_version=cart["version"])
    assert [e["code"] for e in stale["userErrors"]] == ["VERSION_CONFLICT"]
    assert stale["cart"]["version"] == placed["cart"]["version"]
    moved = await set_address(gateway, cart["id"], DE_ADDRESS,
                              expected_version=cart["version"])
    assert [e["code"] for e in moved["userErrors"]] == ["VERSION_CONFLICT"]
    read = await landed_cart(gateway, cart["id"])
    assert read is not None and read["version"] == placed["cart"]["version"]
    assert read["deliveryGroups"][0]["deliveryAddress"]["countryCode"] == "US"
    ok = await select_option(gateway, cart["id"], group["id"], "us-ground",
                             expected_version=placed["cart"]["version"])
    assert ok["userErrors"] == []


async def test_an_unknown_option_is_refused(gateway: GraphQLClient, backend_name: str) -> None:
    cart = await _cart(gateway, backend_name)
    placed = await set_address(gateway, cart["id"], US_ADDRESS)
    group = placed["cart"]["deliveryGroups"][0]
    refused = await select_option(gateway, cart["id"], group["id"], "de-express")
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("INVALID", ["selectedDeliveryOptions", "0", "deliveryOptionHandle"])]
    read = await landed_cart(gateway, cart["id"])
    assert read is not None and read["version"] == placed["cart"]["version"]


async def test_bad_addresses_are_refused_before_io(
    gateway: GraphQLClient, backend_name: str, vendor: Backend,
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    cart = await _cart(gateway, backend_name)
    before = len(vendor_traffic[vendor].requests)
    for bad, field in [({**US_ADDRESS, "countryCode": "USA"}, "countryCode"),
                       ({**US_ADDRESS, "city": "x" * 256}, "city")]:
        refused = await set_address(gateway, cart["id"], bad)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
            ("INVALID", ["address", field])]
    assert len(vendor_traffic[vendor].requests) == before


async def test_billing_address_where_the_vendor_keeps_one(
    gateway: GraphQLClient, vendor: Backend, backend_name: str
) -> None:
    cart = await _cart(gateway, backend_name)
    billed = await set_billing_address(gateway, cart["id"], DE_ADDRESS)
    if vendor is Backend.ELASTIC_PATH:
        assert [(e["code"], e["field"]) for e in billed["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["billingAddress"])]
        return
    assert billed["userErrors"] == []
    assert billed["cart"]["billingAddress"]["countryCode"] == "DE"
    assert billed["cart"]["billingAddress"]["email"] == DE_ADDRESS["email"]
    assert billed["cart"]["version"] != cart["version"]


async def test_tax_items_where_the_store_brings_its_own_tax(
    gateway: GraphQLClient, vendor: Backend, backend_name: str
) -> None:
    cart = await _cart(gateway, backend_name, lines=[{"sku": "LAMP-DESK"},
                                                      {"sku": "PENCIL-HB", "quantity": 3}])
    lines = {line["sku"]: line["id"] for line in cart["lines"]}
    items = [{"lineId": lines["LAMP-DESK"], "name": "VAT", "rate": "0.19"},
             {"lineId": lines["PENCIL-HB"], "name": "VAT", "rate": "0.07"}]
    taxed = await set_tax_items(gateway, cart["id"], items)
    if vendor is Backend.BIGCOMMERCE:
        assert [(e["code"], e["field"]) for e in taxed["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["taxItems"])]
        return
    assert taxed["userErrors"] == []
    # 89.00 x 0.19 = 16.91; 0.30 x 0.07 = 0.021 -> 0.02, each rounded on its own.
    assert amount(taxed["cart"]["cost"]["totalTaxAmount"]) == "16.93"
    assert amount(taxed["cart"]["cost"]["totalAmount"]) == "106.23"
    replaced = await set_tax_items(gateway, cart["id"], items[:1])
    assert amount(replaced["cart"]["cost"]["totalTaxAmount"]) == "16.91"
    cleared = await set_tax_items(gateway, cart["id"], [])
    assert amount(cleared["cart"]["cost"]["totalAmount"]) == "89.30"
    refused = await set_tax_items(gateway, cart["id"], [{**items[0], "rate": "1.5"}])
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("INVALID", ["taxItems", "0", "rate"])]


async def test_create_with_an_address_and_an_option(gateway: GraphQLClient,
                                                    backend_name: str) -> None:
    created = (await gateway.execute(CREATE, {"input": {
        "backend": backend_name, "currencyCode": "USD", "lines": [{"sku": "LAMP-DESK"}],
        "deliveryAddress": US_ADDRESS, "deliveryOptionHandle": "us-express"}}))["cartCreate"]
    assert created["userErrors"] == []
    assert amount(created["cart"]["landed"]["totalShippingAmount"]) == "19.00"


async def test_create_refuses_what_it_cannot_deliver(
    gateway: GraphQLClient, backend_name: str, vendor: Backend,
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    before = len(vendor_traffic[vendor].requests)
    lonely = (await gateway.execute(CREATE, {"input": {
        "backend": backend_name, "lines": [{"sku": "LAMP-DESK"}],
        "deliveryOptionHandle": "us-ground"}}))["cartCreate"]
    assert [(e["code"], e["field"]) for e in lonely["userErrors"]] == [
        ("INVALID", ["input", "deliveryOptionHandle"])]
    assert len(vendor_traffic[vendor].requests) == before
    unknown = (await gateway.execute(CREATE, {"input": {
        "backend": backend_name, "currencyCode": "USD", "lines": [{"sku": "LAMP-DESK"}],
        "deliveryAddress": US_ADDRESS, "deliveryOptionHandle": "by-zeppelin"}}))["cartCreate"]
    assert unknown["cart"] is None
    assert [(e["code"], e["field"]) for e in unknown["userErrors"]] == [
        ("INVALID", ["input", "deliveryOptionHandle"])]
    # All or nothing: the cart made on the way was deleted.
    assert [r.method for r in vendor_traffic[vendor].requests[before:]][-1] == "DELETE"


async def test_delivery_keeps_the_locale(gateway: GraphQLClient, backend_name: str) -> None:
    created = await gateway.create({"backend": backend_name, "currencyCode": "EUR",
                                    "locale": "de-DE", "lines": [{"sku": "LAMP-DESK"}]})
    cart = created["cart"]
    chosen = await deliver(gateway, cart["id"], DE_ADDRESS)
    read = await landed_cart(gateway, cart["id"])
    assert read is not None
    for seen in (chosen["cart"], read):
        assert seen["locale"] == cart["locale"]
        assert seen["cost"]["subtotalAmount"]["formatted"] == \
            cart["cost"]["subtotalAmount"]["formatted"]
