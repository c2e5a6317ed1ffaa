"""Token buckets of vendor calls in one Redis, shared by every gateway process.

One Lua script does a whole ``take`` or ``charge`` atomically: it reads each bucket
(a hash ``{t: tokens, u: ms}``), refills it by Redis's own clock (``TIME``, so hosts
with skewed clocks agree), and writes it back with an expiry at which it would be full
again (a full bucket needs no key). If Redis cannot be reached, the buckets of this
process take over, so the limit still holds per process and requests keep being served.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.shared_state.rate_buckets import Bucket, LocalRateBuckets

log = logging.getLogger("cartgate")

# KEYS: buckets. ARGV: mode ('take' or 'charge'), calls, then rate and capacity of each.
# -> milliseconds to wait (0: taken), as a string.
SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local take = ARGV[1] == 'take'
local calls = tonumber(ARGV[2])
local levels, rates, caps = {}, {}, {}
local wait = 0
for i, key in ipairs(KEYS) do
  local rate, cap = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local held = redis.call('HMGET', key, 't', 'u')
  local tokens, stamp = tonumber(held[1]) or cap, tonumber(held[2]) or now
  tokens = math.min(cap, tokens + math.max(0, now - stamp) * rate / 1000)
  levels[i], rates[i], caps[i] = tokens, rate, cap
  if take and tokens < 1 then wait = math.max(wait, (1 - tokens) * 1000 / rate) end
end
if take and wait > 0 then calls = 0 end
for i, key in ipairs(KEYS) do
  local tokens = math.min(caps[i], levels[i] - calls)
  redis.call('HSET', key, 't', tostring(tokens), 'u', tostring(now))
  redis.call('PEXPIRE', key, math.ceil((caps[i] - tokens) * 1000 / rates[i]) + 1000)
end
return tostring(wait)
"""


class RedisRateBuckets:
    """Buckets named ``{prefix}:rate:<name>`` in Redis; this process's own if it fails."""

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._script = redis.register_script(SCRIPT)
        self._prefix = prefix
        self._fallback = LocalRateBuckets()

    def __repr__(self) -> str:
        return "RedisRateBuckets()"

    async def _run(self, mode: str, buckets: Sequence[Bucket], calls: float) -> float | None:
        args: list[str | float] = [mode, calls]
        for bucket in buckets:
            args += [bucket.rate, bucket.capacity]
        keys = [f"{self._prefix}:rate:{bucket.name}" for bucket in buckets]
        try:
            waited = await self._script(keys=keys, args=args)
        except RedisError as exc:
            log.warning("rate limits fall back to this process: Redis failed (%s)",
                        type(exc).__name__)
            return None
        return float(waited) / 1000

    async def take(self, buckets: Sequence[Bucket]) -> float:
        if not buckets:
            return 0.0
        wait = await self._run("take", buckets, 1)
        return await self._fallback.take(buckets) if wait is None else wait

    async def charge(self, buckets: Sequence[Bucket], calls: float) -> None:
        if buckets and calls and await self._run("charge", buckets, calls) is None:
            await self._fallback.charge(buckets, calls)
