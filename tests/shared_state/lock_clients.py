"""Redis clients that stand for gateway processes, and the locks the lock tests build on them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from adapters.shared_state.redis_locks import RedisLocks

PREFIX = "cartgate:test"


@pytest.fixture
async def clients(redis_url: str) -> AsyncIterator[list[Redis]]:
    """Two separate Redis clients: two gateway processes, as far as Redis can tell."""
    pair = [Redis.from_url(redis_url), Redis.from_url(redis_url)]
    yield pair
    for client in pair:
        await client.aclose()


def redis_locks(client: Redis, *, ttl: float = 5.0, wait: float = 5.0) -> RedisLocks:
    return RedisLocks(client, prefix=PREFIX, ttl=ttl, wait=wait)
