"""Per-key write locks in Redis, shared by every gateway process, with expiry and fencing.

A lock is ``SET lock:<key> <owner>:<fence> NX PX <ttl>``: it expires on its own, so a
holder that crashed blocks the key for at most ``ttl``. The fence is ``INCR`` of a
per-key counter taken in the same script, so every holder of a key has a larger number
than the one before. ``Lease.verify`` (a compare-and-renew script) runs before every
vendor write: a holder that stalled past its expiry finds another owner and stops
before writing. What no lock can cover is a stall between that check and the vendor
receiving the write; the vendor takes no fence, so the window is one request.

Tasks of one process queue on an in-process lock first, so only one of them polls
Redis for a key. Waiting is bounded by ``wait`` seconds, then ``ServiceUnavailable``.
"""

from __future__ import annotations

import asyncio
import random
import secrets
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress

from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.errors import ServiceUnavailable
from adapters.locks import KeyedLocks
from adapters.shared_state.errors import redis_errors
from adapters.shared_state.locks import Lease

# KEYS: lock, fence counter. ARGV: owner, lock ttl ms, counter ttl ms. -> fence or 0.
ACQUIRE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local fence = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. fence, 'PX', ARGV[2])
return fence
"""
# KEYS: lock. ARGV: owner:fence, ttl ms. -> 1 renewed, 0 lost.
RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
# KEYS: lock. ARGV: owner. Deletes only this owner's lock, whatever its fence.
RELEASE = """
local held = redis.call('GET', KEYS[1])
if held and string.sub(held, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. ':' then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
# A counter outlives its lock by far, so fences keep growing across quiet spells.
FENCE_COUNTER_TTL = 7 * 24 * 3600.0
FIRST_POLL = 0.002
LAST_POLL = 0.05


class RedisLease:
    """A lease on a Redis lock: ``verify`` proves and renews it before a write."""

    def __init__(self, locks: RedisLocks, key: str, owner: str, fence: int) -> None:
        self._locks = locks
        self._key = key
        self._owner = owner
        self.fence = fence

    def __repr__(self) -> str:
        return f"RedisLease(fence={self.fence})"

    async def verify(self) -> None:
        with redis_errors():
            held = await self._locks.renew_script(
                keys=[self._key], args=[f"{self._owner}:{self.fence}", self._locks.ttl_ms])
        if not held:
            raise ServiceUnavailable(
                "the cart's write lock expired before this change finished; another "
                "request may have changed the cart since, so this one stopped: read the "
                "cart again")


class RedisLocks:
    """Locks named ``{prefix}:lock:<key>`` in one Redis, each expiring after ``ttl`` s."""

    def __init__(self, redis: Redis, *, prefix: str, ttl: float, wait: float) -> None:
        self._redis = redis
        self._prefix = prefix
        self.ttl_ms = max(1, round(ttl * 1000))
        self._wait = wait
        self._local = KeyedLocks()
        self._acquire_script = redis.register_script(ACQUIRE)
        self.renew_script = redis.register_script(RENEW)
        self._release_script = redis.register_script(RELEASE)

    def __repr__(self) -> str:
        return f"RedisLocks(ttl_ms={self.ttl_ms})"

    def _lock_key(self, key: str) -> str:
        return f"{self._prefix}:lock:{key}"

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[Lease]:
        owner = secrets.token_hex(16)
        async with AsyncExitStack() as stack:
            try:
                async with asyncio.timeout(self._wait):
                    await stack.enter_async_context(self._local.hold(key))
                    # Registered before acquiring: a wait cut short mid-script still
                    # frees whatever lock the script may have set.
                    stack.push_async_callback(self._release, key, owner)
                    fence = await self._acquire(key, owner)
            except TimeoutError:
                raise ServiceUnavailable(
                    f"the cart stayed locked by another request for {self._wait:g} s"
                ) from None
            yield RedisLease(self, self._lock_key(key), owner, fence)

    async def _acquire(self, key: str, owner: str) -> int:
        keys = [self._lock_key(key), f"{self._prefix}:fence:{key}"]
        args: list[str | int] = [owner, self.ttl_ms, round(FENCE_COUNTER_TTL * 1000)]
        pause = FIRST_POLL
        while True:
            with redis_errors():
                fence = int(await self._acquire_script(keys=keys, args=args))
            if fence:
                return fence
            # Full jitter keeps the pollers of several processes from marching in step.
            await asyncio.sleep(random.uniform(0, pause))
            pause = min(pause * 2, LAST_POLL)

    async def _release(self, key: str, owner: str) -> None:
        # Shielded: a cancelled holder still frees its lock rather than leave it to expire.
        # A failure is not the caller's: its change is done, and the lock expires anyway.
        with suppress(RedisError):
            await asyncio.shield(self._release_script(keys=[self._lock_key(key)], args=[owner]))
