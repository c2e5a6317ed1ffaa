"""Every list and string argument has a limit: an INVALID userError naming it, no vendor call."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.model import Backend
from gateway.graphql.limits import input_limits as limits
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

CART_ID = "gid://bigcommerce/Cart/abc"
LINE_ID = "gid://bigcommerce/CartLine/abc"
MUG = {"sku": "MUG-ORBIT", "quantity": 1}
CUSTOM = {"name": "Engraving", "quantity": 1, "listPrice": "5.00"}


def long(n: int) -> str:
    return "é" * n  # characters, not bytes, are counted


CASES: list[Any] = [
    pytest.param("create", {"input": {"lines": [MUG] * 251}}, ["input", "lines"],
                 "at most 250 lines per mutation", id="create-lines"),
    pytest.param("create", {"input": {"customLines": [CUSTOM] * 251}},
                 ["input", "customLines"], "at most 250 lines per mutation", id="create-custom"),
    pytest.param("create", {"input": {"discountCodes": ["SAVE10"] * 21}},
                 ["input", "discountCodes"], "at most 20 discount codes", id="create-codes"),
    pytest.param("add", {"lines": [MUG] * 251}, ["lines"], "at most 250 lines per mutation",
                 id="add-lines"),
    pytest.param("add", {"custom": [CUSTOM] * 251}, ["customLines"],
                 "at most 250 lines per mutation", id="add-custom"),
    pytest.param("update", {"lines": [{"id": LINE_ID, "quantity": 1}] * 251}, ["lines"],
                 "at most 250 lines per mutation", id="update-lines"),
    pytest.param("remove", {"ids": [LINE_ID] * 251}, ["lineIds"],
                 "at most 250 lines per mutation", id="remove-ids"),
    pytest.param("codes", {"codes": ["SAVE10"] * 21}, ["discountCodes"],
                 "at most 20 discount codes", id="codes"),
    pytest.param("codes", {"codes": [long(51)]}, ["discountCodes", "0"],
                 "a discount code has 1 to 50 characters", id="code-length"),
    pytest.param("add", {"lines": [{"sku": long(256)}]}, ["lines", "0", "sku"],
                 "a SKU has at most 255 characters", id="sku"),
    pytest.param("add", {"lines": [{"productId": long(129)}]}, ["lines", "0", "productId"],
                 "an id has at most 128 characters", id="product-id"),
    pytest.param("add", {"lines": [{"sku": "MUG-ORBIT", "variantId": long(129)}]},
                 ["lines", "0", "variantId"], "an id has at most 128 characters",
                 id="variant-id"),
    pytest.param("add", {"lines": [{"sku": "MUG-ORBIT",
                                    "options": [{"optionId": "1", "value": "x"}] * 51}]},
                 ["lines", "0", "options"], "at most 50 options on a line per mutation",
                 id="options"),
    pytest.param("add", {"lines": [{"sku": "MUG-ORBIT",
                                    "options": [{"optionId": long(129), "value": "x"}]}]},
                 ["lines", "0", "options", "0", "optionId"],
                 "an option id has at most 128 characters", id="option-id"),
    pytest.param("add", {"lines": [{"sku": "MUG-ORBIT",
                                    "options": [{"optionId": "1", "value": long(256)}]}]},
                 ["lines", "0", "options", "0", "value"],
                 "an option value has at most 255 characters", id="option-value"),
    pytest.param("add", {"custom": [{**CUSTOM, "name": long(251)}]},
                 ["customLines", "0", "name"], "a name has at most 250 characters",
                 id="custom-name"),
    pytest.param("add", {"custom": [{**CUSTOM, "sku": long(256)}]},
                 ["customLines", "0", "sku"], "a SKU has at most 255 characters",
                 id="custom-sku"),
    pytest.param("add", {"lines": [{"sku": "MUG-ORBIT", "quantity": 1_000_001}]},
                 ["lines", "0", "quantity"], "quantity must be at most 1000000",
                 id="quantity"),
    pytest.param("add", {"custom": [{**CUSTOM, "quantity": 1_000_001}]},
                 ["customLines", "0", "quantity"], "quantity must be at most 1000000",
                 id="custom-quantity"),
    pytest.param("update", {"lines": [{"id": LINE_ID, "quantity": 1_000_001}]},
                 ["lines", "0", "quantity"], "quantity must be at most 1000000",
                 id="update-quantity"),
    pytest.param("add", {"lines": [MUG], "version": long(129)}, ["expectedVersion"],
                 "a version has at most 128 characters", id="version"),
    pytest.param("buyer", {"buyer": {"email": long(250) + "@x.io"}},
                 ["buyerIdentity", "email"], "an email address has at most 254 characters",
                 id="email"),
    pytest.param("buyer", {"buyer": {"customerId": long(129)}},
                 ["buyerIdentity", "customerId"], "an id has at most 128 characters",
                 id="customer-id"),
    pytest.param("attributes", {"attributes": {"name": long(256)}}, ["attributes", "name"],
                 "a cart name has at most 255 characters", id="cart-name"),
    pytest.param("attributes", {"attributes": {"description": long(256)}},
                 ["attributes", "description"],
                 "a cart description has at most 255 characters", id="cart-description"),
    pytest.param("attributes", {"attributes": {"attributes": [
                     {"key": f"k{i}", "value": "v"} for i in range(18)]}},
                 ["attributes", "attributes"], "a cart has at most 17 attributes",
                 id="attribute-count"),
    pytest.param("attributes", {"attributes": {"attributes": [{"key": long(65), "value": "v"}]}},
                 ["attributes", "attributes", "0", "key"],
                 "an attribute key has at most 64 characters", id="attribute-key"),
    pytest.param("attributes", {"attributes": {"attributes": [{"key": "k",
                                                               "value": long(1001)}]}},
                 ["attributes", "attributes", "0", "value"],
                 "an attribute value has at most 1000 characters", id="attribute-value"),
    pytest.param("attributes", {"attributes": {"attributes": [{"key": " ", "value": "v"}]}},
                 ["attributes", "attributes", "0", "key"],
                 "an attribute key must not be blank", id="attribute-blank-key"),
    pytest.param("attributes", {"attributes": {"attributes": [{"key": "k", "value": ""}]}},
                 ["attributes", "attributes", "0", "value"],
                 "an attribute value must not be empty; null removes the key",
                 id="attribute-empty-value"),
    pytest.param("attributes", {"attributes": {"attributes": [{"key": "k", "value": "a"},
                                                              {"key": "k", "value": None}]}},
                 ["attributes", "attributes", "1", "key"], "the key 'k' is given twice",
                 id="attribute-twice"),
    pytest.param("attributes", {"attributes": {"attributes": [{"key": "cartgate_note",
                                                               "value": "x"}]}},
                 ["attributes", "attributes", "0", "key"],
                 "keys starting with cartgate_ are the gateway's own", id="attribute-reserved"),
    pytest.param("attributes", {"attributes": {"note": long(5001)}}, ["attributes", "note"],
                 "a note has at most 5000 characters", id="note"),
    pytest.param("create", {"input": {"attributes": {"attributes": [
                     {"key": long(65), "value": "v"}]}}},
                 ["input", "attributes", "attributes", "0", "key"],
                 "an attribute key has at most 64 characters", id="create-attribute-key"),
    pytest.param("add", {"custom": [{**CUSTOM, "listPrice": "1e999999999"}]},
                 ["customLines", "0", "listPrice"], "price must be at most 1000000000",
                 id="custom-price"),
    pytest.param("create", {"input": {"locale": long(36)}}, ["input", "locale"],
                 "a locale has at most 35 characters", id="locale"),
    pytest.param("create", {"input": {"buyerIdentity": {"email": long(255)}}},
                 ["input", "buyerIdentity", "email"],
                 "an email address has at most 254 characters", id="create-email"),
    pytest.param("create", {"input": {"attributes": {"description": long(256)}}},
                 ["input", "attributes", "description"],
                 "a cart description has at most 255 characters", id="create-description"),
]

MUTATIONS = {
    "create": ("cartCreate", "input: $input", "$input: CartCreateInput!"),
    "add": ("cartLinesAdd", "cartId: $id, lines: $lines, customLines: $custom, "
            "expectedVersion: $version",
            "$id: ID!, $lines: [CartLineInput!], $custom: [CustomLineInput!], $version: String"),
    "update": ("cartLinesUpdate", "cartId: $id, lines: $lines",
               "$id: ID!, $lines: [CartLineUpdateInput!]!"),
    "remove": ("cartLinesRemove", "cartId: $id, lineIds: $ids", "$id: ID!, $ids: [ID!]!"),
    "codes": ("cartDiscountCodesUpdate", "cartId: $id, discountCodes: $codes",
              "$id: ID!, $codes: [String!]!"),
    "buyer": ("cartBuyerIdentityUpdate", "cartId: $id, buyerIdentity: $buyer",
              "$id: ID!, $buyer: CartBuyerIdentityInput!"),
    "attributes": ("cartAttributesUpdate", "cartId: $id, attributes: $attributes",
                   "$id: ID!, $attributes: CartAttributesInput!"),
}


@pytest.mark.parametrize(("mutation", "variables", "field", "message"), CASES)
async def test_limit(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport],
    mutation: str, variables: dict[str, Any], field: list[str], message: str,
) -> None:
    name, args, declare = MUTATIONS[mutation]
    if mutation != "create":
        variables = {"id": CART_ID, **variables}
    selection = "cart { id } userErrors { code field message }"
    query = f"mutation({declare}) {{ {name}({args}) {{ {selection} }} }}"
    payload = (await gateway.execute(query, variables))[name]
    assert payload == {"cart": None, "userErrors": [
        {"code": "INVALID", "field": field, "message": message}]}
    assert [len(t.requests) for t in vendor_traffic.values()] == [0, 0]


async def test_the_longest_accepted_values_reach_the_vendor(gateway: GraphQLClient) -> None:
    payload = await gateway.create({
        "backend": "ELASTIC_PATH",
        "customLines": [{**CUSTOM, "name": long(limits.MAX_CUSTOM_NAME_LENGTH)}],
        "attributes": {"name": "n" * limits.MAX_CART_TEXT_LENGTH,
                       "description": "d" * limits.MAX_CART_TEXT_LENGTH},
    })
    assert payload["userErrors"] == []
    assert payload["cart"]["lines"][0]["name"] == long(limits.MAX_CUSTOM_NAME_LENGTH)
