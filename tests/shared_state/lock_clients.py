"""Redis clients that stand for gateway processes, and the locks the lock tests build on them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress
from typing import Any

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


class SwallowsACancellation(Redis):
    """A client that, once, lets a reply win over a cancellation that came with it.

    On Python 3.11 redis-py sends through ``asyncio.wait_for``, which does exactly this
    when the cancellation and the reply arrive together: the task counts the cancellation
    as requested, yet the command returns its reply. Here it happens on demand.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._victim: asyncio.Task[None] | None = None
        self.swallowed = 0

    @classmethod
    def at(cls, url: str) -> SwallowsACancellation:
        client = cls.from_url(url)
        assert isinstance(client, cls)
        return client

    def swallow_next(self, task: asyncio.Task[None]) -> None:
        """Cancel ``task`` as its next command completes, and drop the CancelledError."""
        self._victim = task

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        # redis-py leaves this method unannotated.
        reply = await super().execute_command(*args, **options)  # type: ignore[no-untyped-call]
        task = asyncio.current_task()
        if task is not None and task is self._victim:
            self._victim = None
            task.cancel()
            with suppress(asyncio.CancelledError):
                await asyncio.sleep(0)
            self.swallowed += 1
        return reply
