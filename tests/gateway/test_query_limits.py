"""Limits on the request itself: body size, batches, tokens, depth, aliases and cost."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from graphql import get_introspection_query

from adapters.model import Backend
from gateway.graphql.limits.query_limits import MAX_ALIASES, MAX_COST, MAX_DEPTH, MAX_TOKENS
from gateway.http.body_limit import MAX_BODY_BYTES
from tests.support import CART_FIELDS, CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

CART_ID = "gid://bigcommerce/Cart/abc"


def assert_no_vendor_traffic(traffic: dict[Backend, CountingTransport]) -> None:
    assert {b: len(t.requests) for b, t in traffic.items()} == {b: 0 for b in traffic}


async def refusal(gateway: GraphQLClient, query: str) -> str:
    """The one error message of a request refused before execution."""
    response = await gateway.raw(query)
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    assert len(body["errors"]) == 1, body["errors"]
    message: str = body["errors"][0]["message"]
    return message


async def test_a_body_above_the_cap_is_413_before_it_is_read(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport]
) -> None:
    padding = "x" * MAX_BODY_BYTES
    response = await gateway.http.post("/graphql", json={"query": f"# {padding}\n{{ __typename }}"})
    assert response.status_code == 413
    assert response.json() == {"errors": [{
        "message": f"the request body is larger than {MAX_BODY_BYTES} bytes"}]}
    assert_no_vendor_traffic(vendor_traffic)


async def test_a_chunked_body_above_the_cap_is_413(gateway: GraphQLClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 4096 + 2):
            yield b" " * 4096

    response = await gateway.http.post("/graphql", content=chunks(),
                                       headers={"content-type": "application/json"})
    assert response.status_code == 413


async def test_a_body_at_the_cap_is_served(gateway: GraphQLClient) -> None:
    query = "{ __typename }"
    body = json.dumps({"query": query}).encode()
    body += b" " * (MAX_BODY_BYTES - len(body))
    response = await gateway.http.post("/graphql", content=body,
                                       headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_json_nested_too_deeply_is_a_400(gateway: GraphQLClient) -> None:
    body = '{"query": "{ __typename }", "variables": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    response = await gateway.http.post("/graphql", content=body,
                                       headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.text == "Unable to parse request body as JSON"


async def test_batches_are_refused(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport]
) -> None:
    operation = {"query": f'{{ cart(id: "{CART_ID}") {{ id }} }}'}
    response = await gateway.http.post("/graphql", json=[operation, operation])
    assert response.status_code == 400
    assert response.text == "Batching is not enabled"
    assert_no_vendor_traffic(vendor_traffic)


async def test_too_many_tokens(gateway: GraphQLClient) -> None:
    query = "{ " + "__typename " * MAX_TOKENS + "}"
    assert await refusal(gateway, query) == (
        f"Syntax Error: Document contains more than {MAX_TOKENS} tokens. Parsing aborted.")


async def test_too_deep(gateway: GraphQLClient) -> None:
    # The contract's own types nest 7 levels at most; introspection types nest forever.
    query = '{ __type(name: "Cart") { ' + "ofType { " * 15 + "name" + " }" * 16 + " }"
    assert await refusal(gateway, query) == (
        f"the operation is 17 levels deep; the limit is {MAX_DEPTH}")


async def test_too_many_aliases(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport]
) -> None:
    # Aliases of one cheap field: only the alias limit is crossed.
    fields = " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1))
    message = await refusal(gateway, f"query Many {{ {fields} }}")
    assert message == f"Many has {MAX_ALIASES + 1} aliases; the limit is {MAX_ALIASES}"
    assert_no_vendor_traffic(vendor_traffic)


async def test_too_costly(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport]
) -> None:
    fields = " ".join(
        f'c{i}: cart(id: "{CART_ID}") {{ {CART_FIELDS} }}' for i in range(5)
    )
    message = await refusal(gateway, f"{{ {fields} }}")
    assert message.startswith("the operation costs ")
    assert message.endswith(f"; the limit is {MAX_COST}: select fewer fields or fewer root fields")
    assert_no_vendor_traffic(vendor_traffic)


async def test_ten_root_fields_are_too_costly_whatever_they_select(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport]
) -> None:
    fields = " ".join(f'd{i}: cartDelete(cartId: "{CART_ID}") {{ deletedCartId }}'
                      for i in range(10))
    assert await refusal(gateway, f"mutation {{ {fields} }}") == (
        f"the operation costs 100020; the limit is {MAX_COST}: select fewer fields "
        "or fewer root fields")
    assert_no_vendor_traffic(vendor_traffic)


async def test_fragments_that_spread_each_other_are_measured_in_linear_time(
    gateway: GraphQLClient,
) -> None:
    levels = 60
    fragments = "".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}\n"
                        for i in range(levels))
    query = f"{{ ...F0 }}\n{fragments}fragment F{levels} on Query {{ a: __typename }}"
    response = await gateway.raw(query)
    messages = [e["message"] for e in response.json()["errors"]]
    assert f"the operation has {2 ** levels} aliases; the limit is {MAX_ALIASES}" in messages


async def test_the_whole_payload_and_graphiql_introspection_are_within_every_limit(
    gateway: GraphQLClient,
) -> None:
    payload = await gateway.create({"backend": "BIGCOMMERCE", "lines": [{"sku": "MUG-ORBIT"}]})
    assert payload["userErrors"] == []
    introspection = get_introspection_query(
        descriptions=True, specified_by_url=True, directive_is_repeatable=True,
        schema_description=True, input_value_deprecation=True,
    )
    data = await gateway.execute(introspection)
    assert data["__schema"]["mutationType"]["name"] == "Mutation"
