"""expectedVersion: a stale version changes nothing and returns the cart as it is."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio


async def _cart(gateway: GraphQLClient, backend_name: str) -> dict[str, Any]:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}, {"sku": "PENCIL-HB"}]})
    cart: dict[str, Any] = created["cart"]
    return cart


async def test_current_version_is_accepted(gateway: GraphQLClient, backend_name: str) -> None:
    cart = await _cart(gateway, backend_name)
    line = cart["lines"][0]
    changed = await gateway.update_lines(cart["id"], [{"id": line["id"], "quantity": 4}],
                                         expected_version=cart["version"])
    assert changed["userErrors"] == []
    assert changed["cart"]["version"] != cart["version"]


@pytest.mark.parametrize("mutation", ["add", "update", "remove", "discounts"])
async def test_stale_version_conflicts(gateway: GraphQLClient, backend_name: str,
                                       mutation: str) -> None:
    cart = await _cart(gateway, backend_name)
    stale = cart["version"]
    line = cart["lines"][0]
    moved = await gateway.update_lines(cart["id"], [{"id": line["id"], "quantity": 2}])
    current = moved["cart"]

    if mutation == "add":
        result = await gateway.add_lines(cart["id"], [{"sku": "TOTE-CANVAS"}],
                                         expected_version=stale)
    elif mutation == "update":
        result = await gateway.update_lines(cart["id"], [{"id": line["id"], "quantity": 9}],
                                            expected_version=stale)
    elif mutation == "remove":
        result = await gateway.remove_lines(cart["id"], [line["id"]], expected_version=stale)
    else:
        result = await gateway.discount_codes(cart["id"], ["SAVE10"], expected_version=stale)

    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("VERSION_CONFLICT", ["expectedVersion"])
    ]
    assert result["cart"] is not None
    assert result["cart"]["version"] == current["version"]
    assert result["cart"]["lines"] == current["lines"]
    after = await gateway.cart(cart["id"])
    assert after is not None
    assert after["version"] == current["version"]
    assert after["discountCodes"] == []


async def test_garbage_version_conflicts(gateway: GraphQLClient, backend_name: str) -> None:
    cart = await _cart(gateway, backend_name)
    result = await gateway.add_lines(cart["id"], [{"sku": "TOTE-CANVAS"}],
                                     expected_version="not-a-version")
    assert [e["code"] for e in result["userErrors"]] == ["VERSION_CONFLICT"]
    assert result["cart"]["version"] == cart["version"]
