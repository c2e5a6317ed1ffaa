"""Cart resources: create, read, update, delete, unknown ids, expiry and settings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .test_sandbox_helpers import FakeClock, add_item, money, product, sandbox_client, totals

ZERO_USD = money(0, "USD", "$0.00")


@pytest.mark.anyio
async def test_create_cart() -> None:
    async with sandbox_client() as client:
        response = await client.post("/v2/carts", json={
            "data": {"name": "Bob's cart", "description": "For Holidays"}
        })
    assert response.status_code == 201
    cart = response.json()["data"]
    cart_id = cart.pop("id")
    assert cart == {
        "type": "cart",
        "name": "Bob's cart",
        "description": "For Holidays",
        "discount_settings": {"custom_discounts_enabled": False, "use_rule_promotions": False},
        "inventory_settings": {"defer_inventory_check": False},
        "links": {"self": f"http://sandbox/v2/carts/{cart_id}"},
        "meta": {
            "display_price": {
                "with_tax": ZERO_USD, "without_tax": ZERO_USD, "tax": ZERO_USD,
                "discount": ZERO_USD, "without_discount": ZERO_USD, "shipping": ZERO_USD,
            },
            "timestamps": {
                "created_at": "2026-01-05T12:00:00Z",
                "updated_at": "2026-01-05T12:00:00Z",
                "expires_at": "2026-01-12T12:00:00Z",
            },
        },
        "relationships": {"items": {"data": None}, "customers": {}, "accounts": {}},
    }


@pytest.mark.anyio
async def test_unknown_cart_is_empty_and_not_created() -> None:
    async with sandbox_client() as client:
        response = await client.get("/v2/carts/never-made")
        items = await client.get("/v2/carts/never-made/items")
        listing = await client.get("/v2/carts")
    assert response.status_code == 200
    cart = response.json()["data"]
    assert (cart["id"], cart["name"], cart["relationships"]["items"]) == (
        "never-made", "Cart", {"data": None}
    )
    assert cart["meta"]["display_price"]["with_tax"] == ZERO_USD
    assert items.json()["data"] == []
    assert listing.json()["data"] == []
    assert listing.json()["meta"]["results"] == {"total": 0}


@pytest.mark.anyio
async def test_update_cart_properties() -> None:
    async with sandbox_client() as client:
        await client.post("/v2/carts/c1/items", json={"data": product("MUG-ORBIT")})
        response = await client.put("/v2/carts/c1", json={"data": {
            "name": "my cart", "description": "my first cart",
            "contact": {"email": "tester@email.com"},
            "snapshot_date": "2026-09-10T00:12:00Z",
            "custom_attributes": {"membership": {"type": "string", "value": "VIP"}},
        }})
    cart = response.json()["data"]
    assert response.status_code == 200
    assert (cart["name"], cart["description"], cart["contact"], cart["snapshot_date"]) == (
        "my cart", "my first cart", {"email": "tester@email.com"}, "2026-09-10T00:12:00Z"
    )
    assert cart["custom_attributes"] == {"membership": {"type": "string", "value": "VIP"}}
    assert totals(response.json())["with_tax"] == 1250


@pytest.mark.anyio
async def test_update_cart_rejects_bad_name_and_past_preview_date() -> None:
    async with sandbox_client() as client:
        bad_name = await client.put("/v2/carts/c1", json={"data": {"name": 5}})
        past = await client.put("/v2/carts/c1", json={"data": {
            "snapshot_date": "2025-01-01T00:00:00Z"}})
    assert bad_name.status_code == 400
    assert bad_name.json() == {"errors": [{
        "status": 400, "title": "invalid_type",
        "detail": "Invalid type. Expected: string, given: integer",
    }]}
    assert past.status_code == 400
    assert past.json()["errors"][0]["detail"] == "snapshot_date cannot be in the past"


@pytest.mark.anyio
async def test_both_discount_settings_on_a_cart_is_422() -> None:
    async with sandbox_client() as client:
        response = await client.post("/v2/carts", json={"data": {"name": "x", "discount_settings": {
            "custom_discounts_enabled": True, "use_rule_promotions": True}}})
    assert response.status_code == 422
    assert response.json() == {"errors": [{
        "status": 422, "title": "Cannot use both discounts together",
        "detail": "Only one discount setting can be set to true at a time.",
    }]}


@pytest.mark.anyio
async def test_delete_cart() -> None:
    async with sandbox_client() as client:
        await add_item(client, "c1", product("MUG-ORBIT"))
        deleted = await client.delete("/v2/carts/c1")
        after = await client.get("/v2/carts/c1/items")
    assert deleted.status_code == 204
    assert after.json()["data"] == []


@pytest.mark.anyio
async def test_cart_expires_seven_days_after_last_change() -> None:
    clock = FakeClock()
    async with sandbox_client(clock, token_ttl=timedelta(days=30)) as c:
        added = await add_item(c, "c1", product("MUG-ORBIT"))
        item_id = added.json()["data"][0]["id"]
        clock.advance(days=6)
        changed = await c.put(f"/v2/carts/c1/items/{item_id}", json={"data": {"quantity": 2}})
        assert changed.json()["meta"]["timestamps"]["expires_at"] == "2026-01-18T12:00:00Z"
        clock.advance(days=6, hours=23, minutes=59)
        assert [i["quantity"] for i in (await c.get("/v2/carts/c1/items")).json()["data"]] == [2]
        clock.advance(minutes=1)
        gone = await c.get("/v2/carts/c1/items")
        cart = await c.get("/v2/carts/c1")
    assert gone.json()["data"] == []
    assert cart.json()["data"]["meta"]["timestamps"]["created_at"] == "0001-01-01T00:00:00Z"


@pytest.mark.anyio
async def test_cart_settings_set_expiry_and_discounts_for_new_carts() -> None:
    async with sandbox_client() as client:
        before = await client.get("/v2/settings/cart")
        put = await client.put("/v2/settings/cart", json={"data": {
            "type": "settings", "cart_expiry_days": 3,
            "discounts": {"custom_discounts_enabled": True}}})
        both = await client.put("/v2/settings/cart", json={"data": {
            "type": "settings", "discounts": {"use_rule_promotions": True}}})
        cart = await client.post("/v2/carts", json={"data": {"name": "new"}})
    assert before.json() == {"data": {"type": "settings", "cart_expiry_days": 7, "discounts": {
        "custom_discounts_enabled": False, "use_rule_promotions": False}}}
    assert put.json() == {"data": {"type": "settings", "cart_expiry_days": 3, "discounts": {
        "custom_discounts_enabled": True, "use_rule_promotions": False}}}
    assert both.status_code == 422
    data = cart.json()["data"]
    assert data["discount_settings"]["custom_discounts_enabled"] is True
    assert data["meta"]["timestamps"]["expires_at"] == "2026-01-08T12:00:00Z"


@pytest.mark.anyio
async def test_include_items_puts_items_in_included() -> None:
    async with sandbox_client() as client:
        added = await add_item(client, "c1", product("TEE-TRAIL-M", 2))
        plain = await client.get("/v2/carts/c1")
        response = await client.get("/v2/carts/c1", params={"include": "items,tax_items"})
    assert "included" not in plain.json()
    included = response.json()["included"]
    assert included == {"items": added.json()["data"], "tax_items": []}
    assert response.json()["data"]["relationships"]["items"] == {
        "data": [{"type": "cart_item", "id": added.json()["data"][0]["id"]}]
    }


@pytest.mark.anyio
async def test_list_carts_newest_first_with_paging() -> None:
    clock = FakeClock()
    async with sandbox_client(clock) as client:
        for name in ("a", "b", "c"):
            await client.post("/v2/carts", json={"data": {"name": name}})
            clock.advance(minutes=1)
        response = await client.get("/v2/carts", params={"page[limit]": "2"})
    body = response.json()
    assert [c["name"] for c in body["data"]] == ["c", "b"]
    assert body["meta"] == {
        "page": {"current": 1, "limit": 2, "offset": 0, "total": 2},
        "results": {"total": 3},
    }


@pytest.mark.anyio
async def test_floats_in_custom_attributes_and_inputs_answer_as_json_numbers() -> None:
    async with sandbox_client() as client:
        created = await client.post("/v2/carts", content=b'{"data": {"name": "c", '
                                    b'"custom_attributes": {"weight": '
                                    b'{"type": "float", "value": 1.25}}}}')
        cart_id = created.json()["data"]["id"]
        added = await client.post(f"/v2/carts/{cart_id}/items", content=(
            b'{"data": {"type": "cart_item", "sku": "MUG-ORBIT", "quantity": 1, '
            b'"custom_inputs": {"engraving_depth": 0.5}}}'
        ))
        read = await client.get(f"/v2/carts/{cart_id}")
        listing = await client.get("/v2/carts")
        items = await client.get(f"/v2/carts/{cart_id}/items")
    assert (created.status_code, added.status_code) == (201, 201)
    assert b'"value": 1.25' in created.content or b'"value":1.25' in created.content
    assert read.status_code == 200
    assert read.json()["data"]["custom_attributes"] == {"weight": {"type": "float",
                                                                   "value": 1.25}}
    assert listing.status_code == 200 and len(listing.json()["data"]) == 1
    assert items.status_code == 200
    assert items.json()["data"][0]["custom_inputs"] == {"engraving_depth": 0.5}
