"""Amounts that floats get wrong come back exact, in each currency's minor units."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.support import GraphQLClient, amount, line_by_sku

pytestmark = pytest.mark.anyio


async def test_three_times_ten_cents(gateway: GraphQLClient, backend_name: str) -> None:
    assert 3 * 0.10 != 0.30  # the float trap this guards against
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "PENCIL-HB", "quantity": 3}]}))["cart"]
    assert amount(cart["cost"]["totalAmount"]) == "0.30"
    assert amount(line_by_sku(cart, "PENCIL-HB")["cost"]["totalAmount"]) == "0.30"


async def test_fifteen_percent_off_three_shirts(gateway: GraphQLClient,
                                                backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "TEE-TRAIL-M", "quantity": 3}]}))["cart"]
    coded = await gateway.discount_codes(cart["id"], ["SAVE15"])
    assert coded["userErrors"] == []
    cost = coded["cart"]["cost"]
    assert cost["totalTaxAmount"] is None  # no vendor has calculated tax on this cart
    assert amount(cost["subtotalAmount"]) == "59.97"
    assert amount(cost["totalDiscountAmount"]) == "9.00"
    assert amount(cost["totalAmount"]) == "50.97"
    assert cost["totalAmount"]["formatted"] == "$50.97"
    assert coded["cart"]["discountCodes"] == [{"code": "SAVE15", "applicable": True}]


async def test_yen_has_no_decimals(gateway: GraphQLClient, backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "JPY",
                                  "locale": "ja-JP",
                                  "lines": [{"sku": "MUG-ORBIT", "quantity": 3}]}))["cart"]
    assert cart["currencyCode"] == "JPY"
    total = cart["cost"]["totalAmount"]
    assert total["amount"] == "5400"
    assert total["currencyCode"] == "JPY"
    assert total["formatted"] in ("￥5,400", "¥5,400")


async def test_jordanian_dinar_has_three_decimals(gateway: GraphQLClient,
                                                  backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "JOD",
                                  "lines": [{"sku": "MUG-ORBIT", "quantity": 3},
                                            {"sku": "PENCIL-HB", "quantity": 1}]}))["cart"]
    mug = line_by_sku(cart, "MUG-ORBIT")
    assert amount(mug["cost"]["amountPerQuantity"]) == "8.875"
    assert amount(mug["cost"]["totalAmount"]) == "26.625"
    assert amount(cart["cost"]["totalAmount"]) == "26.700"
    assert cart["cost"]["totalAmount"]["currencyCode"] == "JOD"


async def test_fixed_amount_off_the_total(gateway: GraphQLClient, backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "TOTE-CANVAS"},
                                            {"sku": "MUG-ORBIT"}]}))["cart"]
    coded = await gateway.discount_codes(cart["id"], ["FIVEOFF"])
    assert coded["userErrors"] == []
    cost = coded["cart"]["cost"]
    assert amount(cost["subtotalAmount"]) == "36.50"
    assert amount(cost["totalDiscountAmount"]) == "5.00"
    assert amount(cost["totalAmount"]) == "31.50"


async def test_per_item_discount_applies_to_its_product(gateway: GraphQLClient,
                                                         backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT", "quantity": 2},
                                            {"sku": "TOTE-CANVAS"}]}))["cart"]
    coded = await gateway.discount_codes(cart["id"], ["MUG2OFF"])
    assert coded["userErrors"] == []
    mug = line_by_sku(coded["cart"], "MUG-ORBIT")
    tote = line_by_sku(coded["cart"], "TOTE-CANVAS")
    assert amount(mug["cost"]["totalAmount"]) == "21.00"
    # The unit price is before any discount; a code is an allocation, not a "was" price.
    assert amount(mug["cost"]["amountPerQuantity"]) == "12.50"
    assert amount(mug["cost"]["subtotalAmount"]) == "25.00"
    assert mug["cost"]["compareAtAmountPerQuantity"] is None
    assert [(a["kind"], a["code"], amount(a["discountedAmount"]))
            for a in mug["discountAllocations"]] == [("CODE", "MUG2OFF", "4.00")]
    assert amount(tote["cost"]["totalAmount"]) == "24.00"
    assert tote["discountAllocations"] == []
    assert amount(coded["cart"]["cost"]["totalAmount"]) == "45.00"
    assert amount(coded["cart"]["cost"]["totalDiscountAmount"]) == "4.00"


def _cents(money: dict[str, str] | None) -> Decimal:
    return Decimal(money["amount"]) if money else Decimal(0)


@pytest.mark.parametrize("codes", [["SAVE15"], ["FIVEOFF"], ["MUG2OFF"], ["SAVE10", "FIVEOFF"]])
async def test_line_cost_rules_hold_under_every_discount(gateway: GraphQLClient,
                                                        backend_name: str,
                                                        codes: list[str]) -> None:
    """The line's amountPerQuantity is the undiscounted unit price, subtotal is exactly it times the
    quantity, and total is the subtotal less the line's own allocations.
    """
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "TEE-TRAIL-M", "quantity": 3},
                                            {"sku": "MUG-ORBIT", "quantity": 2}]}))["cart"]
    coded = await gateway.discount_codes(cart["id"], codes)
    assert coded["userErrors"] == []
    shirt = line_by_sku(coded["cart"], "TEE-TRAIL-M")
    assert amount(shirt["cost"]["amountPerQuantity"]) == "19.99"
    assert amount(shirt["cost"]["subtotalAmount"]) == "59.97"
    for line in coded["cart"]["lines"]:
        cost = line["cost"]
        assert cost["compareAtAmountPerQuantity"] is None  # the sandbox catalogs have no sales
        assert _cents(cost["subtotalAmount"]) == _cents(cost["amountPerQuantity"]) * line[
            "quantity"]
        allocated = sum((_cents(a["discountedAmount"]) for a in line["discountAllocations"]),
                        Decimal(0))
        assert _cents(cost["totalAmount"]) == _cents(cost["subtotalAmount"]) - allocated
