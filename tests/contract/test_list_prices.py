"""A list price on a catalog line: an override where the vendor allows one."""

from __future__ import annotations

import pytest

from adapters.model import Backend
from tests.support import CountingTransport, GraphQLClient, amount, line_by_sku

pytestmark = pytest.mark.anyio


@pytest.mark.capability("catalog_list_price")
async def test_list_price_when_adding(gateway: GraphQLClient, vendor: Backend,
                                      vendor_traffic: dict[Backend, CountingTransport],
                                      backend_name: str, supports: bool) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "PENCIL-HB"}]}))["cart"]
    writes = len(vendor_traffic[vendor].writes())
    result = await gateway.add_lines(cart["id"], [{"sku": "TOTE-CANVAS"},
                                                  {"sku": "MUG-ORBIT", "listPrice": "10.00"}])
    if supports:
        assert result["userErrors"] == []
        mug = line_by_sku(result["cart"], "MUG-ORBIT")
        assert amount(mug["cost"]["amountPerQuantity"]) == "10.00"
    else:
        assert result["cart"] is None
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["lines", "1", "listPrice"])
        ]
        assert len(vendor_traffic[vendor].writes()) == writes
        read = await gateway.cart(cart["id"])
        assert read is not None and read["version"] == cart["version"]


@pytest.mark.capability("catalog_list_price")
async def test_list_price_at_creation(gateway: GraphQLClient, vendor: Backend,
                                      vendor_traffic: dict[Backend, CountingTransport],
                                      backend_name: str, supports: bool) -> None:
    result = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                   "lines": [{"sku": "MUG-ORBIT", "listPrice": "10.00"}]})
    if supports:
        assert result["userErrors"] == []
        assert amount(result["cart"]["cost"]["totalAmount"]) == "10.00"
    else:
        assert result["cart"] is None
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["input", "lines", "0", "listPrice"])
        ]
        assert vendor_traffic[vendor].requests == []


@pytest.mark.capability("catalog_list_price")
async def test_list_price_when_updating(gateway: GraphQLClient, backend_name: str,
                                        supports: bool) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    line = cart["lines"][0]
    result = await gateway.update_lines(cart["id"], [{"id": line["id"], "listPrice": "9.00"}])
    if supports:
        assert result["userErrors"] == []
        assert amount(result["cart"]["lines"][0]["cost"]["amountPerQuantity"]) == "9.00"
    else:
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["lines", "0", "listPrice"])
        ]
        read = await gateway.cart(cart["id"])
        assert read is not None and read["version"] == cart["version"]
