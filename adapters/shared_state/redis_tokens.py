"""An OAuth token cache in Redis: every gateway process uses one token, refreshed once.

The token is stored under ``{prefix}:token`` until its renewal time. A process that
needs a new one takes a short refresh lock (``{prefix}:token-refresh``, SET NX PX); the
others poll the cache until a token they can use appears, or the lock is free again
(its holder failed or died), bounded by ``wait`` seconds. The token is never logged.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import secrets
import time
from collections.abc import Callable
from contextlib import suppress

from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.errors import ServiceUnavailable
from adapters.shared_state.errors import redis_errors
from adapters.shared_state.tokens import CachedToken, Fetch, Keep

RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
POLL = 0.02


class RedisTokenCache:
    """The token of one vendor key in Redis, under a prefix derived from that key."""

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str,
        fetch_timeout: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._key = f"{prefix}:token"
        self._lock_key = f"{prefix}:token-refresh"
        # The lock outlives one token request, so a slow fetch is not done twice.
        self._lock_ms = max(1, math.ceil((fetch_timeout + 5) * 1000))
        self._wait = fetch_timeout * 2 + 5
        self._clock = clock
        self._local = asyncio.Lock()
        self._release = redis.register_script(RELEASE)

    def __repr__(self) -> str:
        return "RedisTokenCache()"

    async def _load(self) -> CachedToken | None:
        with redis_errors():
            raw = await self._redis.get(self._key)
        if raw is None:
            return None
        try:
            stored = json.loads(raw)
            return CachedToken(value=str(stored["value"]), renew_at=float(stored["renew_at"]))
        except (ValueError, KeyError, TypeError):
            return None  # unreadable: fetch a new one over it

    async def replace(self, fetch: Fetch, *, keep: Keep) -> CachedToken:
        # One task per process talks to Redis; the others find its result.
        async with self._local:
            deadline = time.monotonic() + self._wait
            while True:
                cached = await self._load()
                if cached is not None and keep(cached):
                    return cached
                owner = secrets.token_hex(16)
                with redis_errors():
                    locked = await self._redis.set(self._lock_key, owner, nx=True,
                                                   px=self._lock_ms)
                if locked:
                    try:
                        return await self._refresh(fetch, keep)
                    finally:
                        with suppress(RedisError):
                            await self._release(keys=[self._lock_key], args=[owner])
                if time.monotonic() > deadline:
                    raise ServiceUnavailable("no process could refresh the vendor's token in time")
                await asyncio.sleep(random.uniform(POLL / 2, POLL))

    async def _refresh(self, fetch: Fetch, keep: Keep) -> CachedToken:
        # Another process may have stored a token between our read and our lock.
        cached = await self._load()
        if cached is not None and keep(cached):
            return cached
        fresh = await fetch()
        ttl_ms = math.floor((fresh.renew_at - self._clock()) * 1000)
        if ttl_ms > 0:
            body = json.dumps({"value": fresh.value, "renew_at": fresh.renew_at})
            with redis_errors():
                await self._redis.set(self._key, body, px=ttl_ms)
        return fresh
