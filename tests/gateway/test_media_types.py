"""GraphQL over HTTP: which media type and status code answer each kind of request."""

from __future__ import annotations

import pytest

from adapters.model import Backend
from gateway.http.view import GRAPHQL_RESPONSE, JSON, response_media_type
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

REQUEST_ERRORS = [
    pytest.param({"query": "{ cart(id: ) }"}, id="parse"),
    pytest.param({"query": "{ nope }"}, id="validation"),
    pytest.param({"query": "query($id: ID!) { cart(id: $id) { id } }", "variables": {}},
                 id="variables"),
]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("*/*", JSON),
        ("application/json", JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", JSON),
        (f"application/json;q=0.5, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0, application/json", JSON),
        ("text/html", JSON),
    ],
)
def test_response_media_type(accept: str | None, expected: str) -> None:
    assert response_media_type(accept) == expected


@pytest.mark.parametrize("body", REQUEST_ERRORS)
async def test_request_errors_are_400_in_graphql_response_json(
    gateway: GraphQLClient, body: dict[str, object]
) -> None:
    response = await gateway.http.post("/graphql", json=body,
                                       headers={"accept": GRAPHQL_RESPONSE})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    answer = response.json()
    assert "data" not in answer
    assert answer["errors"]


@pytest.mark.parametrize("body", REQUEST_ERRORS)
async def test_request_errors_stay_200_in_application_json(
    gateway: GraphQLClient, body: dict[str, object]
) -> None:
    response = await gateway.http.post("/graphql", json=body,
                                       headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "data" not in response.json()


async def test_executed_operations_are_200_in_either_media_type(gateway: GraphQLClient) -> None:
    response = await gateway.http.post(
        "/graphql", json={"query": "{ backends { backend } }"},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["data"]["backends"]


@pytest.mark.parametrize("content_type", [
    "application/jsonp", "application/json-seq", "text/plain; a=application/json",
    "application/x-application/json", "text/html",
])
async def test_only_the_json_media_type_runs_an_operation(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport], content_type: str
) -> None:
    created = await gateway.http.post(
        "/graphql", headers={"content-type": content_type},
        content=b'{"query": "mutation { cartCreate(input: {backend: ELASTIC_PATH}) '
                b'{ cart { id } } }"}')
    assert created.status_code == 415
    assert vendor_traffic[Backend.ELASTIC_PATH].requests == []


@pytest.mark.parametrize("content_type", [
    "application/json", "application/json; charset=utf-8",
    " application/json ;charset=UTF-8",
])
async def test_json_with_parameters_or_any_case_is_json(
    gateway: GraphQLClient, content_type: str
) -> None:
    answer = await gateway.http.post("/graphql", headers={"content-type": content_type},
                                     content=b'{"query": "{ __typename }"}')
    assert answer.status_code == 200
    assert answer.json() == {"data": {"__typename": "Query"}}
