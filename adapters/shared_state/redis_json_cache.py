"""The JSON value cache in Redis: every gateway process sees what one of them resolved.

Each value is one key, ``{prefix}:{key}``, written with ``SET ... PX ttl`` so Redis
forgets it by itself. The cache only saves vendor calls, so a Redis failure is a miss
(the caller asks the vendor), never an error for the shopper; and a Redis that does not
answer within ``CACHE_TIMEOUT`` is a miss too, so it never holds a request up for long.
"""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

# Redis answers in a millisecond or two; the vendor call this saves takes 100 ms or more.
CACHE_TIMEOUT = 0.25


class RedisJsonCache:
    """JSON values under one prefix in a shared Redis, each with a time to live."""

    def __init__(self, redis: Redis, *, prefix: str, ttl: float) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttl_ms = max(1, math.ceil(ttl * 1000))
        self._enabled = ttl > 0

    def __repr__(self) -> str:
        return f"RedisJsonCache(ttl_ms={self._ttl_ms})"

    async def get(self, key: str) -> Any | None:
        if not self._enabled:
            return None
        try:
            async with asyncio.timeout(CACHE_TIMEOUT):
                raw = await self._redis.get(f"{self._prefix}:{key}")
        except (RedisError, TimeoutError):
            return None
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return None

    async def put(self, key: str, value: Any) -> None:
        if not self._enabled:
            return
        try:
            async with asyncio.timeout(CACHE_TIMEOUT):
                await self._redis.set(f"{self._prefix}:{key}", json.dumps(value),
                                      px=self._ttl_ms)
        except (RedisError, TimeoutError):
            return

    async def evict(self, key: str) -> None:
        try:
            async with asyncio.timeout(CACHE_TIMEOUT):
                await self._redis.delete(f"{self._prefix}:{key}")
        except (RedisError, TimeoutError):
            return
