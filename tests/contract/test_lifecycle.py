"""Create, read, change and delete a cart through /graphql."""

from __future__ import annotations

import pytest

from tests.support import GraphQLClient, amount, line_by_sku

pytestmark = pytest.mark.anyio


async def test_create_read_and_delete(gateway: GraphQLClient, backend_name: str) -> None:
    created = await gateway.create({
        "backend": backend_name, "currencyCode": "USD",
        "lines": [{"sku": "MUG-ORBIT", "quantity": 2}, {"sku": "TEE-TRAIL-M"}],
    })
    assert created["userErrors"] == []
    cart = created["cart"]
    assert cart["id"].startswith(f"gid://{backend_name.lower().replace('_', '')}/Cart/")
    assert cart["backend"] == backend_name
    assert cart["currencyCode"] == "USD"
    assert cart["totalQuantity"] == 3
    mug = line_by_sku(cart, "MUG-ORBIT")
    assert mug["id"].startswith("gid://") and "/CartLine/" in mug["id"]
    assert mug["name"] == "Orbit Coffee Mug"
    assert mug["kind"] == "PHYSICAL"
    assert mug["quantity"] == 2
    assert amount(mug["cost"]["amountPerQuantity"]) == "12.50"
    assert amount(mug["cost"]["subtotalAmount"]) == "25.00"
    assert amount(mug["cost"]["totalAmount"]) == "25.00"
    assert mug["cost"]["totalAmount"]["formatted"] == "$25.00"
    assert amount(cart["cost"]["subtotalAmount"]) == "44.99"
    assert amount(cart["cost"]["totalDiscountAmount"]) == "0.00"
    assert amount(cart["cost"]["totalAmount"]) == "44.99"

    read = await gateway.cart(cart["id"])
    assert read is not None
    assert read["version"] == cart["version"]
    assert read["lines"] == cart["lines"]

    deleted = await gateway.delete(cart["id"])
    assert deleted == {"deletedCartId": cart["id"], "userErrors": []}
    assert await gateway.cart(cart["id"]) is None
    again = await gateway.delete(cart["id"])
    assert again["deletedCartId"] is None
    assert [e["code"] for e in again["userErrors"]] == ["CART_NOT_FOUND"]


async def test_add_update_and_remove_lines(gateway: GraphQLClient, backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    added = await gateway.add_lines(cart["id"], [{"sku": "TOTE-CANVAS", "quantity": 2}])
    assert added["userErrors"] == []
    cart = added["cart"]
    assert cart["totalQuantity"] == 3
    tote = line_by_sku(cart, "TOTE-CANVAS")

    updated = await gateway.update_lines(cart["id"], [{"id": tote["id"], "quantity": 5}])
    assert updated["userErrors"] == []
    assert line_by_sku(updated["cart"], "TOTE-CANVAS")["quantity"] == 5
    assert amount(updated["cart"]["cost"]["totalAmount"]) == "132.50"
    assert updated["cart"]["version"] != cart["version"]

    removed = await gateway.update_lines(cart["id"], [{"id": tote["id"], "quantity": 0}])
    assert removed["userErrors"] == []
    assert [line["sku"] for line in removed["cart"]["lines"]] == ["MUG-ORBIT"]

    mug = line_by_sku(removed["cart"], "MUG-ORBIT")
    again = await gateway.add_lines(cart["id"], [{"sku": "LAMP-DESK"}])
    lamp = line_by_sku(again["cart"], "LAMP-DESK")
    result = await gateway.remove_lines(cart["id"], [lamp["id"]])
    assert result["userErrors"] == []
    assert [line["id"] for line in result["cart"]["lines"]] == [mug["id"]]


async def test_same_sku_added_twice_is_one_line(gateway: GraphQLClient,
                                                backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "SOCKS-WOOL-NVY"}]}))["cart"]
    added = await gateway.add_lines(cart["id"], [{"sku": "SOCKS-WOOL-NVY", "quantity": 2}])
    assert added["userErrors"] == []
    socks = [line for line in added["cart"]["lines"] if line["sku"] == "SOCKS-WOOL-NVY"]
    assert len(socks) == 1
    assert socks[0]["quantity"] == 3
    assert amount(socks[0]["cost"]["totalAmount"]) == "42.00"


async def test_version_changes_on_every_change(gateway: GraphQLClient,
                                               backend_name: str) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "PENCIL-HB"}]}))["cart"]
    versions = [cart["version"]]
    line = cart["lines"][0]
    for quantity in (2, 3):
        changed = await gateway.update_lines(cart["id"], [{"id": line["id"],
                                                           "quantity": quantity}])
        versions.append(changed["cart"]["version"])
    coded = await gateway.discount_codes(cart["id"], ["SAVE10"])
    versions.append(coded["cart"]["version"])
    assert len(set(versions)) == len(versions)
    read = await gateway.cart(cart["id"])
    assert read is not None and read["version"] == versions[-1]


async def test_custom_lines(gateway: GraphQLClient, backend_name: str) -> None:
    created = await gateway.create({
        "backend": backend_name, "currencyCode": "USD",
        "customLines": [{"sku": "ENGRAVING", "name": "Engraving", "quantity": 2,
                         "listPrice": "7.25"}],
    })
    assert created["userErrors"] == []
    line = line_by_sku(created["cart"], "ENGRAVING")
    assert line["kind"] == "CUSTOM"
    assert line["name"] == "Engraving"
    assert line["quantity"] == 2
    assert amount(line["cost"]["subtotalAmount"]) == "14.50"
    assert amount(created["cart"]["cost"]["totalAmount"]) == "14.50"
