"""The JSON value store in Redis: every gateway process sees what one of them put.

Each value is one key, ``{prefix}:{key}``, written with ``SET ... PX ttl`` so Redis
forgets it by itself. A cache only saves vendor calls, so there a Redis failure is a miss
(the caller asks the vendor), never an error for the shopper; and a Redis that does not
answer within ``CACHE_TIMEOUT`` is a miss too, so it never holds a request up for long.
A store that holds the only copy (``strict``: BigCommerce's held carts) cannot say
"missing" when it does not know, so there a failure is ``ServiceUnavailable``.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.shared_state.errors import redis_errors

# Redis answers in a millisecond or two; the vendor call this saves takes 100 ms or more.
CACHE_TIMEOUT = 0.25


class _Missed(Exception):
    """A cache's Redis failed or was slow: the call is a miss."""


class RedisJsonCache:
    """JSON values under one prefix in a shared Redis, each with a time to live."""

    def __init__(self, redis: Redis, *, prefix: str, ttl: float, strict: bool = False) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttl = ttl
        self._ttl_ms = max(1, math.ceil(ttl * 1000))
        self._enabled = ttl > 0
        self._strict = strict

    def __repr__(self) -> str:
        return f"RedisJsonCache(ttl_ms={self._ttl_ms}, strict={self._strict})"

    @property
    def ttl(self) -> float:
        return self._ttl

    @asynccontextmanager
    async def _calling(self) -> AsyncIterator[None]:
        if self._strict:
            with redis_errors():
                yield
            return
        try:
            async with asyncio.timeout(CACHE_TIMEOUT):
                yield
        except (RedisError, TimeoutError) as exc:
            raise _Missed from exc

    async def get(self, key: str) -> Any | None:
        if not self._enabled:
            return None
        try:
            async with self._calling():
                raw = await self._redis.get(f"{self._prefix}:{key}")
        except _Missed:
            return None
        return _decoded(raw)

    async def get_many(self, keys: Sequence[str]) -> list[Any | None]:
        if not self._enabled or not keys:
            return [None] * len(keys)
        try:
            async with self._calling():
                raws = await self._redis.mget([f"{self._prefix}:{key}" for key in keys])
        except _Missed:
            return [None] * len(keys)
        return [_decoded(raw) for raw in raws]

    async def put(self, key: str, value: Any) -> None:
        if not self._enabled:
            return
        try:
            async with self._calling():
                await self._redis.set(f"{self._prefix}:{key}", json.dumps(value),
                                      px=self._ttl_ms)
        except _Missed:
            return

    async def evict(self, key: str) -> None:
        try:
            async with self._calling():
                await self._redis.delete(f"{self._prefix}:{key}")
        except _Missed:
            return


def _decoded(raw: bytes | str | None) -> Any | None:
    """A stored value; None for none, or for one that is not JSON (a miss)."""
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None
