"""The BigCommerce sandbox's manual checkout discounts (POST /checkouts/{id}/discounts)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
import simplejson

from tests.bigcommerce.test_sandbox_coupons import CHECKOUTS, apply, cart, cart_with, line
from tests.support import decoded

pytestmark = pytest.mark.anyio


async def post(client: httpx.AsyncClient, cart_id: str, body: dict[str, Any]) -> httpx.Response:
    return await client.post(f"{CHECKOUTS}/{cart_id}/discounts",
                             content=simplejson.dumps(body, use_decimal=True),
                             headers={"Content-Type": "application/json"})


def manual_shares(data: dict[str, Any]) -> list[list[dict[str, Any]]]:
    return [[d for d in item["discounts"] if d["id"] == "manual-discount"]
            for item in data["line_items"]["physical_items"]]


async def test_cart_and_line_discounts_show_in_both_totals(client: httpx.AsyncClient) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])
    tees = (await cart(client, cart_id))["line_items"]["physical_items"][0]["id"]

    response = await post(client, cart_id, {"cart": {
        "discounts": [{"discounted_amount": 10}],
        "line_items": [{"id": tees, "discounted_amount": Decimal("5.50")}], "version": 1}})

    assert response.status_code == 200, response.text
    checkout = decoded(response)["data"]
    assert (checkout["cart"]["manual_discount_amount"], checkout["cart"]["cart_amount_ex_tax"],
            checkout["grand_total"], checkout["version"]) == (
        Decimal("15.50"), Decimal("44.47"), Decimal("44.47"), 2)
    data = await cart(client, cart_id)
    assert (data["base_amount"], data["manual_discount_amount"], data["cart_amount"]) == (
        Decimal("59.97"), Decimal("15.50"), Decimal("44.47"))
    assert manual_shares(data) == [[{"id": "manual-discount",
                                     "discounted_amount": Decimal("15.50")}]]


async def test_each_call_replaces_the_set_and_an_empty_one_clears_it(
    client: httpx.AsyncClient,
) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])
    assert (await post(client, cart_id, {"cart": {
        "discounts": [{"discounted_amount": 10}]}})).status_code == 200
    replaced = await post(client, cart_id, {"cart": {"discounts": [{"discounted_amount": 2}]}})
    assert decoded(replaced)["data"]["cart"]["manual_discount_amount"] == Decimal("2.00")
    cleared = await post(client, cart_id, {"cart": {"discounts": []}})
    assert cleared.status_code == 200
    data = await cart(client, cart_id)
    assert (data["manual_discount_amount"], data["cart_amount"], manual_shares(data)) == (
        Decimal("0.00"), Decimal("59.97"), [[]])


async def test_a_cart_level_amount_is_spread_by_value_and_never_below_zero(
    client: httpx.AsyncClient,
) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212), line(112, 1, 213)])
    await post(client, cart_id, {"cart": {"discounts": [{"discounted_amount": 10}]}})
    data = await cart(client, cart_id)
    bases = [item["extended_sale_price"] for item in data["line_items"]["physical_items"]]
    shares = [s[0]["discounted_amount"] for s in manual_shares(data)]
    assert sum(shares) == Decimal(10)
    assert shares[0] == (Decimal(10) * bases[0] / sum(bases)).quantize(Decimal("0.01"))
    await post(client, cart_id, {"cart": {"discounts": [{"discounted_amount": 1000}]}})
    assert (await cart(client, cart_id))["cart_amount"] == Decimal("0.00")


@pytest.mark.parametrize(("body", "status"), [
    ({"cart": {"discounts": [{"discounted_amount": 1}], "version": 7}}, 409),
    ({"cart": {"discounts": [{"discounted_amount": 1}]}, "version": 7}, 409),
    ({"cart": {"discounts": [{}]}}, 422),
    ({"cart": {"discounts": [{"discounted_amount": -1}]}}, 422),
    ({"cart": {"discounts": [{"discounted_amount": Decimal("0.001")}]}}, 422),
    ({"cart": {"line_items": [{"id": "not-a-line", "discounted_amount": 1}]}}, 422),
    ({"cart": {"discounts": "all"}}, 422),
])
async def test_a_refused_request_changes_nothing(
    client: httpx.AsyncClient, body: dict[str, Any], status: int,
) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])
    response = await post(client, cart_id, body)
    assert response.status_code == status, response.text
    data = await cart(client, cart_id)
    assert (data["version"], data["cart_amount"]) == (1, Decimal("59.97"))


async def test_a_line_a_coupon_discounts_takes_no_manual_discount(
    client: httpx.AsyncClient,
) -> None:
    cart_id = await cart_with(client, [line(112, 3, 212)])
    await apply(client, cart_id, "SAVE15")
    tees = (await cart(client, cart_id))["line_items"]["physical_items"][0]["id"]
    response = await post(client, cart_id, {"cart": {
        "line_items": [{"id": tees, "discounted_amount": 1}]}})
    assert response.status_code == 422
    assert (await cart(client, cart_id))["manual_discount_amount"] == Decimal("0.00")


async def test_an_unknown_checkout_is_404(client: httpx.AsyncClient) -> None:
    response = await post(client, "no-such-cart", {"cart": {"discounts": []}})
    assert response.status_code == 404
