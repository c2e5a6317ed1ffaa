"""The requests wrk repeats: direct REST calls to a sandbox, cartgate, and Hive Gateway.

Each target names a string a good answer contains; GraphQL targets also refuse any
answer carrying ``"errors":`` (wrk's Lua checks every response).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from benchmarks.load import Target

# The full-cart selection the tests use, and the same without attributes and note.
from tests.support import CART_FIELDS, CART_FIELDS_WITHOUT_ATTRIBUTES, PAYLOAD

BIGCOMMERCE_TOKEN = {"X-Auth-Token": "sandbox-token"}
# The same `include` cartgate's BigCommerce adapter asks for on every cart read.
BIGCOMMERCE_INCLUDE = (
    "include=redirect_urls,line_items.physical_items.options,line_items.digital_items.options"
)
ELASTICPATH_CREDENTIALS = {
    "grant_type": "client_credentials", "client_id": "sandbox-client",
    "client_secret": "sandbox-secret",
}
HIVE_QUERY = Path(__file__).parent / "hive" / "cart.graphql"
GRAPHQL_ERRORS = '"errors":'
JSON = {"Content-Type": "application/json"}

CART_QUERY = f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS} }} }}"
# What Hive Gateway's query (hive/cart.graphql) asks of BigCommerce: the cart alone.
# Attributes and note are cart metafields there, a second vendor request per read.
HIVE_CART_QUERY = f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS_WITHOUT_ATTRIBUTES} }} }}"
LINES_ADD = (
    "mutation($id: ID!, $lines: [CartLineInput!]) "
    f"{{ cartLinesAdd(cartId: $id, lines: $lines) {{ {PAYLOAD} }} }}"
)
# What BigCommerce's own POST /carts/{id}/items answers: the cart, not its metafields.
LINES_ADD_WITHOUT_ATTRIBUTES = LINES_ADD.replace(CART_FIELDS, CART_FIELDS_WITHOUT_ATTRIBUTES)


def _graphql(url: str, query: str, variables: dict[str, Any], expect: str) -> Target:
    body = json.dumps({"query": query, "variables": variables}, separators=(",", ":"))
    return Target(url=f"{url}/graphql", method="POST", body=body, headers=JSON,
                  expect=expect, reject=GRAPHQL_ERRORS)


def gateway_cart(gateway: str, gid: str, query: str = CART_QUERY) -> Target:
    return _graphql(gateway, query, {"id": gid}, expect=f'"id":"{gid}"')


def gateway_lines_add(gateway: str, gid: str, sku: str, mutation: str = LINES_ADD) -> Target:
    """Adds one of a SKU the cart holds: the line's quantity grows, the line count stays."""
    variables = {"id": gid, "lines": [{"sku": sku, "quantity": 1}]}
    return _graphql(gateway, mutation, variables, expect='"userErrors":[]')


def in_turn(each: Sequence[Target], expect: str) -> Target:
    """One target sending each of ``each`` in turn (same host, method and headers; other
    paths and bodies): a load spread over many carts, as many shoppers spread it.
    ``expect``: what every answer holds (not one cart's id).
    """
    def path(url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    first = each[0]
    assert all((t.method, t.headers, urlsplit(t.url).netloc)
               == (first.method, first.headers, urlsplit(first.url).netloc) for t in each)
    return replace(first, expect=expect, variants=tuple((path(t.url), t.body) for t in each))


def hive_cart(hive: str, cart_id: str) -> Target:
    return _graphql(hive, HIVE_QUERY.read_text(), {"id": cart_id},
                    expect=f'"data":{{"id":"{cart_id}"')


def bigcommerce_cart(sandbox: str, cart_id: str) -> Target:
    return Target(url=f"{sandbox}/stores/sandbox/v3/carts/{cart_id}?{BIGCOMMERCE_INCLUDE}",
                  headers=BIGCOMMERCE_TOKEN, expect=f'"data":{{"id":"{cart_id}"')


def bigcommerce_add_item(sandbox: str, cart_id: str) -> Target:
    """Adds one more of the cart's first physical item, as the vendor's REST API takes it."""
    cart = httpx.get(f"{sandbox}/stores/sandbox/v3/carts/{cart_id}",
                     headers=BIGCOMMERCE_TOKEN).raise_for_status().json()["data"]
    item = cart["line_items"]["physical_items"][0]
    body = {"line_items": [{"product_id": item["product_id"], "variant_id": item["variant_id"],
                            "quantity": 1}]}
    return Target(url=f"{sandbox}/stores/sandbox/v3/carts/{cart_id}/items?{BIGCOMMERCE_INCLUDE}",
                  method="POST", body=json.dumps(body), headers={**BIGCOMMERCE_TOKEN, **JSON},
                  expect=f'"data":{{"id":"{cart_id}"')


def elasticpath_token(sandbox: str) -> str:
    response = httpx.post(f"{sandbox}/oauth/access_token", data=ELASTICPATH_CREDENTIALS)
    token: str = response.raise_for_status().json()["access_token"]
    return token


def elasticpath_items(sandbox: str, cart_id: str, token: str) -> Target:
    return Target(url=f"{sandbox}/v2/carts/{cart_id}/items",
                  headers={"Authorization": f"Bearer {token}"}, expect='{"data":[')


def elasticpath_add_item(sandbox: str, cart_id: str, token: str, sku: str) -> Target:
    body = {"data": {"type": "cart_item", "sku": sku, "quantity": 1}}
    return Target(url=f"{sandbox}/v2/carts/{cart_id}/items", method="POST",
                  body=json.dumps(body), headers={"Authorization": f"Bearer {token}", **JSON},
                  expect='{"data":[')
