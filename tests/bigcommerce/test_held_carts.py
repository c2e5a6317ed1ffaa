"""Empty BigCommerce carts held by the gateway (adapters/bigcommerce/held_carts.py): one
vendor cart however many first adds race, and one held cart for every process sharing
Redis.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from starlette.applications import Starlette

from adapters.bigcommerce.adapter import BigCommerceBackend
from adapters.errors import CartNotFound, VersionConflict
from adapters.model import BuyerIdentity, LineToAdd, NewCart
from adapters.shared_state.state import SharedState, connect
from sandboxes.bigcommerce import (
    SANDBOX_ACCESS_TOKEN,
    SANDBOX_STORE_HASH,
    create_sandbox_app,
)
from tests.redis_server import redis_server, redis_url
from tests.support import CountingTransport

__all__ = ["redis_server", "redis_url"]
pytestmark = pytest.mark.anyio
CREATE = f"POST /stores/{SANDBOX_STORE_HASH}/v3/carts"


@pytest.fixture
def vendor() -> Starlette:
    return create_sandbox_app()


@pytest.fixture
def traffic(vendor: Starlette) -> CountingTransport:
    return CountingTransport(httpx.ASGITransport(app=vendor))


def _backend(traffic: CountingTransport, shared: SharedState) -> BigCommerceBackend:
    return BigCommerceBackend(api_url="http://bc.test", store_hash=SANDBOX_STORE_HASH,
                              access_token=SANDBOX_ACCESS_TOKEN, timeout=5.0, sandbox=True,
                              transport=traffic, shared=shared)


@pytest.fixture
async def make_backend(
    traffic: CountingTransport,
) -> AsyncIterator[Callable[[SharedState], BigCommerceBackend]]:
    made: list[BigCommerceBackend] = []

    def make(shared: SharedState) -> BigCommerceBackend:
        made.append(_backend(traffic, shared))
        return made[-1]

    yield make
    for backend in made:
        await backend.aclose()


async def test_an_empty_cart_costs_no_vendor_call_until_its_first_line(
    make_backend: Callable[[SharedState], BigCommerceBackend], traffic: CountingTransport,
) -> None:
    backend = make_backend(SharedState())
    held = await backend.create_cart(NewCart(currency="JPY", locale="ja-JP",
                                             buyer=BuyerIdentity(customer_id="17")))
    named = await backend.update_discount_codes(held.id, ["SAVE10"],
                                                expected_version=held.version)
    assert named.version != held.version
    with pytest.raises(VersionConflict) as stale:
        await backend.update_discount_codes(held.id, [], expected_version=held.version)
    assert stale.value.current == named
    assert await backend.get_cart(held.id) == named
    assert traffic.requests == []
    filled = await backend.add_lines(held.id, [LineToAdd(quantity=1, sku="MUG-ORBIT")], [])
    assert (filled.id, filled.currency, filled.locale, filled.customer_id) == (
        held.id, "JPY", "ja-JP", "17")
    assert [c.code for c in filled.discount_codes] == ["SAVE10"]
    assert traffic.writes().count(CREATE) == 1


async def test_two_first_adds_at_once_create_one_vendor_cart(
    make_backend: Callable[[SharedState], BigCommerceBackend], traffic: CountingTransport,
) -> None:
    backend = make_backend(SharedState())
    held = await backend.create_cart(NewCart(currency="USD"))
    carts = await asyncio.gather(*(
        backend.add_lines(held.id, [LineToAdd(quantity=1, sku=sku)], [])
        for sku in ("MUG-ORBIT", "PENCIL-HB", "TOTE-CANVAS")))
    assert {cart.id for cart in carts} == {held.id}
    assert traffic.writes().count(CREATE) == 1
    final = await backend.get_cart(held.id)
    assert final is not None
    assert sorted(line.sku or "" for line in final.lines) == [
        "MUG-ORBIT", "PENCIL-HB", "TOTE-CANVAS"]


async def test_processes_sharing_redis_share_the_held_cart(
    make_backend: Callable[[SharedState], BigCommerceBackend], traffic: CountingTransport,
    redis_url: str,
) -> None:
    first = connect(redis_url, lock_ttl=5.0)
    second = connect(redis_url, lock_ttl=5.0)
    try:
        one, other = make_backend(first), make_backend(second)
        held = await one.create_cart(NewCart(currency="EUR"))
        assert await other.get_cart(held.id) == held
        await asyncio.gather(
            one.add_lines(held.id, [LineToAdd(quantity=1, sku="MUG-ORBIT")], []),
            other.add_lines(held.id, [LineToAdd(quantity=2, sku="PENCIL-HB")], []))
        assert traffic.writes().count(CREATE) == 1
        read = await one.get_cart(held.id)
        assert read is not None and read.total_quantity == 3 and read.currency == "EUR"
        await other.delete_cart(held.id)
        assert await one.get_cart(held.id) is None
        with pytest.raises(CartNotFound):
            await one.delete_cart(held.id)
    finally:
        await first.aclose()
        await second.aclose()
