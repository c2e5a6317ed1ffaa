"""cartAttributesUpdate: name and description where the vendor keeps them."""

from __future__ import annotations

import pytest

from adapters.model import Backend
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio


@pytest.mark.capability("cart_attributes")
async def test_name_and_description(gateway: GraphQLClient, vendor: Backend,
                                    vendor_traffic: dict[Backend, CountingTransport],
                                    backend_name: str, supports: bool) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    writes = len(vendor_traffic[vendor].writes())
    result = await gateway.attributes(cart["id"], {"name": "Gifts", "description": "For May"},
                                      expected_version=cart["version"])
    if supports:
        assert result["userErrors"] == []
        assert (result["cart"]["name"], result["cart"]["description"]) == ("Gifts", "For May")
        assert result["cart"]["version"] != cart["version"]
        read = await gateway.cart(cart["id"])
        assert read is not None and read["version"] == result["cart"]["version"]
        assert (read["name"], read["description"]) == ("Gifts", "For May")
    else:
        assert result["cart"] is None
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["attributes", "name"])
        ]
        assert len(vendor_traffic[vendor].writes()) == writes
        read = await gateway.cart(cart["id"])
        assert read is not None and read["version"] == cart["version"]
        assert (read["name"], read["description"]) == (None, None)


@pytest.mark.capability("cart_attributes")
async def test_attributes_at_creation(gateway: GraphQLClient, backend_name: str,
                                      supports: bool) -> None:
    result = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                   "lines": [{"sku": "MUG-ORBIT"}],
                                   "attributes": {"description": "Office"}})
    if supports:
        assert result["userErrors"] == []
        assert result["cart"]["description"] == "Office"
    else:
        assert result["cart"] is None
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["input", "attributes", "description"])
        ]
