"""Records in the Redis every gateway process shares (``SET ... PX``, ``GET``, ``DEL``)."""

from __future__ import annotations

import math

from redis.asyncio import Redis

from adapters.shared_state.errors import redis_errors


class RedisRecords:
    """The records of one namespace, under ``{prefix}:rec:{key}``; Redis expires them."""

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:rec:"

    def __repr__(self) -> str:
        return "RedisRecords()"

    async def get(self, key: str) -> bytes | None:
        with redis_errors():
            value = await self._redis.get(self._prefix + key)
        if value is None:
            return None
        return value.encode() if isinstance(value, str) else bytes(value)

    async def put(self, key: str, value: bytes, *, ttl: float) -> None:
        with redis_errors():
            await self._redis.set(self._prefix + key, value, px=max(1, math.ceil(ttl * 1000)))

    async def delete(self, key: str) -> None:
        with redis_errors():
            await self._redis.delete(self._prefix + key)
