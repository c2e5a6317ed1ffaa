"""Cart write locks: in process, and in Redis across clients that stand for processes."""

from __future__ import annotations

import asyncio
import time

import pytest
from redis.asyncio import Redis

from adapters.errors import ServiceUnavailable
from adapters.shared_state.locks import LocalLease, LocalLocks
from adapters.shared_state.redis_locks import RedisLocks
from tests.shared_state.lock_clients import PREFIX, SwallowsACancellation, redis_locks

pytestmark = pytest.mark.anyio

async def test_local_locks_serialise_one_key_and_never_lose_a_lease() -> None:
    locks = LocalLocks()
    inside = 0
    most = 0

    async def write() -> None:
        nonlocal inside, most
        async with locks.hold("cart") as lease:
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.001)
            await lease.verify()
            inside -= 1

    await asyncio.gather(*(write() for _ in range(10)))
    assert most == 1
    assert len(locks) == 0
    assert LocalLease().fence == 0


async def test_redis_locks_exclude_across_processes(clients: list[Redis]) -> None:
    first, second = redis_locks(clients[0]), redis_locks(clients[1])
    inside = 0
    most = 0
    fences: list[int] = []

    async def write(locks: RedisLocks) -> None:
        nonlocal inside, most
        async with locks.hold("cart") as lease:
            inside += 1
            most = max(most, inside)
            fences.append(lease.fence)
            await asyncio.sleep(0.002)
            await lease.verify()
            inside -= 1

    await asyncio.gather(*(write(first if i % 2 else second) for i in range(12)))
    assert most == 1
    assert sorted(fences) == fences == list(range(1, 13))
    assert await clients[0].exists(f"{PREFIX}:lock:cart") == 0


async def test_other_keys_do_not_wait(clients: list[Redis]) -> None:
    first, second = redis_locks(clients[0]), redis_locks(clients[1], wait=0.5)
    async with first.hold("a"):
        async with second.hold("b") as lease:
            assert lease.fence == 1


async def test_an_abandoned_lock_expires_and_its_late_holder_is_fenced_off(
    clients: list[Redis],
) -> None:
    stalled, other = redis_locks(clients[0], ttl=0.3), redis_locks(clients[1], ttl=0.3, wait=2.0)
    async with stalled.hold("cart") as old:
        started = time.monotonic()
        async with other.hold("cart") as new:
            waited = time.monotonic() - started
            assert new.fence == old.fence + 1
            with pytest.raises(ServiceUnavailable, match="expired"):
                await old.verify()
            await new.verify()
        # The late holder's release leaves the lock its successor took alone.
    assert 0.15 < waited < 1.0


@pytest.mark.parametrize("take", ["hold", "share"])
async def test_verify_renews_a_lease_that_is_still_held(clients: list[Redis], take: str) -> None:
    # Renewals 0.1 s apart leave 0.9 s of slack on a loaded machine; 1.5 s in all is
    # longer than the lock or share lives unless it is renewed.
    holder, waiter = redis_locks(clients[0], ttl=1.0), redis_locks(clients[1], ttl=1.0, wait=0.1)
    async with getattr(holder, take)("cart") as lease:
        for _ in range(15):
            await asyncio.sleep(0.1)
            await lease.verify()
        # 1.5 s after it was taken, the 1 s lock is still held: every verify renewed it.
        with pytest.raises(ServiceUnavailable, match="stayed locked"):
            async with waiter.hold("cart"):
                pass


async def test_release_on_error_and_on_cancellation(clients: list[Redis]) -> None:
    locks = redis_locks(clients[0])
    with pytest.raises(RuntimeError):
        async with locks.hold("cart"):
            raise RuntimeError("the write failed")
    assert await clients[0].exists(f"{PREFIX}:lock:cart") == 0

    entered = asyncio.Event()

    async def hold_forever() -> None:
        async with locks.hold("cart"):
            entered.set()
            await asyncio.sleep(60)

    task = asyncio.create_task(hold_forever())
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.05)
    assert await clients[0].exists(f"{PREFIX}:lock:cart") == 0


async def test_a_waiter_that_gives_up_leaves_no_lock_behind(clients: list[Redis]) -> None:
    # The holder's lock outlives any stall of a loaded machine: the waiter must give up.
    holder, waiter = redis_locks(clients[0], ttl=60.0), redis_locks(clients[1], wait=0.1)
    async with holder.hold("cart") as lease:
        with pytest.raises(ServiceUnavailable):
            async with waiter.hold("cart"):
                pass
        await lease.verify()
    async with waiter.hold("cart") as later:
        assert later.fence == lease.fence + 1


async def test_polling_stops_at_its_deadline_even_when_no_cancellation_comes(
    clients: list[Redis],
) -> None:
    # On Python 3.11 redis-py's asyncio.wait_for can swallow the cancellation that the
    # wait's timeout sends; the poll must stop at the deadline on its own.
    holder, waiter = redis_locks(clients[0], ttl=60.0), redis_locks(clients[1])
    async with holder.hold("cart"):
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(TimeoutError):
            await waiter._poll(waiter._acquire_script, waiter._keys("cart"),
                               ["waiter", 60_000, 60_000, 150], started + 0.2,
                               cancels_before=0)
        assert loop.time() - started < 2.0


@pytest.mark.parametrize("mode", ["hold", "share"])
async def test_a_cancellation_the_redis_client_swallows_still_stops_the_wait(
    redis_url: str, clients: list[Redis], mode: str,
) -> None:
    holder = redis_locks(clients[0], ttl=60.0)
    swallowing = SwallowsACancellation.at(redis_url)
    waiter = redis_locks(swallowing, wait=30.0)
    entered = asyncio.Event()

    async def wait_for_the_lock() -> None:
        async with getattr(waiter, mode)("cart"):
            entered.set()

    try:
        async with holder.hold("cart") as lease:
            task = asyncio.create_task(wait_for_the_lock())
            await asyncio.sleep(0.05)
            swallowing.swallow_next(task)
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(task), timeout=5.0)
            assert task.cancelled()
            assert swallowing.swallowed == 1
            assert not entered.is_set()
            await lease.verify()
        assert len(waiter) == 0
        assert await clients[0].zcard(f"{PREFIX}:sharers:cart") == 0
    finally:
        await swallowing.aclose()


async def test_an_unreachable_redis_is_service_unavailable() -> None:
    from tests.redis_server import free_port

    client = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    try:
        with pytest.raises(ServiceUnavailable, match="Redis") as caught:
            async with redis_locks(client).hold("cart"):
                pass
        assert "127.0.0.1" not in str(caught.value)
    finally:
        await client.aclose()
