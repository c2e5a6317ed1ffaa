"""cartTransfer: BigCommerce -> Elastic Path -> BigCommerce, and what cannot be carried."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from tests.support import CART_FIELDS, GraphQLClient, amount

pytestmark = pytest.mark.anyio

TRANSFER = f"""mutation($id: ID!, $to: Backend!, $delete: Boolean) {{
  cartTransfer(cartId: $id, to: $to, deleteSource: $delete) {{
    cart {{ {CART_FIELDS} }}
    sourceCart {{ id version }}
    unmatchedLines {{ id sku name quantity }}
    userErrors {{ code field message }}
    warnings {{ code message }}
  }}
}}"""


async def _transfer(gateway: GraphQLClient, cart_id: str, to: str,
                    delete: bool | None = None) -> dict[str, Any]:
    data = await gateway.execute(TRANSFER, {"id": cart_id, "to": to, "delete": delete})
    payload: dict[str, Any] = data["cartTransfer"]
    return payload


def _summary(cart: dict[str, Any]) -> list[tuple[str, int, str | None]]:
    return sorted((line["sku"], line["quantity"], amount(line["cost"]["subtotalAmount"]))
                  for line in cart["lines"])


async def test_round_trip_keeps_lines_codes_and_totals(gateway: GraphQLClient) -> None:
    created = await gateway.create({
        "backend": "BIGCOMMERCE", "currencyCode": "USD",
        "lines": [{"sku": "TEE-TRAIL-M", "quantity": 3}, {"sku": "LAMP-DESK"}],
        "customLines": [{"sku": "ENGRAVING", "name": "Engraving", "listPrice": "7.25",
                         "quantity": 2}],
        "discountCodes": ["FIVEOFF"],
    })
    assert created["userErrors"] == []
    original = created["cart"]

    there = await _transfer(gateway, original["id"], "ELASTIC_PATH", delete=True)
    assert there["userErrors"] == [] and there["unmatchedLines"] == []
    assert there["cart"]["backend"] == "ELASTIC_PATH"
    assert there["sourceCart"] is None
    assert [w["code"] for w in there["warnings"]] == ["CART_DELETED"]
    assert await gateway.cart(original["id"]) is None
    assert _summary(there["cart"]) == _summary(original)
    assert [c["code"] for c in there["cart"]["discountCodes"]] == ["FIVEOFF"]
    for key in ("subtotalAmount", "totalDiscountAmount", "totalAmount"):
        assert amount(there["cart"]["cost"][key]) == amount(original["cost"][key]), key

    back = await _transfer(gateway, there["cart"]["id"], "BIGCOMMERCE", delete=True)
    assert back["userErrors"] == [] and back["unmatchedLines"] == []
    # Elastic Path's default cart name is not the shopper's: everything was carried.
    assert [w["code"] for w in back["warnings"]] == ["CART_DELETED"]
    assert back["sourceCart"] is None
    assert back["cart"]["backend"] == "BIGCOMMERCE"
    assert _summary(back["cart"]) == _summary(original)
    assert amount(back["cart"]["cost"]["totalAmount"]) == amount(original["cost"]["totalAmount"])
    assert amount(back["cart"]["cost"]["totalAmount"]) == "158.47"


async def test_custom_lines_without_sku_are_carried(gateway: GraphQLClient) -> None:
    created = await gateway.create({
        "backend": "ELASTIC_PATH", "currencyCode": "USD",
        "lines": [{"sku": "MUG-ORBIT", "quantity": 2}],
        "customLines": [{"name": "Gift note", "listPrice": "1.00"}],
    })
    assert created["userErrors"] == []
    result = await _transfer(gateway, created["cart"]["id"], "BIGCOMMERCE")
    assert result["userErrors"] == [] and result["unmatchedLines"] == []
    assert sorted(line["name"] for line in result["cart"]["lines"]) == [
        "Gift note", "Orbit Coffee Mug"]
    assert amount(result["cart"]["cost"]["totalAmount"]) == "26.00"
    assert result["sourceCart"]["id"] == created["cart"]["id"]


async def test_a_gift_certificate_cannot_be_carried(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette]
) -> None:
    # Elastic Path has no gift certificate lines: made on BigCommerce's REST API directly.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(
            app=sandboxes[Backend.BIGCOMMERCE]), base_url="http://bc") as rest:
        response = await rest.post(
            "/stores/sandbox/v3/carts", headers={"X-Auth-Token": "sandbox-token"},
            json={"line_items": [{"product_id": 111, "quantity": 1}],
                  "gift_certificates": [{
                      "name": "Birthday", "theme": "Birthday", "amount": 25, "quantity": 1,
                      "sender": {"name": "Ann", "email": "ann@example.com"},
                      "recipient": {"name": "Bo", "email": "bo@example.com"}}]},
        )
    assert response.status_code == 201, response.text
    cart_id = "gid://bigcommerce/Cart/" + response.json()["data"]["id"]

    result = await _transfer(gateway, cart_id, "ELASTIC_PATH", delete=True)
    assert result["userErrors"] == []
    assert [(line["name"], line["quantity"]) for line in result["unmatchedLines"]] == [
        ("Birthday", 1)]
    assert [line["sku"] for line in result["cart"]["lines"]] == ["MUG-ORBIT"]
    # Not everything was carried, so the source stays although deleteSource was true.
    assert result["sourceCart"]["id"] == cart_id
    assert "CART_DELETED" not in [w["code"] for w in result["warnings"]]
    source = await gateway.cart(cart_id)
    assert source is not None and source["totalQuantity"] == 2


async def test_transfer_to_the_same_backend_is_invalid(gateway: GraphQLClient) -> None:
    created = await gateway.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}]})
    result = await _transfer(gateway, created["cart"]["id"], "BIGCOMMERCE")
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [("INVALID", ["to"])]


async def test_unsupported_fields_are_reported_as_not_carried(gateway: GraphQLClient) -> None:
    created = await gateway.create({
        "backend": "ELASTIC_PATH", "currencyCode": "USD", "lines": [{"sku": "MUG-ORBIT"}],
        "attributes": {"name": "Office order"},
        "buyerIdentity": {"email": "buyer@example.com"},
    })
    assert created["userErrors"] == []
    result = await _transfer(gateway, created["cart"]["id"], "BIGCOMMERCE", delete=True)
    assert result["userErrors"] == []
    assert sorted(w["message"] for w in result["warnings"] if w["code"] == "NOT_CARRIED") == [
        "attributes.name could not be carried to the other vendor",
        "buyerIdentity.email could not be carried to the other vendor",
    ]
    assert result["sourceCart"] is not None  # incomplete, so kept


async def test_a_total_that_changes_is_told_with_both_totals_and_each_moved_line(
    gateway: GraphQLClient,
) -> None:
    # BigCommerce takes 15% off each line and rounds per line (3.00 + 1.88 + 0.02);
    # Elastic Path takes it once off the subtotal (4.89).
    created = await gateway.create({
        "backend": "BIGCOMMERCE", "currencyCode": "USD",
        "lines": [{"sku": "TEE-TRAIL-M"}, {"sku": "MUG-ORBIT"}, {"sku": "PENCIL-HB"}],
        "discountCodes": ["SAVE15"],
    })
    assert created["userErrors"] == []
    assert amount(created["cart"]["cost"]["totalAmount"]) == "27.69"
    moved = await _transfer(gateway, created["cart"]["id"], "ELASTIC_PATH")
    assert moved["userErrors"] == []
    assert amount(moved["cart"]["cost"]["totalAmount"]) == "27.70"
    changed = [w["message"] for w in moved["warnings"] if w["code"] == "PRICE_CHANGED"]
    assert changed[0] == ("the total changed from 27.69 USD on BIGCOMMERCE "
                          "to 27.70 USD on ELASTIC_PATH")
    assert sorted(m.split(":")[0] for m in changed[1:]) == [
        "line MUG-ORBIT", "line PENCIL-HB", "line TEE-TRAIL-M"]
    assert "line TEE-TRAIL-M: 16.99 USD (19.99 USD each) became 19.99 USD (19.99 USD each)" \
        in changed


async def test_an_unchanged_total_gives_no_price_warning(gateway: GraphQLClient) -> None:
    created = await gateway.create({"backend": "ELASTIC_PATH", "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT", "quantity": 2}]})
    moved = await _transfer(gateway, created["cart"]["id"], "BIGCOMMERCE")
    assert moved["userErrors"] == []
    assert [w for w in moved["warnings"] if w["code"] == "PRICE_CHANGED"] == []
