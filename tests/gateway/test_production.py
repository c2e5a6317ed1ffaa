"""CARTGATE_ENV=production: no introspection or GraphiQL, CORS as configured, masked errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from adapters.model import Backend
from gateway.app import create_app
from gateway.settings import Settings
from tests.conftest import gateway_settings

pytestmark = pytest.mark.anyio

ORIGIN = "https://shop.example"


class ExplodingTransport(httpx.AsyncBaseTransport):
    """A vendor connection that fails in a way nobody planned for."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise RuntimeError("internal detail: /srv/cartgate/secret.py line 42")


@asynccontextmanager
async def served(settings: Settings, **transports: httpx.AsyncBaseTransport
                 ) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, transports={Backend(k): v for k, v in transports.items()})
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            yield http


@pytest.fixture(params=["development", "production"])
def env(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_production_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARTGATE_ENV", "production")
    monkeypatch.setenv("CARTGATE_CORS_ORIGINS", f"{ORIGIN}, https://other.example ,")
    settings = Settings(_env_file=None)
    assert settings.production
    assert settings.cors_origins == [ORIGIN, "https://other.example"]


async def test_introspection_only_outside_production(env: str) -> None:
    async with served(gateway_settings(env=env)) as http:
        response = await http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    body: dict[str, Any] = response.json()
    if env == "production":
        assert "data" not in body
        assert body["errors"][0]["message"] == (
            "GraphQL introspection has been disabled, but the requested query "
            "contained the field '__schema'.")
    else:
        assert "Cart" in {t["name"] for t in body["data"]["__schema"]["types"]}


async def test_typename_is_not_introspection(env: str) -> None:
    async with served(gateway_settings(env=env)) as http:
        response = await http.post("/graphql", json={"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_graphiql_only_outside_production(env: str) -> None:
    async with served(gateway_settings(env=env)) as http:
        response = await http.get("/graphql", headers={"accept": "text/html"})
    if env == "production":
        assert response.status_code == 404
        assert "graphiql" not in response.text.lower()
    else:
        assert response.status_code == 200
        assert "graphiql" in response.text.lower()


async def test_development_pages_only_outside_production(env: str) -> None:
    async with served(gateway_settings(env=env)) as http:
        graphiql = await http.get("/graphql", headers={"accept": "text/html"})
        compare = await http.get("/compare")
        asset = await http.get(graphiql.text.split('<script src="')[1].split('"')[0]
                               if env == "development" else "/assets/0/compare.js")
    if env == "production":
        assert (compare.status_code, asset.status_code) == (404, 404)
    else:
        assert compare.status_code == 200
        assert compare.headers["content-security-policy"].startswith("default-src 'none'")
        assert asset.status_code == 200


async def test_no_cors_headers_unless_configured() -> None:
    async with served(gateway_settings(env="production")) as http:
        response = await http.post("/graphql", json={"query": "{ __typename }"},
                                   headers={"origin": ORIGIN})
        preflight = await http.options("/graphql", headers={
            "origin": ORIGIN, "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in response.headers
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers


async def test_cors_allows_only_the_configured_origins() -> None:
    settings = gateway_settings(env="production", cors_origins=[ORIGIN])
    async with served(settings) as http:
        allowed = await http.options("/graphql", headers={
            "origin": ORIGIN, "access-control-request-method": "POST",
            "access-control-request-headers": "content-type"})
        refused = await http.options("/graphql", headers={
            "origin": "https://evil.example", "access-control-request-method": "POST"})
        simple = await http.post("/graphql", json={"query": "{ __typename }"},
                                 headers={"origin": ORIGIN})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    assert simple.headers["access-control-allow-origin"] == ORIGIN


async def test_validation_suggestions_are_masked_in_production(env: str) -> None:
    async with served(gateway_settings(env=env)) as http:
        response = await http.post("/graphql", json={"query": '{ carts(id: "x") { id } }'})
    message = response.json()["errors"][0]["message"]
    if env == "production":
        assert message == "Cannot query field 'carts' on type 'Query'."
    else:
        assert message == "Cannot query field 'carts' on type 'Query'. Did you mean 'cart'?"


@pytest.mark.parametrize(("query", "variables"), [
    ("mutation($i: CartCreateInput!) { cartCreate(input: $i) { cart { id } } }",
     {"i": {"linez": []}}),
    ("mutation { cartCreate(input: {linez: []}) { cart { id } } }", None),
    ("mutation($i: CartCreateInput!) { cartCreate(input: $i) { cart { id } } }",
     {"i": {"lines": [{"skuu": "x"}]}}),
])
async def test_suggestions_inside_a_message_are_masked_in_production(
    env: str, query: str, variables: dict[str, object] | None,
) -> None:
    async with served(gateway_settings(env=env)) as http:
        response = await http.post("/graphql", json={"query": query, "variables": variables})
    [message] = [e["message"] for e in response.json()["errors"]]
    assert "not to include unknown field" in message and "Found:" in message
    assert ("Did you mean" in message) is (env != "production")


async def test_unexpected_errors_are_masked(env: str) -> None:
    async with served(gateway_settings(env=env), bigcommerce=ExplodingTransport()) as http:
        response = await http.post("/graphql", json={
            "query": '{ cart(id: "gid://bigcommerce/Cart/abc") { id } }'})
        mutation = await http.post("/graphql", json={
            "query": 'mutation { cartDelete(cartId: "gid://bigcommerce/Cart/abc") '
                     "{ deletedCartId } }"})
    for answer in (response, mutation):
        assert answer.status_code == 200
        assert "internal detail" not in answer.text
        assert "Traceback" not in answer.text
        assert [e["message"] for e in answer.json()["errors"]] == [
            "Internal error in the gateway"]
