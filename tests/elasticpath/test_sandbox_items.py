"""Cart items: products by id or sku, custom items, updates, removal and limits."""

from __future__ import annotations

import pytest

from .test_sandbox_helpers import (
    MUG_ID,
    TEE_M_ID,
    add_item,
    product,
    sandbox_client,
    totals,
)


def custom(sku: str, amount: int, quantity: int = 1, name: str = "Gift wrap") -> dict[str, object]:
    return {"type": "custom_item", "name": name, "sku": sku, "description": "wrapped",
            "quantity": quantity, "price": {"amount": amount}}


@pytest.mark.anyio
async def test_add_by_id_and_by_sku_share_one_line() -> None:
    async with sandbox_client() as client:
        by_id = await add_item(client, "c1", {"type": "cart_item", "id": TEE_M_ID, "quantity": 1})
        by_sku = await add_item(client, "c1", product("TEE-TRAIL-M", 2))
    assert (by_id.status_code, by_sku.status_code) == (201, 201)
    [line] = by_sku.json()["data"]
    assert {k: line[k] for k in ("type", "product_id", "sku", "name", "quantity")} == {
        "type": "cart_item", "product_id": TEE_M_ID, "sku": "TEE-TRAIL-M",
        "name": "Trail T-Shirt", "quantity": 3,
    }
    assert line["unit_price"] == {"amount": 1999, "currency": "USD", "includes_tax": False}
    assert line["value"] == {"amount": 5997, "currency": "USD", "includes_tax": False}
    assert line["links"] == {"product": f"http://sandbox/v2/products/{TEE_M_ID}"}
    assert "discounts" not in line


@pytest.mark.anyio
async def test_custom_items_with_the_same_sku_merge() -> None:
    async with sandbox_client() as client:
        await add_item(client, "c1", custom("wrap", 350, name="first"))
        await add_item(client, "c1", custom("wrap", 350, quantity=2, name="second"))
        response = await add_item(client, "c1", custom("card", 200))
    lines = response.json()["data"]
    assert [(li["type"], li["sku"], li["name"], li["quantity"]) for li in lines] == [
        ("custom_item", "wrap", "first", 3), ("custom_item", "card", "Gift wrap", 1)
    ]
    assert lines[0]["value"] == {"amount": 1050, "currency": "USD", "includes_tax": True}
    assert lines[0]["links"] == {}
    assert totals(response.json())["with_tax"] == 1250


@pytest.mark.anyio
async def test_update_and_delete_one_item() -> None:
    async with sandbox_client() as client:
        added = await add_item(client, "c1", [product("MUG-ORBIT"), product("LAMP-DESK")])
        mug_line, lamp_line = (li["id"] for li in added.json()["data"])
        updated = await client.put(f"/v2/carts/c1/items/{mug_line}",
                                   json={"data": {"type": "cart_item", "quantity": 4}})
        deleted = await client.delete(f"/v2/carts/c1/items/{lamp_line}")
        zero = await client.put(f"/v2/carts/c1/items/{mug_line}", json={"data": {"quantity": 0}})
    assert updated.status_code == 200
    assert [li["quantity"] for li in updated.json()["data"]] == [4, 1]
    assert totals(updated.json())["with_tax"] == 4 * 1250 + 8900
    assert (deleted.status_code, [li["id"] for li in deleted.json()["data"]]) == (200, [mug_line])
    assert zero.json()["data"] == []


@pytest.mark.anyio
async def test_unknown_item_and_product_are_404() -> None:
    async with sandbox_client() as client:
        missing_item = await client.delete("/v2/carts/c1/items/nope")
        missing_product = await add_item(client, "c1", product("NO-SUCH-SKU"))
    assert missing_item.status_code == 404
    assert missing_item.json() == {"errors": [{
        "status": 404, "title": "Not Found", "detail": "Item was not found in the cart",
        "meta": {"id": "nope"},
    }]}
    assert missing_product.status_code == 404
    assert missing_product.json() == {"errors": [{
        "status": 404, "title": "Product not found",
        "detail": "The requested product could not be found", "meta": {"id": "NO-SUCH-SKU"},
    }]}


@pytest.mark.anyio
async def test_delete_all_items_keeps_the_cart() -> None:
    async with sandbox_client() as client:
        await client.put("/v2/carts/c1", json={"data": {"name": "keep me"}})
        await add_item(client, "c1", [product("MUG-ORBIT"), custom("wrap", 100),
                                      {"type": "promotion_item", "code": "SAVE10"}])
        deleted = await client.delete("/v2/carts/c1/items")
        items = await client.get("/v2/carts/c1/items")
        cart = await client.get("/v2/carts/c1")
        listing = await client.get("/v2/carts")
    assert deleted.status_code == 204
    assert items.json()["data"] == []
    assert cart.json()["data"]["name"] == "keep me"
    assert totals(cart.json())["with_tax"] == 0
    assert [c["id"] for c in listing.json()["data"]] == ["c1"]


@pytest.mark.anyio
async def test_hundred_unique_items_limit() -> None:
    async with sandbox_client() as client:
        filled = await add_item(client, "c1", [custom(f"sku-{n}", 100) for n in range(100)])
        over = await add_item(client, "c1", custom("sku-100", 100))
        merged = await add_item(client, "c1", custom("sku-7", 100))
    assert (filled.status_code, len(filled.json()["data"])) == (201, 100)
    assert over.status_code == 400
    assert over.json() == {"errors": [{
        "status": 400, "title": "Cart limit reached",
        "detail": "A cart can contain a maximum of 100 unique items", "meta": {"cart_id": "c1"},
    }]}
    assert merged.status_code == 201
    assert totals(merged.json())["with_tax"] == 101 * 100


@pytest.mark.anyio
async def test_first_item_fixes_the_cart_currency() -> None:
    async with sandbox_client() as client:
        first = await add_item(client, "c1", product("MUG-ORBIT"), currency="EUR")
        other = await add_item(client, "c1", product("MUG-ORBIT"), currency="JPY")
        plain = await add_item(client, "c1", {"type": "cart_item", "id": MUG_ID, "quantity": 1})
    assert first.json()["data"][0]["unit_price"]["currency"] == "EUR"
    assert other.status_code == 400
    assert other.json() == {"errors": [{
        "status": 400, "title": "Cart Currency Mismatch",
        "detail": "The cart uses EUR, cannot add an item priced in JPY",
        "meta": {"cart_id": "c1"},
    }]}
    assert plain.json()["meta"]["display_price"]["with_tax"] == {
        "amount": 2380, "currency": "EUR", "formatted": "€23.80"
    }


@pytest.mark.anyio
async def test_bulk_add_all_or_nothing_adds_nothing_on_error() -> None:
    async with sandbox_client() as client:
        refused = await client.post("/v2/carts/c1/items", json={
            "data": [product("MUG-ORBIT"), product("NO-SUCH-SKU")],
            "options": {"add_all_or_nothing": True},
        })
        partial = await add_item(client, "c1", [product("MUG-ORBIT"), product("NO-SUCH-SKU")])
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["title"] == "Add all or nothing."
    assert partial.status_code == 201
    assert [li["sku"] for li in partial.json()["data"]] == ["MUG-ORBIT"]
    assert [e["status"] for e in partial.json()["errors"]] == [404]


@pytest.mark.anyio
async def test_invalid_quantity_is_400() -> None:
    async with sandbox_client() as client:
        response = await add_item(client, "c1", product("MUG-ORBIT", 0))
    assert response.status_code == 400
    assert response.json() == {"errors": [{
        "status": 400, "title": "number_gte", "detail": "Must be greater than or equal to 1",
        "meta": {"value": 0},
    }]}
