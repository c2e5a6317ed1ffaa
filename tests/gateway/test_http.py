"""The HTTP face: health, readiness, and hostile requests that must never produce a 500."""

from __future__ import annotations

import pytest

from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio


async def test_healthz(gateway: GraphQLClient) -> None:
    response = await gateway.http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_every_backend(gateway: GraphQLClient) -> None:
    response = await gateway.http.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert set(body["backends"].values()) == {"ready"}
    assert "bigcommerce" in body["backends"]


async def test_backends_query(gateway: GraphQLClient) -> None:
    data = await gateway.execute("{ backends { backend sandbox ready } }")
    assert {"backend": "BIGCOMMERCE", "sandbox": True, "ready": True} in data["backends"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"query": 42}', "application/json"),
        (b'{"query": "{ cart(id: ) }"}', "application/json"),
        (b'{"query": "{ nope }"}', "application/json"),
        (b'{"query": "{ cart(id: \\"x\\") { id } }", "variables": "oops"}', "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b"query=1", "text/plain"),
        (b"[]", "application/json"),
    ],
)
async def test_malformed_requests_are_client_errors(
    gateway: GraphQLClient, body: bytes, content_type: str
) -> None:
    response = await gateway.http.post("/graphql", content=body,
                                       headers={"content-type": content_type})
    assert 400 <= response.status_code < 500 or (
        response.status_code == 200 and "errors" in response.json()
    )
    assert "Traceback" not in response.text


async def test_variable_of_wrong_type_is_a_graphql_error(gateway: GraphQLClient) -> None:
    response = await gateway.raw(
        "mutation($input: CartCreateInput!) { cartCreate(input: $input) { cart { id } } }",
        {"input": {"lines": [{"sku": "MUG-ORBIT", "quantity": "many"}]}},
    )
    assert response.status_code in (200, 400)
    assert response.json()["errors"]
    assert "Traceback" not in response.text


async def test_graphiql_is_served_to_browsers(gateway: GraphQLClient) -> None:
    response = await gateway.http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
