"""Which shared state a process uses: its own memory, or one Redis for every process."""

from __future__ import annotations

import hashlib

from redis.asyncio import Redis

from adapters.shared_state.errors import redis_errors
from adapters.shared_state.idempotency import IdempotencyStore, LocalIdempotencyStore
from adapters.shared_state.json_cache import JsonCache, LocalJsonCache
from adapters.shared_state.locks import CartLocks, LocalLocks
from adapters.shared_state.rate_buckets import LocalRateBuckets, RateBuckets
from adapters.shared_state.redis_idempotency import RedisIdempotencyStore
from adapters.shared_state.redis_json_cache import RedisJsonCache
from adapters.shared_state.redis_locks import RedisLocks
from adapters.shared_state.redis_rate_buckets import RedisRateBuckets
from adapters.shared_state.redis_tokens import RedisTokenCache
from adapters.shared_state.tokens import LocalTokenCache, TokenCache

KEY_PREFIX = "cartgate"
# Redis answers on loopback or a LAN in milliseconds; past this it is down, not slow.
REDIS_TIMEOUT = 5.0


def namespace(*parts: str) -> str:
    """A short stable name for a vendor account, from public parts (never a secret)."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


class SharedState:
    """Locks, token caches, idempotency records and rate buckets of one process: in memory."""

    # Whether other gateway processes see the same state (readiness then checks it).
    across_processes = False

    def __init__(self) -> None:
        self.idempotency: IdempotencyStore = LocalIdempotencyStore()
        self.rate_buckets: RateBuckets = LocalRateBuckets()
        # One store per namespace and use, so every backend of the account sees the same.
        self._stores: dict[tuple[str, str, float], LocalJsonCache] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def locks(self, name: str) -> CartLocks:
        """Write locks for the keys of one namespace."""
        return LocalLocks()

    def tokens(self, name: str, *, fetch_timeout: float) -> TokenCache:
        """The token cache of one namespace (a vendor account)."""
        return LocalTokenCache()

    def cache(self, name: str, *, ttl: float) -> JsonCache:
        """A cache of JSON values (catalog facts) for one namespace: a miss costs a vendor
        call, so a failing store is a miss.
        """
        return self._local("cache", name, ttl)

    def records(self, name: str, *, ttl: float) -> JsonCache:
        """JSON records of one namespace that are the only copy (held carts), each kept
        ``ttl`` seconds: a failing store is an error, never a miss.
        """
        return self._local("records", name, ttl)

    def _local(self, use: str, name: str, ttl: float) -> LocalJsonCache:
        store = self._stores.get((use, name, ttl))
        if store is None:
            store = self._stores[(use, name, ttl)] = LocalJsonCache(ttl=ttl)
        return store

    async def ping(self) -> None:
        """Raise ServiceUnavailable when the shared state cannot be reached."""
        return None

    async def aclose(self) -> None:
        return None


class RedisState(SharedState):
    """The same, in one Redis that every gateway process shares."""

    across_processes = True

    def __init__(self, *, url: str, lock_ttl: float, lock_wait: float) -> None:
        self._redis = Redis.from_url(url, socket_timeout=REDIS_TIMEOUT,
                                     socket_connect_timeout=REDIS_TIMEOUT)
        self._lock_ttl = lock_ttl
        self._lock_wait = lock_wait
        self._stores = {}
        self.idempotency = RedisIdempotencyStore(self._redis, prefix=KEY_PREFIX)
        self.rate_buckets = RedisRateBuckets(self._redis, prefix=KEY_PREFIX)

    def locks(self, name: str) -> CartLocks:
        return RedisLocks(self._redis, prefix=f"{KEY_PREFIX}:{name}", ttl=self._lock_ttl,
                          wait=self._lock_wait)

    def records(self, name: str, *, ttl: float) -> JsonCache:
        return RedisJsonCache(self._redis, prefix=f"{KEY_PREFIX}:{name}:rec", ttl=ttl,
                              strict=True)

    def tokens(self, name: str, *, fetch_timeout: float) -> TokenCache:
        return RedisTokenCache(self._redis, prefix=f"{KEY_PREFIX}:{name}",
                               fetch_timeout=fetch_timeout)

    def cache(self, name: str, *, ttl: float) -> JsonCache:
        return RedisJsonCache(self._redis, prefix=f"{KEY_PREFIX}:{name}:cache", ttl=ttl)

    async def ping(self) -> None:
        with redis_errors():
            await self._redis.ping()

    async def aclose(self) -> None:
        await self._redis.aclose()


def connect(
    redis_url: str | None, *, lock_ttl: float, lock_wait: float | None = None
) -> SharedState:
    """Redis-backed state when a URL is given, else this process's memory (no I/O here)."""
    if redis_url is None:
        return SharedState()
    # By default a waiter outlasts the lock of a holder that died just before it came: a
    # crashed process delays a cart, it never makes a write fail.
    if lock_wait is None:
        lock_wait = lock_ttl + max(1.0, lock_ttl / 2)
    return RedisState(url=redis_url, lock_ttl=lock_ttl, lock_wait=lock_wait)
