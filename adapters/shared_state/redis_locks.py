"""Per-key write locks in Redis, shared by every gateway process, with expiry and fencing.

A lock held alone is ``SET lock:<key> <owner>:<fence> NX PX <ttl>``: it expires on its
own, so a holder that crashed blocks the key for at most ``ttl``. The fence is ``INCR``
of a per-key counter taken in the same script, so every holder of a key has a larger
number than the one before. ``Lease.verify`` (a compare-and-renew script) runs before
every vendor write: a holder that stalled past its expiry finds another owner and stops
before writing. What no lock can cover is a stall between that check and the vendor
receiving the write; the vendor takes no fence, so the window is one request.

A shared lock is a member of the ZSET ``sharers:<key>``, scored by when it expires
(Redis server time in ms, so the clocks of the gateway hosts never matter). A sharer
enters only while no one holds the lock and no holder waits; a holder enters only when
every share has been released or has expired. A holder that finds sharers raises the
short flag ``wanted:<key>``, which turns later sharers away until it is in: a stream of
sharers cannot starve it. A sharer's ``verify`` renews its own share and never one that
expired, as a holder may have written since. A sharer's fence is the last holder's (the
counter is read, not incremented), so equal fences mean no holder wrote between.

Tasks of one process queue on an in-process lock first, so only one holder among them
polls Redis for a key (its sharers poll side by side). Waiting is bounded by ``wait``
seconds, then ``ServiceUnavailable``.
"""

from __future__ import annotations

import asyncio
import random
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager, suppress
from functools import partial

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from adapters.errors import ServiceUnavailable
from adapters.locks import KeyedLocks
from adapters.shared_state.errors import redis_errors
from adapters.shared_state.locks import Lease

# Redis server time in ms: every process measures shares by one clock.
NOW_MS = """
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
"""
# KEYS: lock, fence counter, sharers, wanted. ARGV: owner, lock ttl ms, counter ttl ms,
# wanted ttl ms. -> fence or 0. Sharers that are left keep it out, and it says it waits.
ACQUIRE = NOW_MS + """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('ZCARD', KEYS[3]) > 0 then
  redis.call('SET', KEYS[4], '1', 'PX', ARGV[4])
  return 0
end
redis.call('DEL', KEYS[4])
local fence = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. fence, 'PX', ARGV[2])
return fence
"""
# KEYS: lock, fence counter, sharers, wanted. ARGV: owner, share ttl ms, counter ttl ms.
# -> the last holder's fence (a new counter's first number when there is none), or 0.
SHARE = NOW_MS + """
if redis.call('EXISTS', KEYS[1], KEYS[4]) > 0 then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
local fence = tonumber(redis.call('GET', KEYS[2]))
if fence then return fence end
fence = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return fence
"""
# KEYS: lock. ARGV: owner:fence, ttl ms. -> 1 renewed, 0 lost.
RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
# KEYS: sharers. ARGV: owner, ttl ms. -> 1 renewed, 0 lost (expired or gone).
RENEW_SHARE = NOW_MS + """
local expires = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or 0)
if expires <= now then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
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
# A waiting holder raises the flag again at every poll; it lapses soon after it gives up.
WANTED_TTL = 3 * LAST_POLL


class RedisLease:
    """A lease on a Redis lock or share: ``verify`` proves and renews it before a write."""

    def __init__(self, renew: AsyncScript, keys: list[str], args: list[str | int],
                 fence: int) -> None:
        self._renew = renew
        self._keys = keys
        self._args = args
        self.fence = fence

    def __repr__(self) -> str:
        return f"RedisLease(fence={self.fence})"

    async def verify(self) -> None:
        with redis_errors():
            held = await self._renew(keys=self._keys, args=self._args)
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
        self._share_script = redis.register_script(SHARE)
        self._renew_script = redis.register_script(RENEW)
        self._renew_share_script = redis.register_script(RENEW_SHARE)
        self._release_script = redis.register_script(RELEASE)

    def __repr__(self) -> str:
        return f"RedisLocks(ttl_ms={self.ttl_ms})"

    def __len__(self) -> int:
        """Keys this process holds, shares or waits for right now."""
        return len(self._local)

    def _lock_key(self, key: str) -> str:
        return f"{self._prefix}:lock:{key}"

    def _sharers_key(self, key: str) -> str:
        return f"{self._prefix}:sharers:{key}"

    def _keys(self, key: str) -> list[str]:
        return [self._lock_key(key), f"{self._prefix}:fence:{key}", self._sharers_key(key),
                f"{self._prefix}:wanted:{key}"]

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[Lease]:
        owner = secrets.token_hex(16)
        args: list[str | int] = [owner, self.ttl_ms, round(FENCE_COUNTER_TTL * 1000),
                                 round(WANTED_TTL * 1000)]
        async with AsyncExitStack() as stack:
            fence = await self._enter(stack, self._local.hold(key),
                                      partial(self._release, key, owner),
                                      self._acquire_script, self._keys(key), args)
            yield RedisLease(self._renew_script, [self._lock_key(key)],
                             [f"{owner}:{fence}", self.ttl_ms], fence)

    @asynccontextmanager
    async def share(self, key: str) -> AsyncIterator[Lease]:
        owner = secrets.token_hex(16)
        args: list[str | int] = [owner, self.ttl_ms, round(FENCE_COUNTER_TTL * 1000)]
        async with AsyncExitStack() as stack:
            fence = await self._enter(stack, self._local.share(key),
                                      partial(self._unshare, key, owner),
                                      self._share_script, self._keys(key), args)
            yield RedisLease(self._renew_share_script, [self._sharers_key(key)],
                             [owner, self.ttl_ms], fence)

    async def _enter(
        self, stack: AsyncExitStack, local: AbstractAsyncContextManager[None],
        release: Callable[[], Awaitable[None]], script: AsyncScript, keys: list[str],
        args: list[str | int],
    ) -> int:
        """Pass the in-process stage, then poll ``script`` until it gives a fence."""
        deadline = asyncio.get_running_loop().time() + self._wait
        cancels_before = _cancels_requested()
        try:
            async with asyncio.timeout_at(deadline):
                await stack.enter_async_context(local)
                # Registered before acquiring: a wait cut short mid-script still
                # frees whatever lock or share the script may have taken.
                stack.push_async_callback(release)
                return await self._poll(script, keys, args, deadline, cancels_before)
        except TimeoutError:
            raise ServiceUnavailable(
                f"the cart stayed locked by another request for {self._wait:g} s"
            ) from None

    @staticmethod
    async def _poll(script: AsyncScript, keys: list[str], args: list[str | int],
                    deadline: float, cancels_before: int) -> int:
        """Run ``script`` until it gives a fence; TimeoutError once ``deadline`` passed.

        On Python 3.11, redis-py's sends go through ``asyncio.wait_for``, which drops a
        cancellation that arrives as the send completes: the caller's, or the timeout's.
        The task still counts it as requested, so each reply is followed by a look at that
        count; without it the poll would outlive a caller that has gone, take the lock
        for nobody, and run the caller's block after all.
        """
        loop = asyncio.get_running_loop()
        pause = FIRST_POLL
        while True:
            with redis_errors():
                fence = int(await script(keys=keys, args=args))
            if _cancels_requested() > cancels_before:
                raise asyncio.CancelledError
            if fence:
                return fence
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError
            # Full jitter keeps the pollers of several processes from marching in step.
            await asyncio.sleep(min(random.uniform(0, pause), left))
            pause = min(pause * 2, LAST_POLL)

    async def _release(self, key: str, owner: str) -> None:
        # Shielded: a cancelled holder still frees its lock rather than leave it to expire.
        # A failure is not the caller's: its change is done, and the lock expires anyway.
        with suppress(RedisError):
            await asyncio.shield(self._release_script(keys=[self._lock_key(key)], args=[owner]))

    async def _unshare(self, key: str, owner: str) -> None:
        # As ``_release``: shielded, and a failure leaves the share to expire.
        with suppress(RedisError):
            await asyncio.shield(self._redis.zrem(self._sharers_key(key), owner))


def _cancels_requested() -> int:
    task = asyncio.current_task()
    return task.cancelling() if task else 0
