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


GIFT = [{"key": "gift_message", "value": "Happy birthday, Ana"},
        {"key": "delivery", "value": "Leave at the door"}]
IN_KEY_ORDER = sorted(GIFT, key=lambda pair: pair["key"])  # as a cart shows them


async def test_attributes_and_note_at_creation(gateway: GraphQLClient,
                                               backend_name: str) -> None:
    result = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                   "lines": [{"sku": "MUG-ORBIT"}],
                                   "attributes": {"attributes": GIFT, "note": "Ring twice"}})
    assert result["userErrors"] == []
    assert (result["cart"]["attributes"], result["cart"]["note"]) == (IN_KEY_ORDER, "Ring twice")
    read = await gateway.cart(result["cart"]["id"])
    assert read is not None
    assert (read["attributes"], read["note"], read["version"]) == (
        IN_KEY_ORDER, "Ring twice", result["cart"]["version"])


async def test_attributes_replace_the_set_and_null_removes_a_key(
    gateway: GraphQLClient, backend_name: str
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}],
                                  "attributes": {"attributes": GIFT, "note": "Ring twice"}}
                                 ))["cart"]
    result = await gateway.attributes(cart["id"], {"attributes": [
        {"key": "gift_message", "value": "Happy birthday, Ana!"},
        {"key": "delivery", "value": None},
        {"key": "wrap", "value": "blue"},
    ]}, expected_version=cart["version"])
    assert result["userErrors"] == []
    wanted = [{"key": "gift_message", "value": "Happy birthday, Ana!"},
              {"key": "wrap", "value": "blue"}]
    assert result["cart"]["attributes"] == wanted
    assert result["cart"]["note"] == "Ring twice"  # left as it was
    assert result["cart"]["version"] != cart["version"]
    read = await gateway.cart(cart["id"])
    assert read is not None and read["attributes"] == wanted

    cleared = await gateway.attributes(cart["id"], {"attributes": [], "note": ""})
    assert cleared["userErrors"] == []
    assert (cleared["cart"]["attributes"], cleared["cart"]["note"]) == ([], None)
    read = await gateway.cart(cart["id"])
    assert read is not None and (read["attributes"], read["note"]) == ([], None)


async def test_the_same_attributes_write_nothing(
    gateway: GraphQLClient, vendor: Backend, vendor_traffic: dict[Backend, CountingTransport],
    backend_name: str,
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}],
                                  "attributes": {"attributes": GIFT, "note": "Ring twice"}}
                                 ))["cart"]
    writes = len(vendor_traffic[vendor].writes())
    # The same pairs in another order are the same set.
    result = await gateway.attributes(cart["id"], {"attributes": GIFT[::-1],
                                                   "note": "Ring twice"})
    assert result["userErrors"] == []
    assert result["cart"]["version"] == cart["version"]
    assert len(vendor_traffic[vendor].writes()) == writes


async def test_an_attribute_change_on_a_stale_version_changes_nothing(
    gateway: GraphQLClient, backend_name: str
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}],
                                  "attributes": {"attributes": GIFT}}))["cart"]
    moved = await gateway.add_lines(cart["id"], [{"sku": "PENCIL-HB"}])
    assert moved["userErrors"] == []
    result = await gateway.attributes(cart["id"], {"attributes": [], "note": "late"},
                                      expected_version=cart["version"])
    assert [e["code"] for e in result["userErrors"]] == ["VERSION_CONFLICT"]
    read = await gateway.cart(cart["id"])
    assert read is not None and (read["attributes"], read["note"]) == (IN_KEY_ORDER, None)
