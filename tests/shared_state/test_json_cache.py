"""The JSON value store (adapters/shared_state/json_cache.py and redis_json_cache.py):
bounded, expiring, and shared by every process when it lives in Redis; as the catalog
cache a failing Redis is a miss, as the records that are the only copy it is an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.bigcommerce.adapter import BigCommerceBackend
from adapters.errors import ServiceUnavailable
from adapters.model import LineToAdd, NewCart
from adapters.shared_state.json_cache import LocalJsonCache
from adapters.shared_state.state import RedisState, SharedState
from sandboxes.bigcommerce import (
    SANDBOX_ACCESS_TOKEN,
    SANDBOX_STORE_HASH,
    create_sandbox_app,
)
from tests.support import CountingTransport

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_value_expires_after_its_ttl() -> None:
    clock = Clock()
    cache = LocalJsonCache(ttl=60, clock=clock)
    await cache.put("a", {"id": 1})
    clock.now += 59.9
    assert await cache.get("a") == {"id": 1}
    clock.now += 0.1
    assert await cache.get("a") is None
    assert len(cache) == 0


async def test_the_least_recently_used_value_goes_first_when_full() -> None:
    cache = LocalJsonCache(ttl=60, max_entries=2)
    await cache.put("a", 1)
    await cache.put("b", 2)
    assert await cache.get("a") == 1
    await cache.put("c", 3)
    assert (await cache.get("a"), await cache.get("b"), await cache.get("c")) == (1, None, 3)
    await cache.evict("c")
    assert await cache.get("c") is None


async def test_a_ttl_of_zero_remembers_nothing() -> None:
    cache = LocalJsonCache(ttl=0)
    await cache.put("a", 1)
    assert await cache.get("a") is None


async def test_many_values_at_once_are_each_as_get_gives_it() -> None:
    clock = Clock()
    cache = LocalJsonCache(ttl=60, clock=clock)
    await cache.put("a", {"id": 1})
    await cache.put("b", [2])
    assert await cache.get_many(["b", "missing", "a"]) == [[2], None, {"id": 1}]
    clock.now += 60
    assert await cache.get_many(["a", "b"]) == [None, None]
    assert len(cache) == 0


@pytest.fixture
async def state(redis_url: str) -> AsyncIterator[RedisState]:
    state = RedisState(url=redis_url, lock_ttl=5.0, lock_wait=5.0)
    yield state
    await state.aclose()


async def test_redis_values_expire_and_can_be_evicted(state: RedisState) -> None:
    cache = state.cache("store", ttl=0.2)
    await cache.put("sku", {"id": 7, "product_id": 3})
    assert await state.cache("store", ttl=0.2).get("sku") == {"id": 7, "product_id": 3}
    assert await state.cache("other-store", ttl=0.2).get("sku") is None
    await asyncio.sleep(0.4)
    assert await cache.get("sku") is None
    await cache.put("sku", [1])
    await cache.evict("sku")
    assert await cache.get("sku") is None


async def test_redis_gives_many_values_in_one_call(state: RedisState) -> None:
    cache = state.cache("store", ttl=60)
    await cache.put("a", {"id": 1})
    await cache.put("c", [3])
    await state.cache("other-store", ttl=60).put("b", 2)
    assert await cache.get_many(["a", "b", "c"]) == [{"id": 1}, None, [3]]
    assert await cache.get_many([]) == []
    assert await state.cache("store", ttl=0).get_many(["a"]) == [None]


async def test_a_sku_one_process_resolved_costs_another_no_lookup(state: RedisState) -> None:
    traffic = CountingTransport(httpx.ASGITransport(app=create_sandbox_app()))
    backends = [
        BigCommerceBackend(api_url="http://bc.test", store_hash=SANDBOX_STORE_HASH,
                           access_token=SANDBOX_ACCESS_TOKEN, timeout=5.0, sandbox=True,
                           transport=traffic, catalog=state.cache("store", ttl=60))
        for _ in range(2)
    ]
    for backend in backends:
        await backend.create_cart(NewCart(lines=(LineToAdd(1, sku="PENCIL-HB"),)))
    lookups = [r for r in traffic.requests if r.url.path.endswith("/catalog/variants")]
    assert len(lookups) == 1
    for backend in backends:
        await backend.aclose()


async def test_an_unreachable_redis_is_a_miss_not_an_error() -> None:
    from tests.redis_server import free_port

    state = RedisState(url=f"redis://127.0.0.1:{free_port()}/0", lock_ttl=5.0, lock_wait=5.0)
    cache = state.cache("store", ttl=60)
    await cache.put("sku", {"id": 1})
    assert await cache.get("sku") is None
    assert await cache.get_many(["sku", "other"]) == [None, None]
    await cache.evict("sku")
    await state.aclose()


async def test_a_redis_that_does_not_answer_is_a_quick_miss() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(-1)  # takes every command, answers none
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    state = RedisState(url=f"redis://127.0.0.1:{port}/0", lock_ttl=5.0, lock_wait=5.0)
    cache = state.cache("store", ttl=60)
    started = asyncio.get_running_loop().time()
    await cache.put("sku", {"id": 1})
    assert await cache.get("sku") is None
    await cache.evict("sku")
    assert asyncio.get_running_loop().time() - started < 2.0
    await state.aclose()
    server.close()
    await server.wait_closed()


async def test_records_in_an_unreachable_redis_are_an_error_not_a_miss() -> None:
    from tests.redis_server import free_port

    state = RedisState(url=f"redis://127.0.0.1:{free_port()}/0", lock_ttl=5.0, lock_wait=5.0)
    records = state.records("store", ttl=60)
    with pytest.raises(ServiceUnavailable):
        await records.put("held-1", {"id": "held-1"})
    with pytest.raises(ServiceUnavailable):
        await records.get("held-1")
    with pytest.raises(ServiceUnavailable):
        await records.get_many(["held-1"])
    with pytest.raises(ServiceUnavailable):
        await records.evict("held-1")
    await state.aclose()


async def test_redis_records_and_cache_of_one_namespace_are_apart(state: RedisState) -> None:
    records, cache = state.records("store", ttl=60), state.cache("store", ttl=60)
    await records.put("key", {"held": True})
    assert await cache.get("key") is None
    assert await state.records("store", ttl=60).get("key") == {"held": True}


async def test_a_process_keeps_one_store_per_namespace_and_use() -> None:
    state = SharedState()
    await state.records("store", ttl=60).put("key", {"held": True})
    await state.cache("store", ttl=60).put("key", {"id": 7})
    assert await state.records("store", ttl=60).get("key") == {"held": True}
    assert await state.cache("store", ttl=60).get("key") == {"id": 7}
    assert await state.cache("other-store", ttl=60).get("key") is None
