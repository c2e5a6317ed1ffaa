"""Vendor credentials never show: not in logs (even at DEBUG), answers, errors or reprs."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from gateway.app import create_app
from gateway.graphql.context import GatewayContext
from gateway.settings import Settings
from sandboxes.bigcommerce import create_sandbox_app as bigcommerce_sandbox
from sandboxes.elasticpath import create_sandbox_app as elasticpath_sandbox
from sandboxes.faults import FaultPlan
from tests.conftest import gateway_settings
from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio

STORE_HASH = "k7x2store"
BIGCOMMERCE_TOKEN = "bc0tok3n9f2a7d41c0ffee5e1b2d3a4c"
CLIENT_ID = "ep-client-4d1e7a"
CLIENT_SECRET = "ep5ecr3t8c41a9e2b7d6f0c3a5e1d2b4"
WRONG_SECRET = "ep5ecr3tWRONG0000aaaa1111bbbb2222"
SERVER_TOKEN = "srv5ecr3t0d4e7a1b9c2f6e3d8a5b0c7f1"
CUSTOMER_SECRET = "cust5ecr3t7b2e9d4a1c6f3e8b5d0a7c2f9e4"
# A signed-in customer's token, as a storefront's login would issue it.
CUSTOMER_TOKEN = jwt.encode({"sub": "42", "exp": int(time.time()) + 600}, CUSTOMER_SECRET,
                            algorithm="HS256")


class TokenRecorder(httpx.AsyncBaseTransport):
    """Passes requests through and remembers every access token the vendor issued."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.tokens: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path.endswith("/oauth/access_token"):
            body = await response.aread()
            token = json.loads(body).get("access_token") if response.status_code == 200 else None
            if token:
                self.tokens.add(token)
            return httpx.Response(response.status_code, headers=response.headers, content=body)
        return response


def live_settings(client_secret: str = CLIENT_SECRET, **overrides: Any) -> Settings:
    return gateway_settings(
        bigcommerce_store_hash=STORE_HASH, bigcommerce_access_token=BIGCOMMERCE_TOKEN,
        bigcommerce_api_url="http://api.bigcommerce.test",
        elasticpath_client_id=CLIENT_ID, elasticpath_client_secret=client_secret,
        elasticpath_api_url="http://api.elasticpath.test", server_tokens=SERVER_TOKEN,
        customer_token_secret=CUSTOMER_SECRET, **overrides,
    )


class Harness:
    """A gateway with real-looking credentials in front of sandboxes that demand them."""

    def __init__(self) -> None:
        self.sandboxes: dict[Backend, Starlette] = {
            Backend.BIGCOMMERCE: bigcommerce_sandbox(store_hash=STORE_HASH,
                                                     access_token=BIGCOMMERCE_TOKEN),
            Backend.ELASTIC_PATH: elasticpath_sandbox(client_id=CLIENT_ID,
                                                      client_secret=CLIENT_SECRET),
        }
        self.recorder = TokenRecorder(httpx.ASGITransport(app=self.sandboxes[Backend.ELASTIC_PATH]))
        self.answers: list[str] = []
        self.context: GatewayContext | None = None

    def transports(self) -> dict[Backend, httpx.AsyncBaseTransport]:
        return {Backend.BIGCOMMERCE: httpx.ASGITransport(app=self.sandboxes[Backend.BIGCOMMERCE]),
                Backend.ELASTIC_PATH: self.recorder}

    async def run(self, client: GraphQLClient, query: str, variables: dict[str, Any] | None = None
                  ) -> dict[str, Any]:
        response = await client.raw(query, variables)
        self.answers.append(response.text)
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def harness() -> Harness:
    return Harness()


async def serve(harness: Harness, settings: Settings) -> AsyncIterator[GraphQLClient]:
    app = create_app(settings, transports=harness.transports())
    async with app.router.lifespan_context(app):
        harness.context = app.state.gateway
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway",
                                     headers={"authorization": f"Bearer {SERVER_TOKEN}"}) as http:
            yield GraphQLClient(http)


PAYLOAD = "cart { id lines { id } } userErrors { code field message }"


async def every_operation(harness: Harness, client: GraphQLClient, backend: str) -> None:
    """Every mutation and the query, on one vendor, as a storefront would run them."""
    created = await harness.run(client, f"""mutation($input: CartCreateInput!) {{
        cartCreate(input: $input) {{ {PAYLOAD} }} }}""", {"input": {
        "backend": backend, "currencyCode": "USD", "lines": [{"sku": "MUG-ORBIT"}],
        "customLines": [{"name": "Engraving", "listPrice": "5.00"}],
        "discountCodes": ["SAVE10"]}})
    cart = created["data"]["cartCreate"]["cart"]
    assert cart is not None, created
    cart_id, line_id = cart["id"], cart["lines"][0]["id"]
    steps = [
        ("cartLinesAdd(cartId: $id, lines: [{sku: \"PENCIL-HB\", quantity: 2}])", PAYLOAD),
        (f"cartLinesUpdate(cartId: $id, lines: [{{id: \"{line_id}\", quantity: 3}}])", PAYLOAD),
        ("cartBuyerIdentityUpdate(cartId: $id, buyerIdentity: {email: \"b@example.com\"})",
         PAYLOAD),
        ("cartAttributesUpdate(cartId: $id, attributes: {description: \"gift\"})", PAYLOAD),
        (f"cartBuyerIdentityUpdate(cartId: $id, buyerIdentity: "
         f"{{customerAccessToken: \"{CUSTOMER_TOKEN}\"}})", PAYLOAD),
        (f"cartBuyerIdentityUpdate(cartId: $id, buyerIdentity: "
         f"{{customerAccessToken: \"{CUSTOMER_TOKEN[:-2]}xx\"}})", PAYLOAD),
        ("cartDiscountCodesUpdate(cartId: $id, discountCodes: [\"FIVEOFF\", \"NOPE\"])",
         PAYLOAD),
        (f"cartLinesRemove(cartId: $id, lineIds: [\"{line_id}\"])", PAYLOAD),
        ("cartCompare(input: {lines: [{sku: \"MUG-ORBIT\"}]}) "
         "{ results { backend userErrors { code message } } }", None),
    ]
    for call, selection in steps:
        field = call if selection is None else f"{call} {{ {selection} }}"
        await harness.run(client, f"mutation($id: ID!) {{ {field} }}", {"id": cart_id})
    await harness.run(client, "query($id: ID!) { cart(id: $id) { id totalQuantity } }",
                      {"id": cart_id})
    await harness.run(client, "{ backends { backend ready } }")
    for status in (401, 403, 500):
        for sandbox in harness.sandboxes.values():
            sandbox.state.faults.inject(FaultPlan("status", status=status, count=5))
        await harness.run(client, "query($id: ID!) { cart(id: $id) { id } }", {"id": cart_id})
        await harness.run(client, "mutation($id: ID!) { cartLinesAdd(cartId: $id, "
                          "lines: [{sku: \"MUG-ORBIT\"}]) { userErrors { code message } } }",
                          {"id": cart_id})
        for sandbox in harness.sandboxes.values():
            sandbox.state.faults.clear()
    mistyped = await client.http.post("/graphql", json={"query": "{ backends { backend } }"},
                                      headers={"authorization": f"Bearer {SERVER_TOKEN}x"})
    assert mistyped.status_code == 401
    harness.answers.append(mistyped.text)
    other = "ELASTIC_PATH" if backend == "BIGCOMMERCE" else "BIGCOMMERCE"
    await harness.run(client, f"mutation($id: ID!) {{ cartTransfer(cartId: $id, to: {other}, "
                      "deleteSource: true) { cart { id } userErrors { code message } } }",
                      {"id": cart_id})
    await harness.run(client, "mutation($id: ID!) { cartDelete(cartId: $id) "
                      "{ deletedCartId userErrors { code message } } }", {"id": cart_id})


def assert_hidden(secrets: set[str], *places: str) -> None:
    for place in places:
        for secret in secrets:
            assert secret not in place, f"a secret leaked into: {place[:300]}"


@pytest.mark.parametrize("env", ["development", "production"])
async def test_no_secret_anywhere_with_debug_logging(
    harness: Harness, caplog: pytest.LogCaptureFixture, env: str
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "cartgate", "strawberry", "adapters", "gateway"):
        caplog.set_level(logging.DEBUG, logger=name)
    settings = live_settings(env=env)
    async for client in serve(harness, settings):
        for backend in ("BIGCOMMERCE", "ELASTIC_PATH"):
            await every_operation(harness, client, backend)
        harness.answers.append((await client.http.get("/metrics")).text)
        context = harness.context
        assert context is not None
        reprs = [repr(settings), str(settings), repr(settings.model_dump()),
                 settings.model_dump_json(), repr(context.customer_tokens)]
        for cart_backend in context.backends.values():
            # The backend, its vendor client and (Elastic Path) its token source.
            parts = [cart_backend, getattr(cart_backend, "_client", None),
                     getattr(cart_backend, "_tokens", None)]
            reprs += [text for part in parts if part is not None
                      for text in (repr(part), str(part))]
    assert harness.recorder.tokens, "the Elastic Path sandbox issued no token"
    secrets = {BIGCOMMERCE_TOKEN, CLIENT_SECRET, SERVER_TOKEN, CUSTOMER_SECRET, CUSTOMER_TOKEN,
               *harness.recorder.tokens}
    records = [f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records]
    assert_hidden(secrets, caplog.text, *records, *harness.answers, *reprs)
    assert any(r.name == "httpx" for r in caplog.records), "httpx logged nothing at DEBUG"


async def test_a_refused_secret_is_not_echoed(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async for client in serve(harness, live_settings(client_secret=WRONG_SECRET)):
        answer = await harness.run(
            client, "mutation { cartCreate(input: {backend: ELASTIC_PATH}) "
                    "{ userErrors { code message } } }")
        query = await harness.run(client, '{ cart(id: "gid://elasticpath/Cart/abc") { id } }')
    assert answer["data"]["cartCreate"]["userErrors"][0]["code"] == "BACKEND_UNAUTHORIZED"
    assert query["errors"][0]["extensions"]["code"] == "BACKEND_UNAUTHORIZED"
    assert_hidden({WRONG_SECRET, CLIENT_SECRET}, caplog.text, *harness.answers)


def test_server_and_customer_secrets_never_show_in_reprs() -> None:
    from gateway.access.callers import ServerTokens
    from gateway.access.customer_tokens import CustomerTokens

    tokens = ServerTokens([SERVER_TOKEN, "srv-second-token-000000000000000000"])
    customers = CustomerTokens(secret=CUSTOMER_SECRET)
    settings = live_settings()
    shown = [repr(tokens), str(tokens), repr(customers), str(customers), repr(settings),
             settings.model_dump_json()]
    assert_hidden({SERVER_TOKEN, "srv-second-token-000000000000000000", CUSTOMER_SECRET},
                  *shown)
    assert tokens.match(SERVER_TOKEN) and not tokens.match(SERVER_TOKEN + "x")
