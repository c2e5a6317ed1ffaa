"""Elastic Path tokens shared through Redis: one token and one refresh for every process."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from redis.asyncio import Redis

from adapters.elasticpath.adapter import ElasticPathBackend
from adapters.shared_state.state import KEY_PREFIX, RedisState, namespace
from adapters.shared_state.tokens import CachedToken, LocalTokenCache
from sandboxes.elasticpath import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    create_sandbox_app,
)
from tests.support import CountingTransport

pytestmark = pytest.mark.anyio

API_URL = "http://ep.test"
TOKEN_PATH = "/oauth/access_token"
PROCESSES = 2


@pytest.fixture
async def states(redis_url: str) -> AsyncIterator[list[RedisState]]:
    """The shared state of two gateway processes: two clients of one Redis."""
    made = [RedisState(url=redis_url, lock_ttl=5, lock_wait=5) for _ in range(PROCESSES)]
    yield made
    for state in made:
        await state.aclose()


def _backends(states: list[RedisState], traffic: CountingTransport) -> list[ElasticPathBackend]:
    return [ElasticPathBackend(api_url=API_URL, client_id=SANDBOX_CLIENT_ID,
                               client_secret=SANDBOX_CLIENT_SECRET, timeout=5.0, sandbox=True,
                               transport=traffic, shared=state) for state in states]


def _token_requests(traffic: CountingTransport) -> int:
    return sum(1 for r in traffic.requests if r.url.path == TOKEN_PATH)


def _bearers(traffic: CountingTransport) -> set[str]:
    return {r.headers["authorization"] for r in traffic.requests if r.url.path != TOKEN_PATH}


async def test_local_cache_fetches_once_for_concurrent_callers() -> None:
    cache = LocalTokenCache()
    fetches = 0

    async def fetch() -> CachedToken:
        nonlocal fetches
        fetches += 1
        await asyncio.sleep(0.01)
        return CachedToken(value=f"token-{fetches}", renew_at=time.time() + 60)

    got = await asyncio.gather(*(cache.replace(fetch, keep=lambda t: True) for _ in range(10)))
    assert {t.value for t in got} == {"token-1"}
    renewed = await cache.replace(fetch, keep=lambda t: t.value != "token-1")
    assert (renewed.value, fetches) == ("token-2", 2)
    assert "token-2" not in repr(cache) + repr(renewed)


async def test_every_process_uses_one_token(states: list[RedisState]) -> None:
    traffic = CountingTransport(httpx.ASGITransport(app=create_sandbox_app()))
    backends = _backends(states, traffic)
    reads = [b.get_cart(f"c{i}") for i in range(20) for b in backends]
    assert await asyncio.gather(*reads) == [None] * 40
    for backend in backends:
        await backend.aclose()
    assert _token_requests(traffic) == 1
    assert len(_bearers(traffic)) == 1


async def test_a_refused_token_is_refreshed_once_for_every_process(
    states: list[RedisState],
) -> None:
    # The sandbox's clock jumps past the token's hour while the gateway's does not: the
    # cached token looks alive to both processes and is refused by the vendor. Nothing
    # real-time is involved, so a loaded machine cannot expire the second token too.
    now = [datetime.now(UTC)]
    app = create_sandbox_app(token_ttl=timedelta(hours=1), clock=lambda: now[0])
    traffic = CountingTransport(httpx.ASGITransport(app=app))
    backends = _backends(states, traffic)
    await asyncio.gather(*(b.get_cart("c0") for b in backends))
    now[0] += timedelta(hours=2)
    reads = [b.get_cart(f"c{i}") for i in range(10) for b in backends]
    assert await asyncio.gather(*reads) == [None] * 20
    for backend in backends:
        await backend.aclose()
    assert _token_requests(traffic) == 2
    refused = [r for r in traffic.requests if r.url.path != TOKEN_PATH]
    assert len({r.headers["authorization"] for r in refused}) == 2


async def test_a_dead_refresher_holds_others_only_until_its_lock_expires(
    states: list[RedisState], redis_url: str,
) -> None:
    prefix = f"{KEY_PREFIX}:{namespace('elasticpath', API_URL, SANDBOX_CLIENT_ID)}"
    client = Redis.from_url(redis_url)
    await client.set(f"{prefix}:token-refresh", "a process that died", px=300)
    await client.aclose()
    traffic = CountingTransport(httpx.ASGITransport(app=create_sandbox_app()))
    [backend, _] = _backends(states, traffic)
    started = time.monotonic()
    assert await backend.get_cart("c1") is None
    waited = time.monotonic() - started
    await backend.aclose()
    assert _token_requests(traffic) == 1
    assert 0.2 < waited < 2.0


async def test_redis_holds_neither_secret_nor_client_id_in_its_keys(
    states: list[RedisState], redis_url: str,
) -> None:
    traffic = CountingTransport(httpx.ASGITransport(app=create_sandbox_app()))
    [backend, _] = _backends(states, traffic)
    await backend.get_cart("c1")
    await backend.aclose()
    client = Redis.from_url(redis_url)
    # redis-py types a key as bytes or str; this client (no decode_responses) gets bytes.
    keys = [key.decode() if isinstance(key, bytes) else key for key in await client.keys("*")]
    values = [await client.get(key) for key in keys]
    await client.aclose()
    assert len(keys) == 1 and keys[0].endswith(":token")
    assert SANDBOX_CLIENT_ID not in keys[0] and SANDBOX_CLIENT_SECRET not in keys[0]
    assert all(SANDBOX_CLIENT_SECRET.encode() not in (value or b"") for value in values)
    assert "token" not in repr(states[0]).lower()
