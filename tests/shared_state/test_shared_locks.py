"""Shared cart locks: sharers run together, never beside a holder, and never starve one."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, suppress

import pytest
from redis.asyncio import Redis

from adapters.errors import ServiceUnavailable
from adapters.shared_state.locks import CartLocks, Lease, LocalLocks
from tests.shared_state.lock_clients import PREFIX, redis_locks

pytestmark = pytest.mark.anyio

SHARERS = f"{PREFIX}:sharers:cart"
# Slack for a loaded machine: no test below waits this long when the locks work.
PATIENCE = 5.0


async def _both_inside(first: AbstractAsyncContextManager[Lease],
                       second: AbstractAsyncContextManager[Lease]) -> None:
    """Enter both blocks and meet inside: it returns only if both were in at once."""
    both = asyncio.Barrier(2)

    async def enter(lease: AbstractAsyncContextManager[Lease]) -> None:
        async with lease:
            async with asyncio.timeout(PATIENCE):
                await both.wait()

    await asyncio.gather(enter(first), enter(second))


class Watch:
    """Counts who is inside one key's lock, and remembers the worst overlap it saw."""

    def __init__(self) -> None:
        self.holders = 0
        self.sharers = 0
        self.most_sharers = 0
        self.overlaps = 0

    async def hold(self, locks: CartLocks) -> None:
        async with locks.hold("cart") as lease:
            self.holders += 1
            self.overlaps += self.holders > 1 or self.sharers > 0
            await asyncio.sleep(0.003)
            await lease.verify()
            self.holders -= 1

    async def share(self, locks: CartLocks) -> None:
        async with locks.share("cart") as lease:
            self.sharers += 1
            self.most_sharers = max(self.most_sharers, self.sharers)
            self.overlaps += self.holders > 0
            await asyncio.sleep(0.003)
            await lease.verify()
            self.sharers -= 1


async def test_local_sharers_run_together_and_never_beside_a_holder() -> None:
    locks = LocalLocks()
    await _both_inside(locks.share("cart"), locks.share("cart"))
    watch = Watch()
    await asyncio.gather(*(watch.hold(locks) if i % 3 == 0 else watch.share(locks)
                           for i in range(24)))
    assert watch.overlaps == 0
    assert watch.most_sharers > 1
    assert len(locks) == 0


async def test_a_local_holder_goes_before_later_sharers() -> None:
    locks = LocalLocks()
    order: list[str] = []

    async def enter(take: Callable[[str], AbstractAsyncContextManager[Lease]],
                    name: str) -> None:
        async with take("cart") as lease:
            order.append(name)
            assert lease.fence == 0

    async with locks.share("cart"):
        holder = asyncio.create_task(enter(locks.hold, "holder"))
        await asyncio.sleep(0.01)
        later = asyncio.create_task(enter(locks.share, "later sharer"))
        await asyncio.sleep(0.01)
        assert order == []
    await asyncio.gather(holder, later)
    assert order == ["holder", "later sharer"]
    assert len(locks) == 0


async def test_redis_sharers_run_together_in_one_process_and_across_two(
    clients: list[Redis],
) -> None:
    first, second = redis_locks(clients[0]), redis_locks(clients[1])
    await _both_inside(first.share("cart"), first.share("cart"))
    await _both_inside(first.share("cart"), second.share("cart"))
    assert await clients[0].zcard(SHARERS) == 0


async def test_redis_holders_and_sharers_exclude_each_other_across_processes(
    clients: list[Redis],
) -> None:
    first, second = redis_locks(clients[0]), redis_locks(clients[1])
    watch = Watch()
    await asyncio.gather(*(
        (watch.hold if i % 3 == 0 else watch.share)(first if i % 2 else second)
        for i in range(24)))
    assert watch.overlaps == 0
    assert watch.most_sharers > 1

    quick = redis_locks(clients[1], wait=0.2)
    async with first.hold("cart"):
        with pytest.raises(ServiceUnavailable, match="stayed locked"):
            async with quick.share("cart"):
                pass
    async with first.share("cart"):
        with pytest.raises(ServiceUnavailable, match="stayed locked"):
            async with quick.hold("cart"):
                pass
    assert await clients[0].exists(SHARERS, f"{PREFIX}:lock:cart") == 0


async def test_a_waiting_holder_is_not_starved_by_a_stream_of_sharers(
    clients: list[Redis],
) -> None:
    # Each sharer stays in until the next one is in (or 0.2 s pass), so without the
    # holder's turn the key would never be free of sharers and the holder would starve.
    sharing, holding = redis_locks(clients[0]), redis_locks(clients[1], wait=PATIENCE)
    stop = asyncio.Event()
    stream: list[asyncio.Task[None]] = []
    shares = 0

    async def share(entered: asyncio.Event) -> None:
        nonlocal shares
        async with sharing.share("cart"):
            shares += 1
            entered.set()
            if not stop.is_set():
                successor_in = asyncio.Event()
                stream.append(asyncio.create_task(share(successor_in)))
                with suppress(TimeoutError):
                    async with asyncio.timeout(0.2):
                        await successor_in.wait()

    first_in = asyncio.Event()
    stream.append(asyncio.create_task(share(first_in)))
    try:
        await first_in.wait()
        await asyncio.sleep(0.1)
        began = time.monotonic()
        async with holding.hold("cart"):
            waited = time.monotonic() - began
            assert await clients[1].exists(f"{PREFIX}:wanted:cart") == 0
            assert await clients[1].zcard(SHARERS) == 0
            before = shares
            await asyncio.sleep(0.05)
            assert shares == before
    finally:
        stop.set()
        while stream:
            await stream.pop()
    assert before > 1
    assert waited < PATIENCE
    assert shares > before


async def test_a_sharers_fence_is_the_last_holders(clients: list[Redis]) -> None:
    first, second = redis_locks(clients[0]), redis_locks(clients[1])
    async with first.share("fresh") as lease:
        assert lease.fence > 0
    async with second.hold("fresh") as held:
        assert held.fence > lease.fence

    async with first.hold("cart") as held:
        pass
    async with first.share("cart") as one, second.share("cart") as other:
        assert one.fence == other.fence == held.fence
    async with second.hold("cart") as next_held:
        assert next_held.fence == held.fence + 1
    async with first.share("cart") as later:
        assert later.fence == next_held.fence


async def test_a_stalled_sharer_loses_its_share_and_a_holder_may_take_the_lock(
    clients: list[Redis],
) -> None:
    stalled, other = redis_locks(clients[0], ttl=0.3), redis_locks(clients[1], wait=PATIENCE)
    async with stalled.share("cart") as old:
        started = time.monotonic()
        async with other.hold("cart") as new:
            waited = time.monotonic() - started
            with pytest.raises(ServiceUnavailable, match="expired"):
                await old.verify()
            await new.verify()
    assert 0.15 < waited < PATIENCE
    assert await clients[0].zcard(SHARERS) == 0

    # Expired is expired, even when no holder came to clear it away and a live sharer
    # kept the set of sharers alive.
    live = redis_locks(clients[1], ttl=0.3)
    async with stalled.share("cart") as old, live.share("cart") as renewed:
        for _ in range(5):
            await asyncio.sleep(0.1)
            await renewed.verify()
        with pytest.raises(ServiceUnavailable, match="expired"):
            await old.verify()
        await renewed.verify()


async def test_a_cancelled_sharer_leaves_nothing_behind(clients: list[Redis]) -> None:
    holder, locks = redis_locks(clients[1]), redis_locks(clients[0])
    entered = asyncio.Event()

    async def share_forever() -> None:
        async with locks.share("cart"):
            entered.set()
            await asyncio.sleep(60)

    async def cancel(task: asyncio.Task[None]) -> None:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    async with holder.hold("cart"):
        waiting = asyncio.create_task(share_forever())
        await asyncio.sleep(0.05)
        assert len(locks) == 1
        await cancel(waiting)
    assert not entered.is_set()
    assert len(locks) == 0
    assert await clients[0].zcard(SHARERS) == 0

    inside = asyncio.create_task(share_forever())
    await entered.wait()
    assert await clients[0].zcard(SHARERS) == 1
    await cancel(inside)
    assert len(locks) == 0
    assert await clients[0].zcard(SHARERS) == 0


async def test_a_sharer_waits_no_longer_than_the_wait_bound(clients: list[Redis]) -> None:
    holder, sharer = redis_locks(clients[0]), redis_locks(clients[1], wait=0.2)
    async with holder.hold("cart") as lease:
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable, match="stayed locked by another request for 0.2 s"):
            async with sharer.share("cart"):
                pass
        waited = time.monotonic() - started
        await lease.verify()
    assert 0.2 <= waited < PATIENCE
    assert len(sharer) == 0
    assert await clients[1].zcard(SHARERS) == 0
