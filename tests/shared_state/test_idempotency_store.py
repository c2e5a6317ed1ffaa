"""Idempotency records, the same behaviour in process and in Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from adapters.shared_state.idempotency import (
    IdempotencyStore,
    LocalIdempotencyStore,
    StoredResponse,
)
from adapters.shared_state.redis_idempotency import RedisIdempotencyStore

pytestmark = pytest.mark.anyio

ANSWER = StoredResponse(200, ((b"content-type", b"application/json"),
                              (b"x-latin", "caf\u00e9".encode("latin-1"))), b'{"data": {}}\xff')


@pytest.fixture(params=["memory", "redis"])
async def stores(request: pytest.FixtureRequest) -> AsyncIterator[list[IdempotencyStore]]:
    """Two views of one store: the same object in process, two clients of one Redis."""
    if request.param == "memory":
        store = LocalIdempotencyStore()
        yield [store, store]
        return
    url: str = request.getfixturevalue("redis_url")
    clients = [Redis.from_url(url), Redis.from_url(url)]
    yield [RedisIdempotencyStore(client, prefix="cartgate:test") for client in clients]
    for client in clients:
        await client.aclose()


async def test_first_claim_runs_and_its_answer_is_replayed(
    stores: list[IdempotencyStore],
) -> None:
    first, other = stores
    claim = await first.claim("k1", "fp-a", running_ttl=30)
    assert claim.state == "started" and claim.owner
    assert (await other.claim("k1", "fp-a", running_ttl=30)).state == "running"
    await first.complete("k1", claim, ANSWER, ttl=30)
    done = await other.claim("k1", "fp-a", running_ttl=30)
    assert (done.state, done.response) == ("done", ANSWER)


async def test_another_body_under_the_same_key_is_a_mismatch(
    stores: list[IdempotencyStore],
) -> None:
    first, other = stores
    claim = await first.claim("k1", "fp-a", running_ttl=30)
    assert (await other.claim("k1", "fp-b", running_ttl=30)).state == "mismatch"
    await first.complete("k1", claim, ANSWER, ttl=30)
    assert (await other.claim("k1", "fp-b", running_ttl=30)).state == "mismatch"
    assert (await other.claim("k2", "fp-b", running_ttl=30)).state == "started"


async def test_released_or_expired_claims_free_the_key(stores: list[IdempotencyStore]) -> None:
    first, other = stores
    claim = await first.claim("k1", "fp-a", running_ttl=30)
    await first.release("k1", claim)
    again = await other.claim("k1", "fp-a", running_ttl=0.1)
    assert again.state == "started"
    await asyncio.sleep(0.15)
    late = await first.claim("k1", "fp-a", running_ttl=30)
    assert late.state == "started"
    # The expired claim's owner can neither complete nor release the new one.
    await other.complete("k1", again, ANSWER, ttl=30)
    await other.release("k1", again)
    assert (await other.claim("k1", "fp-a", running_ttl=30)).state == "running"


async def test_answers_expire_after_their_ttl(stores: list[IdempotencyStore]) -> None:
    first, other = stores
    claim = await first.claim("k1", "fp-a", running_ttl=30)
    await first.complete("k1", claim, ANSWER, ttl=0.1)
    await asyncio.sleep(0.15)
    assert (await other.claim("k1", "fp-b", running_ttl=30)).state == "started"


async def test_only_one_of_many_concurrent_claims_starts(
    stores: list[IdempotencyStore],
) -> None:
    claims = await asyncio.gather(*(stores[i % 2].claim("k1", "fp-a", running_ttl=30)
                                    for i in range(20)))
    assert sorted(c.state for c in claims) == ["running"] * 19 + ["started"]


async def test_a_local_store_forgets_expired_records() -> None:
    store = LocalIdempotencyStore()
    for index in range(5):
        await store.claim(f"k{index}", "fp", running_ttl=0.05)
    await asyncio.sleep(0.06)
    await store.claim("fresh", "fp", running_ttl=30)
    assert len(store) == 1


async def test_records_in_process_are_bounded_by_bytes_least_recently_used_first() -> None:
    budget = 200_000
    store = LocalIdempotencyStore(max_bytes=budget)
    answer = StoredResponse(200, ((b"content-type", b"application/json"),), b"x" * 1000)
    claims = {}
    for n in range(1000):
        claims[n] = await store.claim(f"key-{n}", "f", running_ttl=60)
        await store.complete(f"key-{n}", claims[n], answer, ttl=3600)
        if n == 10:
            running = await store.claim("running", "f", running_ttl=60)
            assert running.state == "started"
        if n % 100 == 1:
            # key-1 is replayed now and then: recently used, so kept.
            assert (await store.claim("key-1", "f", running_ttl=60)).state == "done"
    assert store.bytes <= budget
    assert len(store) < 200
    assert (await store.claim("key-999", "f", running_ttl=60)).state == "done"
    assert (await store.claim("key-1", "f", running_ttl=60)).state == "done"
    # The oldest finished record is gone: its key would run again, as after its TTL.
    assert (await store.claim("key-0", "f", running_ttl=60)).state == "started"
    # A request still running keeps its key, however much came after it.
    assert (await store.claim("running", "f", running_ttl=60)).state == "running"
