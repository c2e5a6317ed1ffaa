"""Empty carts: created on both vendors; emptied, Elastic Path keeps one and BigCommerce
deletes it (null cart + CART_DELETED).
"""

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


async def test_creating_a_cart_without_lines(gateway: GraphQLClient, backend_name: str,
                                             customer_id: str) -> None:
    """Both vendors answer an empty cart (BigCommerce's is held by the gateway) that keeps
    its id, currency, locale and customer when its first line arrives.
    """
    customer = customer_id  # in the vendor's form: a number, a UUID
    result = await gateway.create({"backend": backend_name, "currencyCode": "EUR",
                                   "locale": "de-DE", "buyerIdentity": {"customerId": customer}})
    assert result["userErrors"] == []
    cart = result["cart"]
    assert (cart["lines"], cart["totalQuantity"], cart["currencyCode"], cart["locale"],
            cart["customerId"]) == ([], 0, "EUR", "de-DE", customer)
    assert amount(cart["cost"]["totalAmount"]) == "0.00"
    assert cart["cost"]["totalAmount"]["formatted"] == "0,00\u00a0€"
    read = await gateway.cart(cart["id"])
    assert read is not None and read["version"] == cart["version"]
    assert read["lines"] == [] and read["currencyCode"] == "EUR"

    stale = await gateway.add_lines(cart["id"], [{"sku": "MUG-ORBIT"}],
                                    expected_version="not-" + cart["version"])
    assert [e["code"] for e in stale["userErrors"]] == ["VERSION_CONFLICT"]
    assert stale["cart"]["lines"] == []
    first = await gateway.add_lines(cart["id"], [{"sku": "MUG-ORBIT", "quantity": 2}],
                                    expected_version=cart["version"])
    assert first["userErrors"] == []
    filled = first["cart"]
    assert filled["id"] == cart["id"]  # the id the storefront got stays valid
    assert (filled["currencyCode"], filled["locale"], filled["customerId"]) == (
        "EUR", "de-DE", customer)
    assert [(line["sku"], line["quantity"]) for line in filled["lines"]] == [("MUG-ORBIT", 2)]
    assert amount(filled["cost"]["totalAmount"]) == "23.80"
    again = await gateway.cart(cart["id"])
    assert again is not None and again["version"] == filled["version"]
    more = await gateway.add_lines(cart["id"], [{"sku": "PENCIL-HB"}],
                                   expected_version=filled["version"])
    assert more["userErrors"] == [] and more["cart"]["totalQuantity"] == 3
    deleted = await gateway.delete(cart["id"])
    assert deleted == {"deletedCartId": cart["id"], "userErrors": []}
    assert await gateway.cart(cart["id"]) is None


async def test_codes_on_an_empty_cart_apply_once_it_has_lines(gateway: GraphQLClient,
                                                             backend_name: str) -> None:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "discountCodes": ["SAVE10"]})
    assert created["userErrors"] == []
    assert created["cart"]["discountCodes"] == [{"code": "SAVE10", "applicable": False}]
    assert [w["code"] for w in created["warnings"]] == ["DISCOUNT_NOT_APPLICABLE"]
    filled = await gateway.add_lines(created["cart"]["id"], [{"sku": "TOTE-CANVAS"}])
    assert filled["userErrors"] == []
    assert filled["cart"]["discountCodes"] == [{"code": "SAVE10", "applicable": True}]
    assert amount(filled["cart"]["cost"]["totalAmount"]) == "21.60"


async def test_an_empty_cart_refuses_unknown_lines_and_deletes(gateway: GraphQLClient,
                                                              backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD"}))["cart"]
    refused = await gateway.add_lines(cart["id"], [{"sku": "NOPE-SKU"}])
    assert [(e["code"], e["field"], e["message"]) for e in refused["userErrors"]] == [
        ("MERCHANDISE_NOT_FOUND", ["lines", "0", "sku"],
         "the catalog has no product with SKU 'NOPE-SKU'")]
    read = await gateway.cart(cart["id"])
    assert read is not None and read["lines"] == [] and read["version"] == cart["version"]
    missing = await gateway.remove_lines(cart["id"], [cart["id"].replace("Cart", "CartLine")])
    assert [e["code"] for e in missing["userErrors"]] == ["LINE_NOT_FOUND"]
    assert (await gateway.delete(cart["id"]))["userErrors"] == []
    gone = await gateway.add_lines(cart["id"], [{"sku": "MUG-ORBIT"}])
    assert [e["code"] for e in gone["userErrors"]] == ["CART_NOT_FOUND"]
