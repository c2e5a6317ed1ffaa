"""Custom discounts: only on carts that enable them, and exclusive with promotion codes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .test_sandbox_helpers import add_item, money, product, promo, sandbox_client, totals


def discount(amount: int, **extra: Any) -> dict[str, Any]:
    return {"type": "custom_discount", "external_id": "ext-1", "discount_engine": "Engine",
            "amount": amount, "description": "loyalty", "discount_code": "LOYAL", **extra}


async def enabled_cart(client: httpx.AsyncClient) -> str:
    created = await client.post("/v2/carts", json={"data": {
        "name": "custom", "discount_settings": {"custom_discounts_enabled": True}}})
    cart_id: str = created.json()["data"]["id"]
    await add_item(client, cart_id, product("LAMP-DESK"))
    return cart_id


@pytest.mark.anyio
async def test_custom_discounts_refused_when_not_enabled() -> None:
    async with sandbox_client() as client:
        await add_item(client, "c1", product("LAMP-DESK"))
        response = await client.post("/v2/carts/c1/custom-discounts",
                                     json={"data": discount(-1000)})
    # cart_checkout.yaml answers a cart without custom discounts enabled with a 400.
    assert response.status_code == 400
    assert response.json() == {"errors": [{
        "status": 400, "title": "Bad Request",
        "detail": "Custom discounts not enabled for this cart",
    }]}


@pytest.mark.anyio
async def test_cart_custom_discount_lowers_the_total() -> None:
    async with sandbox_client() as client:
        cart_id = await enabled_cart(client)
        added = await client.post(f"/v2/carts/{cart_id}/custom-discounts",
                                  json={"data": discount(-1000)})
        cart = await client.get(f"/v2/carts/{cart_id}", params={"include": "custom_discounts"})
    assert added.status_code == 201
    shown = added.json()["data"]
    shown.pop("id")
    assert shown == {
        "type": "custom_discount", "external_id": "ext-1", "discount_engine": "Engine",
        "amount": money(-1000, "USD", "-$10.00"), "description": "loyalty",
        "discount_code": "LOYAL",
    }
    assert totals(cart.json()) == {"with_tax": 7900, "without_tax": 7900, "tax": 0,
                                   "discount": -1000, "without_discount": 8900, "shipping": 0}
    assert [d["discount_code"] for d in cart.json()["included"]["custom_discounts"]] == ["LOYAL"]


@pytest.mark.anyio
async def test_item_custom_discount_appears_on_the_item() -> None:
    async with sandbox_client() as client:
        cart_id = await enabled_cart(client)
        items = await client.get(f"/v2/carts/{cart_id}/items")
        item_id = items.json()["data"][0]["id"]
        added = await client.post(f"/v2/carts/{cart_id}/items/{item_id}/custom-discounts",
                                  json={"data": discount(-250)})
        after = await client.get(f"/v2/carts/{cart_id}/items")
    assert added.status_code == 201
    discount_id = added.json()["data"]["id"]
    assert added.json()["data"]["relationships"] == {
        "item": {"data": {"type": "cart_item", "id": item_id}}}
    [lamp] = after.json()["data"]
    assert lamp["discounts"] == [{
        "amount": {"amount": -250, "currency": "USD", "includes_tax": False},
        "code": "LOYAL", "id": discount_id,
    }]
    assert totals(after.json())["with_tax"] == 8650


@pytest.mark.anyio
async def test_promotion_code_refused_on_custom_discount_cart() -> None:
    async with sandbox_client() as client:
        cart_id = await enabled_cart(client)
        response = await add_item(client, cart_id, promo("SAVE10"))
    assert response.status_code == 422
    assert response.json() == {"errors": [{
        "status": 422, "title": "Could not apply EP promotion with the given code",
        "detail": "The cart is configured to use custom discounts", "meta": {"code": "SAVE10"},
    }]}


@pytest.mark.anyio
async def test_custom_discount_limit_and_positive_amounts() -> None:
    async with sandbox_client() as client:
        cart_id = await enabled_cart(client)
        url = f"/v2/carts/{cart_id}/custom-discounts"
        five = await client.post(url, json={"data": [discount(-100) for _ in range(5)]})
        sixth = await client.post(url, json={"data": discount(-100)})
        positive = await client.post(url, json={"data": discount(100)})
    assert (five.status_code, len(five.json()["data"])) == (201, 5)
    assert sixth.status_code == 422
    assert sixth.json() == {"errors": [{
        "status": 422, "title": "Limit Reached",
        "detail": "Custom discount limit reached for this cart",
    }]}
    assert positive.status_code == 400


@pytest.mark.anyio
async def test_update_and_delete_custom_discount() -> None:
    async with sandbox_client() as client:
        cart_id = await enabled_cart(client)
        added = await client.post(f"/v2/carts/{cart_id}/custom-discounts",
                                  json={"data": discount(-1000)})
        discount_id = added.json()["data"]["id"]
        url = f"/v2/carts/{cart_id}/custom-discounts/{discount_id}"
        updated = await client.put(url, json={"data": {"amount": -1500}})
        deleted = await client.delete(url)
        cart = await client.get(f"/v2/carts/{cart_id}")
    assert updated.json()["data"]["amount"] == money(-1500, "USD", "-$15.00")
    assert deleted.status_code == 204
    assert totals(cart.json())["discount"] == 0
