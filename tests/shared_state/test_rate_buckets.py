"""Token buckets of vendor calls, in this process and in Redis: all or none, debt, refill."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from adapters.shared_state.rate_buckets import Bucket, LocalRateBuckets, RateBuckets
from adapters.shared_state.redis_rate_buckets import RedisRateBuckets
from tests.redis_server import free_port

pytestmark = pytest.mark.anyio

SLOW = Bucket(name="address:203.0.113.7", rate=2.0, capacity=3.0)
ROOMY = Bucket(name="cart:abc", rate=0.5, capacity=20.0)


@pytest.fixture(params=["local", "redis"])
async def buckets(request: pytest.FixtureRequest, redis_url: str) -> AsyncIterator[RateBuckets]:
    if request.param == "local":
        yield LocalRateBuckets()
        return
    redis = Redis.from_url(redis_url)
    try:
        yield RedisRateBuckets(redis, prefix="test")
    finally:
        await redis.aclose()


async def test_a_bucket_gives_its_capacity_then_says_how_long_to_wait(
        buckets: RateBuckets) -> None:
    assert [await buckets.take([SLOW]) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = await buckets.take([SLOW])
    assert 0.4 < wait <= 0.5  # one call at 2 per second
    await asyncio.sleep(wait + 0.05)
    assert await buckets.take([SLOW]) == 0.0


async def test_all_or_none(buckets: RateBuckets) -> None:
    for _ in range(3):
        assert await buckets.take([SLOW]) == 0.0
    assert await buckets.take([ROOMY, SLOW]) > 0
    # The refused take left ROOMY untouched: it still holds all its calls.
    for _ in range(20):
        assert await buckets.take([ROOMY]) == 0.0
    assert await buckets.take([ROOMY]) > 0


async def test_a_request_that_spent_more_leaves_a_debt(buckets: RateBuckets) -> None:
    assert await buckets.take([SLOW]) == 0.0
    await buckets.charge([SLOW], 4)  # it made five calls in all: 3 - 5 = -2
    wait = await buckets.take([SLOW])
    assert 1.4 < wait <= 1.5  # from -2 back to 1 at 2 per second
    await buckets.charge([SLOW], -10)  # given back, never above capacity
    assert [await buckets.take([SLOW]) for _ in range(4)][:3] == [0.0, 0.0, 0.0]


async def test_without_redis_each_process_keeps_its_own_buckets(
        caplog: pytest.LogCaptureFixture) -> None:
    redis = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    try:
        buckets = RedisRateBuckets(redis, prefix="test")
        assert [await buckets.take([SLOW]) for _ in range(3)] == [0.0, 0.0, 0.0]
        assert await buckets.take([SLOW]) > 0
    finally:
        await redis.aclose()
    assert "rate limits fall back to this process" in caplog.text
