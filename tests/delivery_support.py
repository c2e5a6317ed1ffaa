"""Delivery and tax operations for tests: the cart with its delivery groups and landed cost."""

from __future__ import annotations

from typing import Any

from tests.support import CART_FIELDS_WITHOUT_ATTRIBUTES, MONEY, GraphQLClient

ADDRESS = ("countryCode firstName lastName company address1 address2 city provinceCode zip "
           "phone email")
LANDED_FIELDS = f"""
  {CART_FIELDS_WITHOUT_ATTRIBUTES}
  landed: cost {{ totalShippingAmount {MONEY} }}
  billingAddress {{ {ADDRESS} }}
  deliveryGroups {{
    id deliveryAddress {{ {ADDRESS} }}
    deliveryOptions {{ handle title estimatedCost {MONEY} }}
    selectedDeliveryOption {{ handle title estimatedCost {MONEY} }}
  }}
"""
LANDED_PAYLOAD = f"""
  cart {{ {LANDED_FIELDS} }}
  userErrors {{ code field message }}
  warnings {{ code message }}
"""

US_ADDRESS = {"firstName": "Ada", "lastName": "Lovelace", "address1": "1 Market St",
              "city": "San Francisco", "provinceCode": "CA", "zip": "94105",
              "countryCode": "US", "email": "ada@example.com"}
DE_ADDRESS = {"firstName": "Grete", "lastName": "Weiss", "address1": "Unter den Linden 1",
              "city": "Berlin", "zip": "10117", "countryCode": "DE",
              "email": "grete@example.com"}


async def _mutate(gateway: GraphQLClient, name: str, args: str, declare: str,
                  variables: dict[str, Any]) -> dict[str, Any]:
    data = await gateway.execute(
        f"mutation({declare}) {{ {name}({args}) {{ {LANDED_PAYLOAD} }} }}", variables)
    payload: dict[str, Any] = data[name]
    return payload


async def landed_cart(gateway: GraphQLClient, cart_id: str) -> dict[str, Any] | None:
    data = await gateway.execute(
        f"query($id: ID!) {{ cart(id: $id) {{ {LANDED_FIELDS} }} }}", {"id": cart_id})
    cart: dict[str, Any] | None = data["cart"]
    return cart


async def set_address(gateway: GraphQLClient, cart_id: str, address: dict[str, Any] | None,
                      expected_version: str | None = None) -> dict[str, Any]:
    return await _mutate(
        gateway, "cartDeliveryAddressUpdate",
        "cartId: $cartId, address: $address, expectedVersion: $v",
        "$cartId: ID!, $address: CartAddressInput, $v: String",
        {"cartId": cart_id, "address": address, "v": expected_version})


async def select_option(gateway: GraphQLClient, cart_id: str, group_id: str, handle: str,
                        expected_version: str | None = None) -> dict[str, Any]:
    return await _mutate(
        gateway, "cartSelectedDeliveryOptionsUpdate",
        "cartId: $cartId, selectedDeliveryOptions: $s, expectedVersion: $v",
        "$cartId: ID!, $s: [CartSelectedDeliveryOptionInput!]!, $v: String",
        {"cartId": cart_id, "v": expected_version,
         "s": [{"deliveryGroupId": group_id, "deliveryOptionHandle": handle}]})


async def set_billing_address(gateway: GraphQLClient, cart_id: str, address: dict[str, Any],
                              expected_version: str | None = None) -> dict[str, Any]:
    return await _mutate(
        gateway, "cartBillingAddressUpdate",
        "cartId: $cartId, billingAddress: $address, expectedVersion: $v",
        "$cartId: ID!, $address: CartAddressInput!, $v: String",
        {"cartId": cart_id, "address": address, "v": expected_version})


async def set_tax_items(gateway: GraphQLClient, cart_id: str, items: list[dict[str, Any]],
                        expected_version: str | None = None) -> dict[str, Any]:
    return await _mutate(
        gateway, "cartTaxItemsSet", "cartId: $cartId, taxItems: $items, expectedVersion: $v",
        "$cartId: ID!, $items: [CartTaxItemInput!]!, $v: String",
        {"cartId": cart_id, "items": items, "v": expected_version})


async def deliver(gateway: GraphQLClient, cart_id: str, address: dict[str, Any],
                  handle_index: int = 0) -> dict[str, Any]:
    """Set the address and select its option number ``handle_index``; the payload."""
    placed = await set_address(gateway, cart_id, address)
    assert placed["userErrors"] == [], placed["userErrors"]
    group = placed["cart"]["deliveryGroups"][0]
    handle = group["deliveryOptions"][handle_index]["handle"]
    chosen = await select_option(gateway, cart_id, group["id"], handle)
    assert chosen["userErrors"] == [], chosen["userErrors"]
    return chosen
