"""Amounts that floats get wrong come back exact, in each currency's minor units."""

from __future__ import annotations

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
    assert amount(mug["cost"]["amountPerQuantity"]) == "10.50"
    assert amount(mug["cost"]["compareAtAmountPerQuantity"]) == "12.50"
    assert [(a["kind"], a["code"], amount(a["discountedAmount"]))
            for a in mug["discountAllocations"]] == [("CODE", "MUG2OFF", "4.00")]
    assert amount(tote["cost"]["totalAmount"]) == "24.00"
    assert tote["discountAllocations"] == []
    assert amount(coded["cart"]["cost"]["totalAmount"]) == "45.00"
    assert amount(coded["cart"]["cost"]["totalDiscountAmount"]) == "4.00"
