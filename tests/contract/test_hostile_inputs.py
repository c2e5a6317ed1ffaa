"""Odd inputs a storefront may send are typed errors that change nothing, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio


async def _cart(gateway: GraphQLClient, backend_name: str) -> dict[str, Any]:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}]})
    cart: dict[str, Any] = created["cart"]
    return cart


@pytest.mark.parametrize("version", ["²", "١٢", "9" * 40])
async def test_a_version_of_other_digits_is_a_conflict(
    gateway: GraphQLClient, backend_name: str, version: str
) -> None:
    cart = await _cart(gateway, backend_name)
    result = await gateway.add_lines(cart["id"], [{"sku": "PENCIL-HB"}],
                                     expected_version=version)
    assert [e["code"] for e in result["userErrors"]] == ["VERSION_CONFLICT"]
    after = await gateway.cart(cart["id"])
    assert after is not None and after["version"] == cart["version"]


@pytest.mark.parametrize("price", ["1e26", "1000000000.01"])
async def test_a_list_price_past_the_cap_is_invalid(
    gateway: GraphQLClient, backend_name: str, price: str
) -> None:
    cart = await _cart(gateway, backend_name)
    result = await gateway.add_lines(cart["id"], custom_lines=[
        {"name": "Engraving", "listPrice": price}])
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("INVALID", ["customLines", "0", "listPrice"])]
    after = await gateway.cart(cart["id"])
    assert after is not None and after["version"] == cart["version"]
