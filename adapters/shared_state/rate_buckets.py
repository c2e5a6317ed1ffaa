"""Token buckets of vendor calls: the contract, and the in-process implementation.

A bucket refills at ``rate`` calls per second up to ``capacity``. ``take`` admits a
request only when every bucket it names holds at least one call, and then takes one from
each (all or none); ``charge`` takes what the request really spent afterwards, so a
bucket may go into debt and refuses until it has refilled.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

# Buckets one process remembers; a full bucket carries no information, so the least
# recently used are dropped first when more callers than this come and go.
MAX_LOCAL_BUCKETS = 100_000


@dataclass(frozen=True, slots=True)
class Bucket:
    """One limit: a name (never a secret, at most a few dozen characters) and its rate."""

    name: str
    rate: float
    capacity: float


class RateBuckets(Protocol):
    """Where the buckets live: this process, or Redis for every process."""

    async def take(self, buckets: Sequence[Bucket]) -> float:
        """Take one call from every bucket and return 0.0, or take nothing and return the
        seconds until every bucket could give one.
        """
        ...

    async def charge(self, buckets: Sequence[Bucket], calls: float) -> None:
        """Take ``calls`` more from every bucket (a negative number gives some back)."""
        ...


def refilled(tokens: float, stamp: float, now: float, bucket: Bucket) -> float:
    return min(bucket.capacity, tokens + max(0.0, now - stamp) * bucket.rate)


class LocalRateBuckets:
    """The buckets in this process's memory, bounded to MAX_LOCAL_BUCKETS."""

    def __init__(self, *, size: int = MAX_LOCAL_BUCKETS) -> None:
        self._levels: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._size = size

    def __repr__(self) -> str:
        return f"LocalRateBuckets(buckets={len(self._levels)})"

    def _level(self, bucket: Bucket, now: float) -> float:
        tokens, stamp = self._levels.get(bucket.name, (bucket.capacity, now))
        return refilled(tokens, stamp, now, bucket)

    def _store(self, bucket: Bucket, tokens: float, now: float) -> None:
        self._levels[bucket.name] = (tokens, now)
        self._levels.move_to_end(bucket.name)
        while len(self._levels) > self._size:
            self._levels.popitem(last=False)

    async def take(self, buckets: Sequence[Bucket]) -> float:
        now = time.monotonic()
        levels = [self._level(bucket, now) for bucket in buckets]
        wait = max(((1.0 - level) / bucket.rate for bucket, level in zip(buckets, levels,
                                                                          strict=True)
                    if level < 1.0), default=0.0)
        taken = 0.0 if wait else 1.0
        for bucket, level in zip(buckets, levels, strict=True):
            self._store(bucket, level - taken, now)
        return wait

    async def charge(self, buckets: Sequence[Bucket], calls: float) -> None:
        now = time.monotonic()
        for bucket in buckets:
            self._store(bucket, min(bucket.capacity, self._level(bucket, now) - calls), now)
