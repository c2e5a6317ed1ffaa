"""cartBuyerIdentityUpdate: the contact email where the cart keeps one, and the customer."""

from __future__ import annotations

import pytest

from adapters.model import Backend
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio



@pytest.mark.capability("buyer_email")
async def test_email(gateway: GraphQLClient, vendor: Backend,
                     vendor_traffic: dict[Backend, CountingTransport], backend_name: str,
                     supports: bool) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    writes = len(vendor_traffic[vendor].writes())
    result = await gateway.buyer_identity(cart["id"], {"email": "shopper@example.com"})
    if supports:
        assert result["userErrors"] == []
        assert result["cart"]["email"] == "shopper@example.com"
        assert result["cart"]["version"] != cart["version"]
        read = await gateway.cart(cart["id"])
        assert read is not None and read["email"] == "shopper@example.com"
    else:
        assert result["cart"] is None
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["buyerIdentity", "email"])
        ]
        assert len(vendor_traffic[vendor].writes()) == writes
        read = await gateway.cart(cart["id"])
        assert read is not None and read["version"] == cart["version"]
        assert read["email"] is None


async def test_customer(gateway: GraphQLClient, backend_name: str, customer_id: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    customer = customer_id
    result = await gateway.buyer_identity(cart["id"], {"customerId": customer},
                                          expected_version=cart["version"])
    assert result["userErrors"] == []
    assert result["cart"]["customerId"] == customer
    assert result["cart"]["version"] != cart["version"]
    read = await gateway.cart(cart["id"])
    assert read is not None and read["customerId"] == customer
    assert read["version"] == result["cart"]["version"]


async def test_customer_with_a_stale_version_changes_nothing(
    gateway: GraphQLClient, backend_name: str, customer_id: str
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    moved = await gateway.update_lines(cart["id"], [{"id": cart["lines"][0]["id"],
                                                     "quantity": 2}])
    result = await gateway.buyer_identity(cart["id"], {"customerId": customer_id},
                                          expected_version=cart["version"])
    assert [e["code"] for e in result["userErrors"]] == ["VERSION_CONFLICT"]
    assert result["cart"]["version"] == moved["cart"]["version"]
    read = await gateway.cart(cart["id"])
    assert read is not None and read["customerId"] is None
