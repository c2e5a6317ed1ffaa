"""Item writes made without a check share the cart's lock; every other write holds it alone.

The vendor is the Elastic Path sandbox over ASGI, behind a transport that holds each item
write for a moment, so writes that may overlap do, and the log shows which did.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.elasticpath.adapter import ElasticPathBackend
from adapters.errors import VersionConflict
from adapters.model import Cart, CartAttributes, LineToAdd, LineUpdate, NewCart
from adapters.shared_state.state import SharedState, connect
from sandboxes.elasticpath import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, create_sandbox_app
from tests.redis_server import redis_server, redis_url

pytestmark = pytest.mark.anyio
__all__ = ["redis_server", "redis_url"]

ITEM_WRITE_PAUSE = 0.05


class PacedVendor(httpx.AsyncBaseTransport):
    """The sandbox, with each item write held a moment; logs when each call starts and ends."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.log: list[tuple[str, str]] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        call = f"{request.method} {request.url.path}"
        if request.url.path.endswith("/oauth/access_token"):
            return await self.inner.handle_async_request(request)
        self.log.append(("start", call))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if "/items" in request.url.path and request.method != "GET":
                await asyncio.sleep(ITEM_WRITE_PAUSE)
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1
            self.log.append(("end", call))

    def cart_calls(self) -> list[str]:
        """The calls to carts, in the order they started (catalog look-ups left out)."""
        return [call for event, call in self.log if event == "start" and "/v2/carts" in call]

    def reset(self) -> None:
        self.log.clear()
        self.most_in_flight = 0


@pytest.fixture
async def vendor() -> PacedVendor:
    return PacedVendor(httpx.ASGITransport(app=create_sandbox_app()))


def _backend(vendor: PacedVendor, shared: SharedState | None = None) -> ElasticPathBackend:
    return ElasticPathBackend(api_url="http://ep.test", client_id=SANDBOX_CLIENT_ID,
                              client_secret=SANDBOX_CLIENT_SECRET, timeout=5.0,
                              sandbox=True, transport=vendor, shared=shared)


@pytest.fixture
async def backend(vendor: PacedVendor) -> AsyncIterator[ElasticPathBackend]:
    made = _backend(vendor)
    yield made
    await made.aclose()


async def _cart(backend: ElasticPathBackend, *lines: LineToAdd) -> Cart:
    return await backend.create_cart(NewCart(
        currency="USD", lines=lines or (LineToAdd(quantity=1, sku="MUG-ORBIT"),)))


async def _until_in_flight(vendor: PacedVendor, calls: int) -> None:
    async with asyncio.timeout(2):
        while vendor.in_flight < calls:
            await asyncio.sleep(0.001)


def _quantities(cart: Cart) -> dict[str | None, int]:
    return {line.sku: line.quantity for line in cart.lines}


async def test_adds_to_one_cart_reach_the_vendor_together_and_none_is_lost(
    backend: ElasticPathBackend, vendor: PacedVendor,
) -> None:
    cart = await _cart(backend)
    vendor.reset()
    skus = ("TOTE-CANVAS", "PENCIL-HB", "MUG-ORBIT", "EBOOK-FIELD")
    answers = await asyncio.gather(*(
        backend.add_lines(cart.id, [LineToAdd(quantity=2, sku=sku)], []) for sku in skus))
    # All four item writes were at the vendor at once, and each was the add's only call.
    assert vendor.most_in_flight == 4
    assert vendor.cart_calls() == [f"POST /v2/carts/{cart.id}/items"] * 4
    for sku, answer in zip(skus, answers, strict=True):
        assert _quantities(answer)[sku] >= 2
    after = await backend.get_cart(cart.id)
    assert after is not None
    assert _quantities(after) == {"MUG-ORBIT": 3, "TOTE-CANVAS": 2, "PENCIL-HB": 2,
                                  "EBOOK-FIELD": 2}
    # The answer of the write that landed last is the cart a read shows, version and all.
    assert after.version in {answer.version for answer in answers}
    assert after in answers


async def test_one_line_updates_and_removals_share_the_lock_too(
    backend: ElasticPathBackend, vendor: PacedVendor,
) -> None:
    cart = await _cart(backend, LineToAdd(quantity=1, sku="MUG-ORBIT"),
                       LineToAdd(quantity=1, sku="TOTE-CANVAS"))
    mug, tote = (line.id for line in cart.lines)
    vendor.reset()
    await asyncio.gather(backend.update_lines(cart.id, [LineUpdate(mug, quantity=5)]),
                         backend.remove_lines(cart.id, [tote]))
    assert vendor.most_in_flight == 2
    after = await backend.get_cart(cart.id)
    assert after is not None and _quantities(after) == {"MUG-ORBIT": 5}


async def test_a_checked_write_waits_for_sharing_writes_and_sees_what_they_did(
    backend: ElasticPathBackend, vendor: PacedVendor,
) -> None:
    cart = await _cart(backend)
    vendor.reset()
    adds = [asyncio.create_task(backend.add_lines(
        cart.id, [LineToAdd(quantity=1, sku="PENCIL-HB")], [])) for _ in range(3)]
    await _until_in_flight(vendor, 3)
    # Checked against the version from before the adds: it waits for them, then conflicts.
    with pytest.raises(VersionConflict) as caught:
        await backend.update_lines(cart.id, [LineUpdate(cart.lines[0].id, quantity=4)],
                                   expected_version=cart.version)
    await asyncio.gather(*adds)
    assert caught.value.current is not None
    assert _quantities(caught.value.current) == {"MUG-ORBIT": 1, "PENCIL-HB": 3}
    last_add_ended = max(i for i, (event, call) in enumerate(vendor.log)
                         if event == "end" and call.startswith("POST"))
    first_check_read = next(i for i, (event, call) in enumerate(vendor.log)
                            if event == "start" and call.startswith("GET /v2/carts"))
    assert first_check_read > last_add_ended


async def test_adds_arriving_while_a_checked_write_waits_go_after_it(
    backend: ElasticPathBackend, vendor: PacedVendor,
) -> None:
    cart = await _cart(backend)
    vendor.reset()
    first = asyncio.create_task(backend.add_lines(
        cart.id, [LineToAdd(quantity=1, sku="PENCIL-HB")], []))
    await _until_in_flight(vendor, 1)
    checked = asyncio.create_task(backend.update_lines(
        cart.id, [LineUpdate(cart.lines[0].id, quantity=4)], expected_version=cart.version))
    await asyncio.sleep(0.005)
    later = asyncio.create_task(backend.add_lines(
        cart.id, [LineToAdd(quantity=1, sku="TOTE-CANVAS")], []))
    await asyncio.gather(first, later, checked, return_exceptions=True)
    assert isinstance(checked.exception(), VersionConflict)
    posts = [i for i, (event, call) in enumerate(vendor.log)
             if event == "start" and call.startswith("POST")]
    check_read = next(i for i, (event, call) in enumerate(vendor.log)
                      if event == "start" and call.startswith("GET /v2/carts"))
    # The later add waited for the checked write that was waiting before it came.
    assert posts[0] < check_read < posts[1]


async def test_processes_sharing_redis_share_a_cart_s_lock_and_see_each_other_s_changes(
    vendor: PacedVendor, redis_url: str,
) -> None:
    states = [connect(redis_url, lock_ttl=5.0), connect(redis_url, lock_ttl=5.0)]
    first, second = (_backend(vendor, state) for state in states)
    try:
        cart = await _cart(first)
        # The second process, new to the cart, checks it under the lock held alone; the
        # first one's fields are older than that write, so its next add reads the cart.
        for backend in (second, first):
            await backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="MUG-ORBIT")], [])
        assert vendor.cart_calls()[-2:] == [f"POST /v2/carts/{cart.id}/items",
                                            f"GET /v2/carts/{cart.id}"]
        vendor.reset()
        # Adds through both processes at once: all at the vendor together, one call each.
        answers = await asyncio.gather(*(
            backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="MUG-ORBIT")], [])
            for backend in (first, second, first, second)))
        assert vendor.most_in_flight == 4
        assert vendor.cart_calls() == [f"POST /v2/carts/{cart.id}/items"] * 4
        assert max(_quantities(answer)["MUG-ORBIT"] for answer in answers) == 7
        # The second process renames the cart; the first one's next add shows the new name,
        # as its kept fields are older than that holder's write.
        await second.update_attributes(cart.id, CartAttributes(name="Renamed"))
        vendor.reset()
        added = await first.add_lines(cart.id, [LineToAdd(quantity=1, sku="MUG-ORBIT")], [])
        assert added.name == "Renamed"
        assert vendor.cart_calls() == [f"POST /v2/carts/{cart.id}/items",
                                       f"GET /v2/carts/{cart.id}"]
        assert added == await second.get_cart(cart.id)
    finally:
        for backend in (first, second):
            await backend.aclose()
        for state in states:
            await state.aclose()
