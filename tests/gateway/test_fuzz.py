"""Hostile input, generated: no 5xx, no unhandled exception, every error coded or a request error.

Operations come from the schema (hypothesis-graphql, valid and invalid ones) and from
templates of every mutation with hostile variables: huge and negative numbers, unicode,
long strings, wrong types, malformed ids. The seed is fixed (``derandomize``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import hypothesis_graphql
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes

from adapters.errors import ErrorCode
from adapters.model import Backend
from adapters.registry import with_sandbox
from gateway.app import create_app
from gateway.graphql.error_masking import MASKED
from gateway.graphql.schema import build_schema
from sandboxes.loopback import sandbox_app
from tests.conftest import gateway_settings
from tests.support import GraphQLClient

EXAMPLES = 1_000
CODES = {code.value for code in ErrorCode}
SCHEMA = build_schema()._schema

NUMBERS = st.one_of(st.integers(), st.integers(-(2**70), 2**70),
                    st.sampled_from([0, -1, 2**31 - 1, 2**31, 2**63, 1_000_000, 1_000_001]))
DECIMALS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["NaN", "-Infinity", "1e999999999", "-0.001", "0x10", "", " 1", "1,5",
                     "9" * 400, "1E-999999"]),
    st.text(max_size=12),
)
TEXT = st.one_of(st.text(max_size=40), st.text(min_size=200, max_size=400),
                 st.sampled_from(["", " ", "\x00", "é" * 300, "😀" * 60, "../../etc",
                                  "%2F%2E%2E", "'; DROP TABLE carts; --", "{{7*7}}"]))


# Ids of carts and lines that exist, filled in once the gateway runs: hostile changes to
# real carts reach the vendors' sandboxes.
LIVE_IDS: dict[str, list[str]] = {"Cart": [], "CartLine": []}


def ids(type_name: str) -> st.SearchStrategy[str]:
    """Cart or line ids: live, plausible, malformed, on unknown backends, or any text."""
    native = st.one_of(st.uuids().map(str), st.text(max_size=20), st.integers().map(str))
    backend = st.sampled_from(["bigcommerce", "elasticpath", "shopify", "", "BIGCOMMERCE"])
    live = st.integers(0, 99).map(lambda i: LIVE_IDS[type_name][i % len(LIVE_IDS[type_name])])
    return st.one_of(
        live, live,
        st.builds(lambda b, n: f"gid://{b}/{type_name}/{n}", backend, native),
        st.builds(lambda b, n: f"gid://{b}/Cart/{n}/../x", backend, native),
        TEXT,
    )


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | NUMBERS | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)
LINE = st.fixed_dictionaries({}, optional={
    "sku": st.one_of(st.sampled_from(["MUG-ORBIT", "TEE-TRAIL-M", "EBOOK-FIELD"]), TEXT),
    "productId": TEXT, "variantId": TEXT, "quantity": NUMBERS, "listPrice": DECIMALS,
    "options": st.lists(st.fixed_dictionaries({"optionId": TEXT, "value": TEXT}), max_size=3),
})
PLAUSIBLE_LINE = st.fixed_dictionaries(
    {"sku": st.sampled_from(["MUG-ORBIT", "TEE-TRAIL-M", "EBOOK-FIELD", "BEANS-ESP-1KG"]),
     "quantity": NUMBERS},
    optional={"listPrice": DECIMALS,
              "options": st.lists(st.fixed_dictionaries({"optionId": TEXT, "value": TEXT}),
                                  max_size=2)},
)
CUSTOM_LINE = st.fixed_dictionaries({"name": TEXT, "listPrice": DECIMALS},
                                    optional={"sku": TEXT, "quantity": NUMBERS})
LINES = st.one_of(st.lists(PLAUSIBLE_LINE, min_size=1, max_size=3), st.lists(LINE, max_size=4),
                  st.lists(LINE, min_size=251, max_size=252),
                  JSON_VALUES)
CREATE_INPUT = st.fixed_dictionaries({}, optional={
    "backend": st.sampled_from(["BIGCOMMERCE", "ELASTIC_PATH", "SHOPIFY"]),
    "currencyCode": st.one_of(st.sampled_from(["USD", "JPY", "JOD", "usd", "XXX"]), TEXT),
    "locale": st.one_of(st.sampled_from(["en-US", "ja-JP", "xx-YY", "de"]), TEXT),
    "lines": LINES, "customLines": st.lists(CUSTOM_LINE, max_size=3),
    "buyerIdentity": st.fixed_dictionaries({}, optional={"email": TEXT, "customerId": TEXT}),
    "attributes": st.fixed_dictionaries({}, optional={"name": TEXT, "description": TEXT}),
    "discountCodes": st.lists(TEXT, max_size=3),
})

PAYLOAD = "cart { id version totalQuantity cost { totalAmount { amount formatted } } } " \
          "userErrors { code field message }"
TEMPLATES: dict[str, tuple[str, dict[str, st.SearchStrategy[Any]]]] = {
    "create": ("mutation($input: CartCreateInput!) { cartCreate(input: $input) { %s } }",
               {"input": CREATE_INPUT}),
    "add": ("mutation($id: ID!, $lines: [CartLineInput!], $custom: [CustomLineInput!], "
            "$version: String) { cartLinesAdd(cartId: $id, lines: $lines, customLines: $custom, "
            "expectedVersion: $version) { %s } }",
            {"id": ids("Cart"), "lines": LINES, "custom": st.lists(CUSTOM_LINE, max_size=3),
             "version": TEXT}),
    "update": ("mutation($id: ID!, $lines: [CartLineUpdateInput!]!) "
               "{ cartLinesUpdate(cartId: $id, lines: $lines) { %s } }",
               {"id": ids("Cart"), "lines": st.lists(st.fixed_dictionaries(
                   {"id": ids("CartLine")}, optional={"quantity": NUMBERS,
                                                      "listPrice": DECIMALS}), max_size=3)}),
    "remove": ("mutation($id: ID!, $ids: [ID!]!) { cartLinesRemove(cartId: $id, lineIds: $ids) "
               "{ %s } }", {"id": ids("Cart"), "ids": st.lists(ids("CartLine"), max_size=3)}),
    "codes": ("mutation($id: ID!, $codes: [String!]!) "
              "{ cartDiscountCodesUpdate(cartId: $id, discountCodes: $codes) { %s } }",
              {"id": ids("Cart"), "codes": st.lists(TEXT, max_size=4)}),
    "buyer": ("mutation($id: ID!, $buyer: CartBuyerIdentityInput!) "
              "{ cartBuyerIdentityUpdate(cartId: $id, buyerIdentity: $buyer) { %s } }",
              {"id": ids("Cart"), "buyer": JSON_VALUES}),
    "attributes": ("mutation($id: ID!, $attributes: CartAttributesInput!) "
                   "{ cartAttributesUpdate(cartId: $id, attributes: $attributes) { %s } }",
                   {"id": ids("Cart"), "attributes": st.fixed_dictionaries(
                       {}, optional={"name": TEXT, "description": TEXT})}),
    "transfer": ("mutation($id: ID!, $to: Backend!) { cartTransfer(cartId: $id, to: $to) "
                 "{ cart { id } userErrors { code field message } } }%s",
                 {"id": ids("Cart"), "to": st.sampled_from(["BIGCOMMERCE", "ELASTIC_PATH", "X"])}),
    "compare": ("mutation($input: CartCreateInput!) { cartCompare(input: $input) "
                "{ results { backend userErrors { code } } differences { path } } }%s",
                {"input": CREATE_INPUT}),
    "delete": ("mutation($id: ID!) { cartDelete(cartId: $id) { deletedCartId "
               "userErrors { code } } }%s", {"id": ids("Cart")}),
    "cart": ("query($id: ID!) { cart(id: $id) { id lines { id sku quantity } } }%s",
             {"id": ids("Cart")}),
}


@st.composite
def templated(draw: st.DrawFn) -> dict[str, Any]:
    """One mutation or query of the contract with hostile variables."""
    name = draw(st.sampled_from(sorted(TEMPLATES)))
    query, variables = TEMPLATES[name]
    query = query % (PAYLOAD if "{ %s }" in query else "")
    values = {key: draw(strategy) for key, strategy in variables.items()}
    return {"query": query, "variables": values}


SCALARS = {"Decimal": DECIMALS.map(nodes.String), "DateTime": TEXT.map(nodes.String)}
GENERATED = st.one_of(
    hypothesis_graphql.from_schema(SCHEMA, custom_scalars=SCALARS),
    hypothesis_graphql.from_schema(SCHEMA, custom_scalars=SCALARS,
                                   mode=hypothesis_graphql.Mode.NEGATIVE),
).map(lambda query: {"query": query})
REQUESTS = st.one_of(
    templated(), templated(), GENERATED,
    st.fixed_dictionaries({"query": TEXT}, optional={"variables": JSON_VALUES,
                                                     "operationName": TEXT}),
)


@pytest.fixture
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal(backend="asyncio") as running:
        yield running


def check(response: httpx.Response) -> None:
    """What any answer must be, however hostile the request."""
    assert response.status_code in (200, 400, 413), response.text
    assert "Traceback" not in response.text
    assert MASKED not in response.text, "an unhandled exception was masked"
    if response.status_code != 200 and not response.headers["content-type"].startswith(
        ("application/json", "application/graphql-response+json")
    ):
        return  # strawberry's plain-text answers to malformed HTTP requests
    body = response.json()
    for error in body.get("errors", []):
        if error.get("path") is not None:
            assert error.get("extensions", {}).get("code") in CODES, error


def test_hostile_operations_never_crash_the_gateway(portal: BlockingPortal) -> None:
    transports: dict[Backend, httpx.AsyncBaseTransport] = {
        entry.backend: httpx.ASGITransport(app=sandbox_app(entry.backend))
        for entry in with_sandbox()}
    app = create_app(gateway_settings(), transports=transports)
    examples = 0
    with portal.wrap_async_context_manager(app.router.lifespan_context(app)):
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                   base_url="http://gateway")
        for known in LIVE_IDS.values():
            known.clear()
        for backend in (entry.backend.name for entry in with_sandbox()):
            created = portal.call(GraphQLClient(client).create, {
                "backend": backend, "lines": [{"sku": "MUG-ORBIT"}, {"sku": "TEE-TRAIL-M"}]})
            LIVE_IDS["Cart"].append(created["cart"]["id"])
            LIVE_IDS["CartLine"] += [line["id"] for line in created["cart"]["lines"]]

        @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(body=REQUESTS)
        def post(body: dict[str, Any]) -> None:
            nonlocal examples
            examples += 1
            content = json.dumps(body, default=str)
            response = portal.call(lambda: client.post(
                "/graphql", content=content, headers={"content-type": "application/json"}))
            check(response)

        try:
            post()
        finally:
            portal.call(client.aclose)
    print(f"hostile operations: {examples} examples")
    assert examples >= 1_000
