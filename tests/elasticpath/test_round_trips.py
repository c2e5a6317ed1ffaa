"""Elastic Path writes without a read first (adapters/elasticpath/adapter.py): the cart
this process answered with is written at once, and every not-found is still typed,
also when another gateway process deleted the cart or the line in between.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.elasticpath.adapter import ElasticPathBackend
from adapters.errors import CartNotFound, InvalidDiscountCode, LineNotFound
from adapters.model import DiscountCode, LineToAdd, LineUpdate, NewCart
from sandboxes.elasticpath import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    create_sandbox_app,
)
from tests.support import CountingTransport

pytestmark = pytest.mark.anyio


class Processes:
    """Two gateway processes (each with its own memory) in front of one store."""

    def __init__(self) -> None:
        self.now = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)
        app = create_sandbox_app(clock=lambda: self.now)
        self.traffic = CountingTransport(httpx.ASGITransport(app=app))
        self.one, self.other = (
            ElasticPathBackend(api_url="http://ep.test", client_id=SANDBOX_CLIENT_ID,
                               client_secret=SANDBOX_CLIENT_SECRET, timeout=5.0,
                               sandbox=True, transport=self.traffic,
                               clock=lambda: self.now.timestamp())
            for _ in range(2))

    def later(self) -> None:
        """Elastic Path times carts in whole seconds; the next write is a second later."""
        self.now += timedelta(seconds=1)

    def sent(self, since: int) -> list[str]:
        return [f"{r.method} {r.url.path}" for r in self.traffic.requests[since:]]


@pytest.fixture
async def processes() -> AsyncIterator[Processes]:
    both = Processes()
    yield both
    await both.one.aclose()
    await both.other.aclose()


async def _cart(backend: ElasticPathBackend, *skus: str) -> str:
    cart = await backend.create_cart(NewCart(
        currency="USD", lines=tuple(LineToAdd(1, sku=sku) for sku in skus or ("MUG-ORBIT",))))
    return cart.id


async def test_a_new_cart_without_lines_is_answered_by_its_creation(
    processes: Processes,
) -> None:
    created = await processes.one.create_cart(NewCart(currency="USD"))
    assert [r.method for r in processes.traffic.requests][1:] == ["POST"]
    read = await processes.other.get_cart(created.id)
    assert read == created


async def test_adding_to_a_cart_deleted_elsewhere_is_cart_not_found_and_leaves_no_cart(
    processes: Processes,
) -> None:
    cart_id = await _cart(processes.one)
    await processes.other.delete_cart(cart_id)
    processes.later()
    with pytest.raises(CartNotFound) as caught:
        await processes.one.add_lines(cart_id, [LineToAdd(1, sku="PENCIL-HB")], [])
    assert caught.value.field == ("cartId",)
    assert await processes.other.get_cart(cart_id) is None
    # Forgotten: the next write reads first, and writes nothing.
    mark = len(processes.traffic.requests)
    with pytest.raises(CartNotFound):
        await processes.one.add_lines(cart_id, [LineToAdd(1, sku="PENCIL-HB")], [])
    assert processes.sent(mark) == [f"GET /v2/carts/{cart_id}"]


async def test_a_code_for_a_cart_deleted_elsewhere_is_cart_not_found(
    processes: Processes,
) -> None:
    cart_id = await _cart(processes.one)
    await processes.other.delete_cart(cart_id)
    processes.later()
    with pytest.raises(CartNotFound):
        await processes.one.update_discount_codes(cart_id, ["SAVE10"])
    assert await processes.other.get_cart(cart_id) is None


async def test_changing_a_line_or_cart_gone_elsewhere_is_line_or_cart_not_found(
    processes: Processes,
) -> None:
    cart_id = await _cart(processes.one, "MUG-ORBIT", "PENCIL-HB")
    cart = await processes.one.get_cart(cart_id)
    assert cart is not None
    mug, pencil = sorted(cart.lines, key=lambda line: line.sku or "")
    await processes.other.remove_lines(cart_id, [mug.id])
    with pytest.raises(LineNotFound) as gone:
        await processes.one.update_lines(cart_id, [LineUpdate(mug.id, quantity=2)])
    assert gone.value.field == ("lines", "0", "id")
    with pytest.raises(LineNotFound) as removed:
        await processes.one.remove_lines(cart_id, [mug.id])
    assert removed.value.field == ("lineIds", "0")
    await processes.other.delete_cart(cart_id)
    with pytest.raises(CartNotFound):
        await processes.one.update_lines(cart_id, [LineUpdate(pencil.id, quantity=2)])
    with pytest.raises(CartNotFound):
        await processes.one.remove_lines(cart_id, [pencil.id])
    assert await processes.other.get_cart(cart_id) is None


async def test_one_code_replaces_the_others_and_a_refused_one_changes_nothing(
    processes: Processes,
) -> None:
    cart_id = await _cart(processes.one, "TEE-TRAIL-M")
    first = await processes.one.update_discount_codes(cart_id, ["SAVE15"])
    assert first.discount_codes == (DiscountCode("SAVE15", True),)
    again = await processes.one.update_discount_codes(cart_id, ["save15"])
    assert again.discount_codes == first.discount_codes
    replaced = await processes.one.update_discount_codes(cart_id, ["FIVEOFF"])
    assert replaced.discount_codes == (DiscountCode("FIVEOFF", True),)
    with pytest.raises(InvalidDiscountCode) as refused:
        await processes.one.update_discount_codes(cart_id, ["NOSUCHCODE"])
    assert refused.value.field == ("discountCodes", "0")
    after = await processes.other.get_cart(cart_id)
    assert after is not None and after.version == replaced.version
