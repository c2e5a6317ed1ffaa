"""Two gateway processes sharing one Redis hold one storefront address to one rate: the
vendor calls they make together stay within a single bucket's allowance.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from adapters.model import Backend
from sandboxes.loopback import LoopbackServer, sandbox_app
from tests.gateway.test_rate_limits import READ
from tests.redis_server import RedisServer
from tests.scaling.conftest import GatewayProcess

pytestmark = pytest.mark.anyio

SERVER_TOKEN = "srv-2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e"
RATE = 5.0
BURST = 2.0
CAPACITY = RATE * BURST
LOOP = 60
PAUSE = 0.05


class CountedSandbox:
    """A vendor sandbox that counts every request it is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.requests += 1
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def counted_sandbox() -> Iterator[tuple[CountedSandbox, str]]:
    counted = CountedSandbox(sandbox_app(Backend.BIGCOMMERCE))
    server = LoopbackServer(counted).start()
    yield counted, server.url
    server.stop()


def _processes(redis: str | None, sandbox_url: str) -> list[GatewayProcess]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARTGATE_")}
    env |= {
        "CARTGATE_BIGCOMMERCE_SANDBOX_URL": sandbox_url,
        "CARTGATE_SERVER_TOKENS": SERVER_TOKEN,
        "CARTGATE_STOREFRONT_CALLS_PER_SECOND": str(RATE),
        "CARTGATE_CART_CALLS_PER_SECOND": "0",
        "CARTGATE_RATE_LIMIT_BURST": str(BURST),
    }
    if redis is not None:
        env["CARTGATE_REDIS_URL"] = redis
    processes = [GatewayProcess(name, env) for name in ("A", "B")]
    for process in processes:
        process.wait_ready()
    return processes


@pytest.mark.parametrize("shared", [True, False], ids=["redis", "no redis"])
async def test_two_processes_share_one_address_bucket(
        redis_server: RedisServer, counted_sandbox: tuple[CountedSandbox, str],
        shared: bool) -> None:
    redis_server.flush()
    counted, url = counted_sandbox
    processes = _processes(redis_server.url if shared else None, url)
    try:
        async with httpx.AsyncClient(base_url=processes[0].url, timeout=30) as a, \
                httpx.AsyncClient(base_url=processes[1].url, timeout=30) as b:
            created = await a.post("/graphql", headers={
                "authorization": f"Bearer {SERVER_TOKEN}"}, json={
                "query": "mutation { cartCreate(input: {backend: BIGCOMMERCE, "
                         "lines: [{sku: \"MUG-ORBIT\"}]}) { cart { id } } }"})
            cart_id = created.json()["data"]["cartCreate"]["cart"]["id"]
            before = counted.requests
            allowed = refused = 0
            started = time.monotonic()
            for index in range(LOOP):  # the load balancer alternates between A and B
                if index:
                    await asyncio.sleep(PAUSE)
                response = await (a, b)[index % 2].post("/graphql", json={
                    "query": READ, "variables": {"id": cart_id}})
                body = response.json()
                if body.get("errors"):
                    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
                    assert response.headers["retry-after"] == "1"
                    refused += 1
                else:
                    assert body["data"]["cart"]["id"] == cart_id
                    allowed += 1
            elapsed = time.monotonic() - started
            calls = counted.requests - before
    finally:
        for process in processes:
            process.stop()
    ceiling = CAPACITY + RATE * elapsed
    print(f"\ntwo processes {'sharing Redis' if shared else 'without Redis'}, one address, "
          f"{LOOP} reads in {elapsed:.2f} s, limit {RATE:g} calls/s (burst {CAPACITY:g}): "
          f"allowed {allowed}, refused {refused}, vendor calls {calls} "
          f"(one bucket's ceiling {ceiling:.1f})")
    assert calls == allowed and refused == LOOP - allowed
    if shared:
        assert CAPACITY <= allowed <= ceiling + 1
    else:
        # Each process keeps its own full bucket: together they let at least both through.
        assert allowed >= 2 * CAPACITY
