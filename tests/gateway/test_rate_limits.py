"""Per-caller limits on vendor calls: a bounded loop from one address is held to its rate,
refused requests make no vendor call, and the answer says when to come back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.model import Backend
from tests.gateway.conftest import Callers, serve_callers
from tests.support import PAYLOAD, CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

RATE = 5.0  # vendor calls per second
BURST = 2.0  # seconds of calls a quiet caller may spend at once
CAPACITY = RATE * BURST
LOOP = 60
PAUSE = 0.05  # the loop asks 20 times a second, four times the rate
READ = "query($id: ID!) { cart(id: $id) { id totalQuantity } }"
ADD = ("mutation($id: ID!) { cartLinesAdd(cartId: $id, lines: [{sku: \"MUG-ORBIT\"}]) "
       f"{{ {PAYLOAD} }} }}")


@pytest.fixture
async def limited(vendor_traffic: dict[Backend, CountingTransport]) -> AsyncIterator[Callers]:
    """Storefront callers held to RATE per address; the per-cart limit is tested apart."""
    async for served in serve_callers(
            vendor_traffic, storefront_calls_per_second=RATE, cart_calls_per_second=0,
            server_calls_per_second=1000, rate_limit_burst=BURST,
            trusted_proxies=["127.0.0.1"]):
        yield served


async def _cart(callers: Callers) -> str:
    created = await callers.trusted.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                            "lines": [{"sku": "PENCIL-HB"}]})
    cart_id: str = created["cart"]["id"]
    return cart_id


async def read_loop(client: GraphQLClient, cart_id: str, count: int,
                    headers: dict[str, str] | None = None,
                    pause: float = 0.0) -> tuple[int, int, set[str]]:
    """(allowed, refused, Retry-After values) for ``count`` reads in a row, ``pause``
    seconds apart.
    """
    allowed = refused = 0
    waits: set[str] = set()
    for index in range(count):
        if index and pause:
            await asyncio.sleep(pause)
        response = await client.http.post("/graphql", json={"query": READ,
                                                            "variables": {"id": cart_id}},
                                          headers=headers or {})
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            assert [e["extensions"]["code"] for e in body["errors"]] == ["RATE_LIMITED"], body
            assert body["data"] == {"cart": None}
            waits.add(response.headers["retry-after"])
            refused += 1
        else:
            assert body["data"]["cart"]["id"] == cart_id
            assert "retry-after" not in response.headers
            allowed += 1
    return allowed, refused, waits


async def test_one_address_is_held_to_its_rate(limited: Callers) -> None:
    cart_id = await _cart(limited)
    before = limited.vendor_requests()
    started = time.monotonic()
    allowed, refused, waits = await read_loop(limited.storefront, cart_id, LOOP, pause=PAUSE)
    elapsed = time.monotonic() - started
    calls = limited.vendor_requests() - before
    ceiling = CAPACITY + RATE * elapsed
    print(f"\none process, one address, {LOOP} reads in {elapsed:.2f} s, limit {RATE:g} calls/s "
          f"(burst {CAPACITY:g}): allowed {allowed}, refused {refused}, vendor calls {calls} "
          f"(ceiling {ceiling:.1f})")
    assert calls == allowed  # one vendor call per read; a refused read made none
    assert CAPACITY <= allowed <= ceiling
    assert refused == LOOP - allowed and refused > 0
    assert waits == {"1"}
    assert allowed > CAPACITY  # the bucket refilled at its rate while the loop ran


async def test_another_address_and_trusted_callers_have_their_own_buckets(
        limited: Callers) -> None:
    cart_id = await _cart(limited)
    spent, _, _ = await read_loop(limited.storefront, cart_id, 30)
    assert spent < 30
    # Behind the trusted proxy, the forwarded client is another address: a full bucket.
    other, _, _ = await read_loop(limited.storefront, cart_id, int(CAPACITY),
                                  headers={"x-forwarded-for": "203.0.113.9"})
    assert other == CAPACITY
    trusted, refused, _ = await read_loop(limited.trusted, cart_id, 30)
    assert (trusted, refused) == (30, 0)


async def test_a_refused_mutation_says_when_to_come_back_and_changes_nothing(
        vendor_traffic: dict[Backend, CountingTransport]) -> None:
    # One call a second: a stalled machine would need a whole second between the refused
    # read and the add to refill the bucket in between.
    async for served in serve_callers(
            vendor_traffic, storefront_calls_per_second=1.0, cart_calls_per_second=0,
            rate_limit_burst=BURST, trusted_proxies=["127.0.0.1"]):
        cart_id = await _cart(served)
        refused = 0
        for _ in range(20):
            refused = (await read_loop(served.storefront, cart_id, 1))[1]
            if refused:
                break
        assert refused == 1
        before = served.vendor_requests()
        headers = {"idempotency-key": "add-mug-1"}
        response = await served.storefront.http.post(
            "/graphql", json={"query": ADD, "variables": {"id": cart_id}}, headers=headers)
        payload = response.json()["data"]["cartLinesAdd"]
        assert payload["cart"] is None
        assert [e["code"] for e in payload["userErrors"]] == ["RATE_LIMITED"]
        assert int(response.headers["retry-after"]) >= 1
        assert served.vendor_requests() == before
        # Nothing ran, so nothing was kept under the key: a retry after the wait runs.
        time.sleep(float(response.headers["retry-after"]) + 0.2)
        again = await served.storefront.http.post(
            "/graphql", json={"query": ADD, "variables": {"id": cart_id}}, headers=headers)
        assert "idempotent-replayed" not in again.headers
        assert again.json()["data"]["cartLinesAdd"]["userErrors"] == []


async def test_one_cart_is_limited_whatever_the_address(
        vendor_traffic: dict[Backend, CountingTransport]) -> None:
    async for served in serve_callers(
            vendor_traffic, storefront_calls_per_second=0, cart_calls_per_second=RATE,
            rate_limit_burst=BURST, trusted_proxies=["127.0.0.0/8"]):
        cart_id = await _cart(served)
        allowed = 0
        for index in range(30):  # a new address each time
            got, _, _ = await read_loop(served.storefront, cart_id, 1,
                                        headers={"x-forwarded-for": f"198.51.100.{index}"})
            allowed += got
        assert CAPACITY <= allowed < 30
        other = await _cart(served)
        assert (await read_loop(served.storefront, other, 1))[0] == 1


async def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(
        vendor_traffic: dict[Backend, CountingTransport]) -> None:
    async for served in serve_callers(vendor_traffic, storefront_calls_per_second=RATE,
                                      cart_calls_per_second=0, rate_limit_burst=BURST):
        cart_id = await _cart(served)
        allowed = 0
        for index in range(30):
            got, _, _ = await read_loop(served.storefront, cart_id, 1,
                                        headers={"x-forwarded-for": f"198.51.100.{index}"})
            allowed += got
        assert allowed < 30  # one bucket: the socket peer's
