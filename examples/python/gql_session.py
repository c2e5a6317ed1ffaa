"""A cart session with Python's `gql` client: create, discount, read; amounts as Decimal.

    python examples/python/gql_session.py [http://127.0.0.1:8000/graphql]

Documents are validated against the published `schema.graphql` before anything is sent,
and `Decimal` amounts are parsed into `decimal.Decimal` (the scalar is specified as
General Decimal Arithmetic's to-scientific-string), never into a float.
"""

from __future__ import annotations

import asyncio
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from gql import Client, GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport
from gql.utilities import update_schema_scalars
from graphql import GraphQLScalarType

SCHEMA = Path(__file__).resolve().parents[2] / "schema.graphql"
DECIMAL = GraphQLScalarType(name="Decimal", serialize=str, parse_value=Decimal)

CART = """
fragment CartFields on Cart {
  id version totalQuantity
  lines { sku quantity cost { totalAmount { amount } } }
  discountCodes { code applicable }
  cost { subtotalAmount { amount } totalDiscountAmount { amount } totalAmount { amount } }
}
"""
CREATE = CART + """
mutation CreateCart($input: CartCreateInput!) {
  cartCreate(input: $input) { cart { ...CartFields } userErrors { code field message } }
}"""
SET_CODES = CART + """
mutation SetCodes($cartId: ID!, $codes: [String!]!) {
  cartDiscountCodesUpdate(cartId: $cartId, discountCodes: $codes) {
    cart { ...CartFields } userErrors { code field message }
  }
}"""
READ = CART + """
query ReadCart($id: ID!) { cart(id: $id) { ...CartFields } }
"""


def _cart(payload: dict[str, Any]) -> dict[str, Any]:
    if payload["userErrors"]:
        raise RuntimeError("; ".join(f"{e['code']}: {e['message']}"
                                     for e in payload["userErrors"]))
    cart: dict[str, Any] = payload["cart"]
    return cart


async def cart_session(url: str) -> dict[str, dict[str, Any]]:
    """Creates a cart, applies SAVE10 and reads it back; the three carts, by step."""
    client = Client(transport=HTTPXAsyncTransport(url=url),
                    schema=SCHEMA.read_text(encoding="utf-8"), parse_results=True)
    assert client.schema is not None
    update_schema_scalars(client.schema, [DECIMAL])
    async with client as session:
        created = _cart((await session.execute(GraphQLRequest(CREATE, variable_values={
            "input": {"currencyCode": "USD",
                      "lines": [{"sku": "MUG-ORBIT", "quantity": 2},
                                {"sku": "LAMP-DESK", "quantity": 1}]},
        })))["cartCreate"])
        discounted = _cart((await session.execute(GraphQLRequest(SET_CODES, variable_values={
            "cartId": created["id"], "codes": ["SAVE10"],
        })))["cartDiscountCodesUpdate"])
        read = (await session.execute(GraphQLRequest(READ, variable_values={
            "id": created["id"]})))["cart"]
    return {"created": created, "discounted": discounted, "read": read}


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/graphql"
    carts = asyncio.run(cart_session(url))
    for step, cart in carts.items():
        cost = cart["cost"]
        print(f"{step:>10}: {cart['totalQuantity']} items, subtotal "
              f"{cost['subtotalAmount']['amount']!r}, total {cost['totalAmount']['amount']!r}")


if __name__ == "__main__":
    main()
