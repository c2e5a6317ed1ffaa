"""The BigCommerce sandbox's gift wrapping on a physical line (carts.v3 gift_wrapping)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.bigcommerce.test_sandbox_coupons import CARTS, cart
from tests.support import decoded

pytestmark = pytest.mark.anyio

DIGITAL = 115  # Field Guide (e-book)


def wrapped(details: list[dict[str, Any]], together: bool = False) -> dict[str, Any]:
    return {"line_items": [{"product_id": 112, "variant_id": 212, "quantity": 2,
                            "gift_wrapping": {"wrap_together": together,
                                              "wrap_details": details}}]}


async def test_a_wrapped_line_shows_name_message_and_cost_outside_the_totals(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(CARTS, json=wrapped(
        [{"id": 0, "message": "One"}, {"id": 0, "message": "Two"}]))
    assert response.status_code == 201, response.text
    data = await cart(client, decoded(response)["data"]["id"])
    item = data["line_items"]["physical_items"][0]
    assert item["gift_wrapping"] == {"name": "Gift Wrap 1", "message": "One\nTwo",
                                     "amount": Decimal("3.98")}
    assert data["cart_amount"] == item["extended_sale_price"]


async def test_wrapped_together_costs_one_wrap(client: httpx.AsyncClient) -> None:
    response = await client.post(CARTS, json=wrapped([{"id": 0}], together=True))
    item = decoded(response)["data"]["line_items"]["physical_items"][0]
    assert item["gift_wrapping"] == {"name": "Gift Wrap 1", "message": "",
                                     "amount": Decimal("1.99")}


@pytest.mark.parametrize("details", [[{"id": 7}], [{"message": "no id"}], [{"id": 0,
                                                                          "message": 5}]])
async def test_an_unknown_or_malformed_wrapping_is_422(
    client: httpx.AsyncClient, details: list[dict[str, Any]],
) -> None:
    response = await client.post(CARTS, json=wrapped(details))
    assert response.status_code == 422, response.text


async def test_a_digital_item_is_not_wrapped(client: httpx.AsyncClient) -> None:
    response = await client.post(CARTS, json={"line_items": [
        {"product_id": DIGITAL, "quantity": 1,
         "gift_wrapping": {"wrap_together": True, "wrap_details": [{"id": 0}]}}]})
    assert response.status_code == 422, response.text
