"""The BigCommerce sandbox's money: currencies, coupon allocation and checkout coupons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.support import decoded

CARTS = "/stores/sandbox/v3/carts"
CHECKOUTS = "/stores/sandbox/v3/checkouts"
STATUS_CODES = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


def line(product_id: int, quantity: int, variant_id: int | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"product_id": product_id, "quantity": quantity}
    if variant_id is not None:
        item["variant_id"] = variant_id
    return item


async def cart_with(
    client: httpx.AsyncClient, lines: list[dict[str, Any]], currency: str = "USD"
) -> str:
    response = await client.post(CARTS, json={"line_items": lines, "currency": {"code": currency}})
    assert response.status_code == 201, response.text
    cart_id: str = decoded(response)["data"]["id"]
    return cart_id


async def apply(client: httpx.AsyncClient, cart_id: str, code: str) -> Any:
    response = await client.post(f"{CHECKOUTS}/{cart_id}/coupons", json={"coupon_code": code})
    assert response.status_code == 200, response.text
    return decoded(response)["data"]


async def cart(client: httpx.AsyncClient, cart_id: str) -> Any:
    return decoded(await client.get(f"{CARTS}/{cart_id}"))["data"]


def amounts(data: dict[str, Any]) -> tuple[str, str, str]:
    return str(data["base_amount"]), str(data["cart_amount"]), str(data["discount_amount"])


def shares(data: dict[str, Any]) -> list[str]:
    return [str(i["coupon_amount"]) for i in data["line_items"]["physical_items"]]


@pytest.mark.anyio
async def test_percentage_coupon_on_three_tees(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])

    checkout = await apply(client, cart_id, "SAVE15")

    data = await cart(client, cart_id)
    assert amounts(data) == ("59.97", "50.97", "0.00")
    assert data["version"] == 2
    assert data["coupons"] == [
        {
            "id": "2",
            "code": "SAVE15",
            "coupon_type": "1",
            "discounted_amount": Decimal("9.00"),
            "display_name": "15% off the order",
        }
    ]
    assert data["discounts"] == [{"id": "coupon", "discounted_amount": Decimal("9.00")}]
    [item] = data["line_items"]["physical_items"]
    assert item["discounts"] == [{"id": "coupon", "discounted_amount": Decimal("9.00")}]
    assert (str(item["coupon_amount"]), str(item["discount_amount"])) == ("9.00", "9.00")
    assert str(item["sale_price"]) == "19.99"  # coupons never change the sale price
    assert item["coupons"] == [
        {
            "id": 2,
            "code": "SAVE15",
            "name": "15% off the order",
            "discountType": 1,
            "discountAmount": 15,
            "expiresDate": 0,
            "totalDiscount": Decimal("9.00"),
        }
    ]
    assert checkout["id"] == checkout["cart"]["id"] == cart_id
    assert (
        checkout["coupons"]
        == checkout["cart"]["coupons"]
        == [
            {
                "id": 2,
                "code": "SAVE15",
                "coupon_type": "percentage_discount",
                "display_name": "15% off the order",
                "discounted_amount": Decimal("9.00"),
            }
        ]
    )
    assert str(checkout["cart"]["base_amount"]) == "59.97"
    assert str(checkout["cart"]["cart_amount_inc_tax"]) == "50.97"
    assert str(checkout["grand_total"]) == "50.97"
    assert str(checkout["subtotal_ex_tax"]) == "59.97"
    assert checkout["version"] == 2
    assert checkout["cart"]["line_items"] == data["line_items"]


@pytest.mark.anyio
async def test_jod_amounts_have_three_decimals(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(112, 1, 213), line(113, 3)], "JOD")

    await apply(client, cart_id, "SAVE15")

    data = await cart(client, cart_id)
    # 15.575 x 15% = 2.33625 -> 2.336; 0.225 x 15% = 0.03375 -> 0.034
    assert shares(data) == ["2.336", "0.034"]
    assert amounts(data) == ("15.800", "13.430", "0.000")
    assert str(data["coupons"][0]["discounted_amount"]) == "2.370"


@pytest.mark.anyio
async def test_jpy_amounts_have_no_decimals(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(113, 3), line(111, 1)], "JPY")

    await apply(client, cart_id, "SAVE15")

    response = await client.get(f"{CARTS}/{cart_id}")
    assert '"base_amount":1830,' in response.text
    data = decoded(response)
    # 30 x 15% = 4.5 rounds half up to 5; 1800 x 15% = 270
    assert shares(data["data"]) == ["5", "270"]
    assert (data["data"]["base_amount"], data["data"]["cart_amount"]) == (1830, 1555)


@pytest.mark.anyio
async def test_order_coupon_is_spread_in_proportion_with_remainder_on_last(
    client: httpx.AsyncClient,
) -> None:
    cart_id = await cart_with(client, [line(111, 1), line(114, 1), line(113, 1)])

    await apply(client, cart_id, "FIVEOFF")

    data = await cart(client, cart_id)
    # 5 x 12.50/36.60 = 1.7077 -> 1.71; 5 x 24/36.60 = 3.2787 -> 3.28; the rest 0.01
    assert shares(data) == ["1.71", "3.28", "0.01"]
    assert amounts(data) == ("36.60", "31.60", "0.00")
    assert data["coupons"][0]["coupon_type"] == "2"


@pytest.mark.anyio
async def test_order_coupon_never_exceeds_the_order(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(113, 3)])

    checkout = await apply(client, cart_id, "FIVEOFF")

    assert str(checkout["coupons"][0]["discounted_amount"]) == "0.30"
    assert amounts(await cart(client, cart_id)) == ("0.30", "0.00", "0.00")


@pytest.mark.anyio
async def test_per_item_coupon_discounts_each_unit_of_its_products(
    client: httpx.AsyncClient,
) -> None:
    cart_id = await cart_with(client, [line(111, 2), line(114, 1)])

    await apply(client, cart_id, "mug2off")

    data = await cart(client, cart_id)
    assert shares(data) == ["4.00", "0.00"]
    tote = data["line_items"]["physical_items"][1]
    assert (tote["discounts"], tote["coupons"]) == ([], [])
    assert amounts(data) == ("49.00", "45.00", "0.00")
    assert data["coupons"][0]["code"] == "MUG2OFF"


@pytest.mark.anyio
async def test_coupons_stack_on_what_earlier_coupons_left(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])

    await apply(client, cart_id, "SAVE10")
    checkout = await apply(client, cart_id, "FIVEOFF")

    assert checkout["version"] == 3
    data = await cart(client, cart_id)
    assert [(c["code"], str(c["discounted_amount"])) for c in data["coupons"]] == [
        ("SAVE10", "6.00"),
        ("FIVEOFF", "5.00"),
    ]
    [item] = data["line_items"]["physical_items"]
    assert [c["code"] for c in item["coupons"]] == ["SAVE10", "FIVEOFF"]
    assert data["discounts"] == [{"id": "coupon", "discounted_amount": Decimal("11.00")}]
    assert amounts(data) == ("59.97", "48.97", "0.00")


@pytest.mark.anyio
async def test_applying_an_applied_coupon_again_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])
    await apply(client, cart_id, "SAVE15")

    checkout = await apply(client, cart_id, "save15")

    assert checkout["version"] == 2
    assert len(checkout["coupons"]) == 1


@pytest.mark.anyio
async def test_unknown_coupon_is_a_400_and_changes_nothing(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])

    response = await client.post(f"{CHECKOUTS}/{cart_id}/coupons", json={"coupon_code": "NOPE"})

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "title": "Invalid coupon code",
        "type": STATUS_CODES,
        "detail": "Coupon code `NOPE` is invalid",
    }
    assert (await cart(client, cart_id))["version"] == 1


@pytest.mark.anyio
async def test_coupon_that_gives_nothing_is_not_eligible(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(114, 1)])

    response = await client.post(f"{CHECKOUTS}/{cart_id}/coupons", json={"coupon_code": "MUG2OFF"})

    assert response.status_code == 400
    assert response.json()["detail"] == "Coupon code `MUG2OFF` is not eligible for this checkout"
    assert (await cart(client, cart_id))["coupons"] == []


@pytest.mark.anyio
async def test_deleting_a_coupon_restores_the_amounts(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])
    await apply(client, cart_id, "SAVE15")

    response = await client.request(
        "DELETE", f"{CHECKOUTS}/{cart_id}/coupons/SAVE15", json={"version": 2}
    )

    assert response.status_code == 200
    checkout = decoded(response)["data"]
    assert (checkout["coupons"], checkout["cart"]["discounts"]) == ([], [])
    assert (str(checkout["grand_total"]), checkout["version"]) == ("59.97", 3)
    missing = await client.delete(f"{CHECKOUTS}/{cart_id}/coupons/SAVE15")
    assert missing.status_code == 404
    assert missing.json() == {"status": 404, "title": "Coupon not found", "type": STATUS_CODES}


@pytest.mark.anyio
async def test_changing_the_customer_drops_the_coupons(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])
    await apply(client, cart_id, "SAVE15")

    same = await client.put(f"{CARTS}/{cart_id}", json={"customer_id": 0})
    other = await client.put(f"{CARTS}/{cart_id}", json={"customer_id": 42, "version": 3})

    assert decoded(same)["data"]["coupons"][0]["code"] == "SAVE15"
    assert other.status_code == 201
    data = decoded(other)["data"]
    assert (data["customer_id"], data["version"]) == (42, 4)
    assert (data["coupons"], data["discounts"]) == ([], [])
    assert amounts(data) == ("59.97", "59.97", "0.00")
    assert shares(data) == ["0.00"]


@pytest.mark.anyio
async def test_coupons_follow_quantity_changes(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])
    await apply(client, cart_id, "SAVE15")
    item_id = (await cart(client, cart_id))["line_items"]["physical_items"][0]["id"]

    response = await client.put(
        f"{CARTS}/{cart_id}/items/{item_id}",
        json={"line_item": {"product_id": 112, "variant_id": 212, "quantity": 1}},
    )

    data = decoded(response)["data"]
    # 19.99 x 15% = 2.9985 -> 3.00
    assert amounts(data) == ("19.99", "16.99", "0.00")
    assert str(data["coupons"][0]["discounted_amount"]) == "3.00"
