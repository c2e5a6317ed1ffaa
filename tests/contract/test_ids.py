"""Malformed ids, unknown backends and foreign line ids are INVALID, never a crash."""

from __future__ import annotations

import pytest

from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio

BAD_CART_IDS = [
    "",
    "42",
    "gid://bigcommerce/CartLine/abc",
    "gid://shopify/Cart/abc",
    "gid://bigcommerce/Cart/",
    "gid://bigcommerce/Cart/../../admin",
    "gid://elasticpath/Cart/a b",
    "gid://bigcommerce/Cart/" + "x" * 500,
]


@pytest.mark.parametrize("cart_id", BAD_CART_IDS)
async def test_query_with_malformed_id(gateway: GraphQLClient, cart_id: str) -> None:
    response = await gateway.raw("query($id: ID!) { cart(id: $id) { id } }", {"id": cart_id})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"cart": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert error["extensions"]["field"] == ["id"]
    assert "Traceback" not in response.text


@pytest.mark.parametrize("cart_id", BAD_CART_IDS)
async def test_mutation_with_malformed_id(gateway: GraphQLClient, cart_id: str) -> None:
    result = await gateway.add_lines(cart_id, [{"sku": "MUG-ORBIT"}])
    assert result["cart"] is None
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [("INVALID", ["cartId"])]
    deleted = await gateway.delete(cart_id)
    assert [(e["code"], e["field"]) for e in deleted["userErrors"]] == [("INVALID", ["cartId"])]


async def test_unknown_cart_reads_as_null(gateway: GraphQLClient, backend_name: str) -> None:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}]})
    prefix = created["cart"]["id"].rsplit("/", 1)[0]
    assert await gateway.cart(f"{prefix}/00000000-0000-4000-8000-000000000000") is None


async def test_line_of_another_backend_is_invalid(gateway: GraphQLClient,
                                                  backend_name: str) -> None:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}]})
    cart = created["cart"]
    other = "elasticpath" if backend_name == "BIGCOMMERCE" else "bigcommerce"
    result = await gateway.remove_lines(cart["id"], [f"gid://{other}/CartLine/abc"])
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("INVALID", ["lineIds", "0"])
    ]
