"""Emptying a cart: Elastic Path keeps it, BigCommerce deletes it (null cart + CART_DELETED)."""

from __future__ import annotations

import pytest

from tests.support import GraphQLClient, amount

pytestmark = pytest.mark.anyio


@pytest.mark.capability("deletes_emptied_cart")
async def test_removing_the_last_line(gateway: GraphQLClient, backend_name: str,
                                      supports: bool) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    result = await gateway.remove_lines(cart["id"], [cart["lines"][0]["id"]])
    assert result["userErrors"] == []
    if supports:
        assert result["cart"] is None
        assert [w["code"] for w in result["warnings"]] == ["CART_DELETED"]
        assert await gateway.cart(cart["id"]) is None
    else:
        assert result["warnings"] == []
        emptied = result["cart"]
        assert (emptied["id"], emptied["lines"], emptied["totalQuantity"]) == (cart["id"], [], 0)
        assert amount(emptied["cost"]["totalAmount"]) == "0.00"
        read = await gateway.cart(cart["id"])
        assert read is not None and read["version"] == emptied["version"]
        again = await gateway.add_lines(cart["id"], [{"sku": "PENCIL-HB"}])
        assert again["userErrors"] == []
        assert [line["sku"] for line in again["cart"]["lines"]] == ["PENCIL-HB"]


@pytest.mark.capability("deletes_emptied_cart")
async def test_quantity_zero_on_the_last_line(gateway: GraphQLClient, backend_name: str,
                                              supports: bool) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    result = await gateway.update_lines(cart["id"], [{"id": cart["lines"][0]["id"],
                                                      "quantity": 0}])
    assert result["userErrors"] == []
    if supports:
        assert result["cart"] is None
        assert [w["code"] for w in result["warnings"]] == ["CART_DELETED"]
    else:
        assert result["cart"]["lines"] == []
        assert result["warnings"] == []


@pytest.mark.capability("empty_cart")
async def test_creating_a_cart_without_lines(gateway: GraphQLClient, backend_name: str,
                                             supports: bool) -> None:
    result = await gateway.create({"backend": backend_name, "currencyCode": "USD"})
    if supports:
        assert result["userErrors"] == []
        cart = result["cart"]
        assert (cart["lines"], cart["totalQuantity"]) == ([], 0)
        assert amount(cart["cost"]["totalAmount"]) == "0.00"
        read = await gateway.cart(cart["id"])
        assert read is not None and read["version"] == cart["version"]
    else:
        assert result["cart"] is None
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("INVALID", ["input", "lines"])
        ]
