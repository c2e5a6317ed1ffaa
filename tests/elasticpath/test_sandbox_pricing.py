"""Totals, promotion codes and currency formatting."""

from __future__ import annotations

import pytest

from .test_sandbox_helpers import add_item, money, product, promo, sandbox_client, totals

SAVE15_ID = "32418cd3-7d40-5406-ac44-052ac3bd993a"
MUG2OFF_ID = "4b6ce325-b82a-577d-8413-087db7566b53"


@pytest.mark.anyio
async def test_save15_on_three_tees_is_a_promotion_item() -> None:
    async with sandbox_client() as client:
        await add_item(client, "c1", product("TEE-TRAIL-M", 3))
        response = await add_item(client, "c1", promo("SAVE15"))
        cart = await client.get("/v2/carts/c1")
    assert response.status_code == 201
    body = response.json()
    tee, promotion = body["data"]
    assert "discounts" not in tee
    assert {k: promotion[k] for k in ("type", "promotion_id", "sku", "quantity")} == {
        "type": "promotion_item", "promotion_id": SAVE15_ID, "sku": "SAVE15", "quantity": 1,
    }
    assert promotion["unit_price"] == {"amount": -900, "currency": "USD", "includes_tax": False}
    assert promotion["value"] == {"amount": -900, "currency": "USD", "includes_tax": False}
    assert body["meta"]["display_price"] == {
        "with_tax": money(5097, "USD", "$50.97"),
        "without_tax": money(5097, "USD", "$50.97"),
        "tax": money(0, "USD", "$0.00"),
        "discount": money(-900, "USD", "-$9.00"),
        "without_discount": money(5997, "USD", "$59.97"),
        "shipping": money(0, "USD", "$0.00"),
        "discounts": {"SAVE15": money(-900, "USD", "-$9.00")},
    }
    assert totals(cart.json()) == {
        "with_tax": 5097, "without_tax": 5097, "tax": 0, "discount": -900,
        "without_discount": 5997, "shipping": 0,
    }


@pytest.mark.anyio
async def test_mug2off_discounts_each_mug_line_item() -> None:
    async with sandbox_client() as client:
        await add_item(client, "c1", [product("MUG-ORBIT", 2), product("TEE-TRAIL-S")])
        response = await add_item(client, "c1", promo("MUG2OFF"))
    body = response.json()
    assert [li["type"] for li in body["data"]] == ["cart_item", "cart_item"]
    mug, tee = body["data"]
    assert mug["discounts"] == [{
        "amount": {"amount": -400, "currency": "USD", "includes_tax": False},
        "code": "MUG2OFF", "id": MUG2OFF_ID,
    }]
    shown = mug["meta"]["display_price"]
    assert shown["discount"] == {"unit": money(-200, "USD", "-$2.00"),
                                 "value": money(-400, "USD", "-$4.00")}
    assert shown["with_tax"] == {"unit": money(1050, "USD", "$10.50"),
                                 "value": money(2100, "USD", "$21.00")}
    assert shown["without_discount"]["value"] == money(2500, "USD", "$25.00")
    assert mug["value"]["amount"] == 2500
    assert "discounts" not in tee
    assert totals(body) == {"with_tax": 4099, "without_tax": 4099, "tax": 0, "discount": -400,
                            "without_discount": 4499, "shipping": 0}


@pytest.mark.anyio
async def test_cart_percent_applies_after_item_discounts() -> None:
    async with sandbox_client() as client:
        await add_item(client, "c1", [product("MUG-ORBIT", 2), product("TEE-TRAIL-S"),
                                      promo("MUG2OFF")])
        response = await add_item(client, "c1", promo("SAVE10"))
    # 10% of 4099 is 409.9, rounded to 410.
    assert response.json()["data"][-1]["value"]["amount"] == -410
    assert totals(response.json())["with_tax"] == 3689


@pytest.mark.anyio
async def test_percent_discount_rounds_half_up() -> None:
    async with sandbox_client() as client:
        response = await add_item(client, "c1", [product("PENCIL-HB", 5), promo("SAVE15")])
    # 15% of 50 cents is 7.5 cents, rounded up to 8.
    assert response.json()["data"][-1]["value"]["amount"] == -8
    assert totals(response.json())["with_tax"] == 42


@pytest.mark.anyio
async def test_jpy_has_no_decimals() -> None:
    async with sandbox_client() as client:
        response = await add_item(
            client, "c1", [product("LAMP-DESK"), promo("SAVE10")], currency="JPY"
        )
    lamp, promotion = response.json()["data"]
    assert lamp["meta"]["display_price"]["with_tax"]["value"] == money(13200, "JPY", "¥13,200")
    assert promotion["meta"]["display_price"]["with_tax"]["value"] == money(
        -1320, "JPY", "-¥1,320")
    assert response.json()["meta"]["display_price"]["with_tax"] == money(11880, "JPY", "¥11,880")


@pytest.mark.anyio
async def test_jod_has_three_decimals() -> None:
    async with sandbox_client() as client:
        response = await add_item(
            client, "c1", [product("TEE-TRAIL-L", 2), promo("FIVEOFF")], currency="JOD"
        )
    tee, promotion = response.json()["data"]
    assert tee["unit_price"] == {"amount": 15575, "currency": "JOD", "includes_tax": False}
    assert tee["meta"]["display_price"]["with_tax"]["value"] == money(31150, "JOD", "JOD 31.150")
    assert promotion["value"]["amount"] == -3500
    assert response.json()["meta"]["display_price"]["with_tax"] == money(
        27650, "JOD", "JOD 27.650")


@pytest.mark.anyio
async def test_delete_promotion_code() -> None:
    async with sandbox_client() as client:
        await add_item(client, "c1", [product("TEE-TRAIL-M", 3), promo("SAVE15")])
        deleted = await client.delete("/v2/carts/c1/discounts/SAVE15")
        items = await client.get("/v2/carts/c1/items")
    assert deleted.status_code == 204
    assert [li["type"] for li in items.json()["data"]] == ["cart_item"]
    assert totals(items.json())["with_tax"] == 5997


@pytest.mark.anyio
async def test_unknown_promotion_code_is_404() -> None:
    async with sandbox_client() as client:
        response = await add_item(client, "c1", promo("NOPE"))
    assert response.status_code == 404
    assert response.json() == {"errors": [{
        "status": 404, "title": "Not Found",
        "detail": "No promotion could be found with the given code.", "meta": {"code": "NOPE"},
    }]}


@pytest.mark.anyio
async def test_include_promotions_lists_condensed_promotions() -> None:
    async with sandbox_client() as client:
        await add_item(client, "c1", [product("MUG-ORBIT"), promo("MUG2OFF"), promo("SAVE15")])
        response = await client.get("/v2/carts/c1", params={"include": "promotions"})
    body = response.json()
    assert [p["id"] for p in body["included"]["promotions"]] == [MUG2OFF_ID, SAVE15_ID]
    assert body["included"]["promotions"][1] == {
        "type": "promotion", "id": SAVE15_ID, "name": "15% off the order",
        "description": "15% off the order", "automatic": False,
        "promotion_type": "percent_discount",
        "start": "2024-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z",
    }
    assert body["data"]["relationships"]["promotions"]["data"] == [
        {"type": "promotion", "id": MUG2OFF_ID}, {"type": "promotion", "id": SAVE15_ID}
    ]


@pytest.mark.anyio
async def test_currencies() -> None:
    async with sandbox_client() as client:
        response = await client.get("/v2/currencies")
    shown = [
        (c["code"], c["format"], c["decimal_places"], c["decimal_point"],
         c["thousand_separator"], c["default"])
        for c in response.json()["data"]
    ]
    assert shown == [
        ("USD", "${price}", 2, ".", ",", True),
        ("EUR", "€{price}", 2, ".", ",", False),
        ("JPY", "¥{price}", 0, ".", ",", False),
        ("JOD", "JOD {price}", 3, ".", ",", False),
    ]
