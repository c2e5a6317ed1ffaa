"""cartDiscountCodesUpdate replaces the codes; a refused code changes nothing."""

from __future__ import annotations

import pytest

from tests.support import GraphQLClient, amount

pytestmark = pytest.mark.anyio


async def test_codes_are_replaced(gateway: GraphQLClient, backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "LAMP-DESK"}]}))["cart"]
    first = await gateway.discount_codes(cart["id"], ["SAVE10"])
    assert amount(first["cart"]["cost"]["totalAmount"]) == "80.10"
    second = await gateway.discount_codes(cart["id"], ["SAVE15"])
    assert second["userErrors"] == []
    assert [c["code"] for c in second["cart"]["discountCodes"]] == ["SAVE15"]
    assert amount(second["cart"]["cost"]["totalAmount"]) == "75.65"
    cleared = await gateway.discount_codes(cart["id"], [])
    assert cleared["cart"]["discountCodes"] == []
    assert amount(cleared["cart"]["cost"]["totalAmount"]) == "89.00"


async def test_unknown_code_changes_nothing(gateway: GraphQLClient, backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "LAMP-DESK"}]}))["cart"]
    applied = (await gateway.discount_codes(cart["id"], ["SAVE10"]))["cart"]
    refused = await gateway.discount_codes(cart["id"], ["SAVE10", "NOSUCHCODE"])
    assert refused["cart"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("INVALID_DISCOUNT_CODE", ["discountCodes", "1"])
    ]
    after = await gateway.cart(cart["id"])
    assert after is not None
    assert [c["code"] for c in after["discountCodes"]] == ["SAVE10"]
    assert after["cost"] == applied["cost"]


async def test_code_too_long_is_refused_before_io(gateway: GraphQLClient,
                                                  backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "LAMP-DESK"}]}))["cart"]
    refused = await gateway.discount_codes(cart["id"], ["X" * 51])
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("INVALID", ["discountCodes", "0"])
    ]
    after = await gateway.cart(cart["id"])
    assert after is not None and after["version"] == cart["version"]
