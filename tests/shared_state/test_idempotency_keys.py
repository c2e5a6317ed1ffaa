"""Idempotency-Key on /graphql: retries replay the first answer, in process or via Redis."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from adapters.model import Backend
from adapters.shared_state.idempotency import LocalIdempotencyStore
from gateway.app import create_app
from gateway.http.idempotency import Idempotency
from tests.conftest import gateway_settings
from tests.support import PAYLOAD, CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

ADD = f"""mutation($id: ID!, $lines: [CartLineInput!]) {{
  cartLinesAdd(cartId: $id, lines: $lines) {{ {PAYLOAD} }}
}}"""
READ = "query($id: ID!) { cart(id: $id) { totalQuantity } }"


@pytest.fixture(params=["memory", "redis"])
async def gateway_http(request: pytest.FixtureRequest,
                       vendor_traffic: dict[Backend, CountingTransport],
                       ) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway in process, keeping its idempotency records in memory or in Redis."""
    options: dict[str, Any] = {}
    if request.param == "redis":
        options["redis_url"] = request.getfixturevalue("redis_url")
    app = create_app(gateway_settings(**options), transports=dict(vendor_traffic))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            yield http


def _add(cart_id: str, quantity: int) -> bytes:
    return json.dumps({"query": ADD, "variables": {
        "id": cart_id, "lines": [{"sku": "PENCIL-HB", "quantity": quantity}]}}).encode()


async def _post(http: httpx.AsyncClient, body: bytes, key: str | None) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if key is not None:
        headers["idempotency-key"] = key
    return await http.post("/graphql", content=body, headers=headers)


async def _cart(http: httpx.AsyncClient, backend_name: str) -> str:
    # One mug: BigCommerce keeps no empty cart.
    created = await GraphQLClient(http).create({"backend": backend_name, "currencyCode": "USD",
                                                "lines": [{"sku": "MUG-ORBIT"}]})
    cart_id: str = created["cart"]["id"]
    return cart_id


async def _quantity(http: httpx.AsyncClient, cart_id: str) -> int:
    data = await GraphQLClient(http).execute(READ, {"id": cart_id})
    quantity: int = data["cart"]["totalQuantity"]
    return quantity


@pytest.mark.parametrize("backend_name", ["BIGCOMMERCE", "ELASTIC_PATH"])
async def test_a_retry_replays_the_first_answer_and_adds_once(
    gateway_http: httpx.AsyncClient, backend_name: str,
) -> None:
    cart_id = await _cart(gateway_http, backend_name)
    first = await _post(gateway_http, _add(cart_id, 2), "add-1")
    retry = await _post(gateway_http, _add(cart_id, 2), "add-1")
    assert first.status_code == retry.status_code == 200
    assert retry.content == first.content
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert retry.headers["content-type"] == first.headers["content-type"]
    assert await _quantity(gateway_http, cart_id) == 1 + 2


async def test_the_same_key_with_another_body_is_refused(
    gateway_http: httpx.AsyncClient,
) -> None:
    cart_id = await _cart(gateway_http, "ELASTIC_PATH")
    await _post(gateway_http, _add(cart_id, 1), "add-1")
    reused = await _post(gateway_http, _add(cart_id, 5), "add-1")
    assert reused.status_code == 422
    [error] = reused.json()["errors"]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await _quantity(gateway_http, cart_id) == 1 + 1


async def test_concurrent_requests_with_one_key_change_the_cart_once(
    gateway_http: httpx.AsyncClient,
) -> None:
    cart_id = await _cart(gateway_http, "ELASTIC_PATH")
    answers = await asyncio.gather(*(_post(gateway_http, _add(cart_id, 3), "burst")
                                     for _ in range(8)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 7
    assert await _quantity(gateway_http, cart_id) == 1 + 3


async def test_requests_without_a_key_and_queries_are_not_recorded(
    gateway_http: httpx.AsyncClient,
) -> None:
    cart_id = await _cart(gateway_http, "ELASTIC_PATH")
    await _post(gateway_http, _add(cart_id, 1), None)
    await _post(gateway_http, _add(cart_id, 1), None)
    read = json.dumps({"query": READ, "variables": {"id": cart_id}}).encode()
    first = await _post(gateway_http, read, "read-1")
    await _post(gateway_http, _add(cart_id, 1), None)
    second = await _post(gateway_http, read, "read-1")
    assert "idempotent-replayed" not in second.headers
    assert (first.json()["data"]["cart"]["totalQuantity"],
            second.json()["data"]["cart"]["totalQuantity"]) == (1 + 2, 1 + 3)


async def test_an_overlong_key_is_a_client_error(gateway_http: httpx.AsyncClient) -> None:
    answer = await _post(gateway_http, _add("gid://elasticpath/Cart/x", 1), "k" * 256)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_INVALID"


class SlowMutation:
    """An ASGI app that answers each request after ``delay`` s, or fails the first time."""

    def __init__(self, *, delay: float = 0.0, fail_first: bool = False,
                 status: int = 200) -> None:
        self.delay = delay
        self.status = status
        self.fail_first = fail_first
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await receive()
        if self.fail_first and self.calls == 1:
            raise RuntimeError("the first attempt crashed")
        await asyncio.sleep(self.delay)
        body = json.dumps({"data": {"call": self.calls}}).encode()
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})


MUTATION = json.dumps({"query": "mutation { cartDelete(cartId: \"x\") { deletedCartId } }"})


def _client(app: SlowMutation, *, wait: float) -> httpx.AsyncClient:
    guarded = Idempotency(app, store=LocalIdempotencyStore(), ttl=60, wait=wait)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=guarded), base_url="http://g")


async def test_a_retry_during_the_first_request_waits_for_its_answer() -> None:
    app = SlowMutation(delay=0.2)
    async with _client(app, wait=5) as http:

        async def retry_soon() -> httpx.Response:
            await asyncio.sleep(0.05)
            return await _post(http, MUTATION.encode(), "k")

        first, retry = await asyncio.gather(_post(http, MUTATION.encode(), "k"), retry_soon())
    assert app.calls == 1
    assert first.content == retry.content


async def test_a_retry_that_waits_too_long_is_a_conflict() -> None:
    app = SlowMutation(delay=0.5)
    async with _client(app, wait=0.1) as http:
        first, retry = await asyncio.gather(_post(http, MUTATION.encode(), "k"),
                                            _post(http, MUTATION.encode(), "k"))
    codes = sorted([first.status_code, retry.status_code])
    assert codes == [200, 409]
    conflict = first if first.status_code == 409 else retry
    assert conflict.json()["errors"][0]["extensions"]["code"] == \
        "IDEMPOTENCY_REQUEST_IN_PROGRESS"
    assert app.calls == 1


async def test_a_request_that_crashed_holds_its_key_and_never_runs_again() -> None:
    app = SlowMutation(fail_first=True)
    async with _client(app, wait=1) as http:
        with pytest.raises(RuntimeError):
            await _post(http, MUTATION.encode(), "k")
        retry = await _post(http, MUTATION.encode(), "k")
    assert app.calls == 1
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_REQUEST_FAILED"


async def test_a_5xx_answer_is_kept_and_replayed_not_run_again() -> None:
    app = SlowMutation(status=503)
    async with _client(app, wait=1) as http:
        first = await _post(http, MUTATION.encode(), "k")
        retry = await _post(http, MUTATION.encode(), "k")
    assert (first.status_code, retry.status_code, app.calls) == (503, 503, 1)
    assert retry.content == first.content


async def test_browsers_may_send_the_key_and_read_the_replay_header(
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    origin = "https://shop.example"
    app = create_app(gateway_settings(cors_origins=origin), transports=dict(vendor_traffic))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            preflight = await http.options("/graphql", headers={
                "origin": origin, "access-control-request-method": "POST",
                "access-control-request-headers": "content-type, idempotency-key"})
            cart_id = await _cart(http, "ELASTIC_PATH")
            answer = await http.post("/graphql", content=_add(cart_id, 1), headers={
                "origin": origin, "content-type": "application/json",
                "idempotency-key": "cors-1"})
    assert preflight.status_code == 200
    assert "idempotency-key" in preflight.headers["access-control-allow-headers"].lower()
    assert answer.headers["access-control-expose-headers"].lower() == \
        "idempotent-replayed, x-request-id"
