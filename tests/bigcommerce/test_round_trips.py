"""BigCommerce writes with fewer round trips (adapters/bigcommerce/adapter.py): SKUs from
the catalog cache, one-line changes straight to the write, and every guarantee kept.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from adapters.bigcommerce.adapter import BigCommerceBackend
from adapters.bigcommerce.skus import sku_key
from adapters.errors import (
    CartNotFound,
    InvalidDiscountCode,
    LineNotFound,
    MerchandiseNotFound,
    UnsupportedCurrency,
    VersionConflict,
)
from adapters.model import LineToAdd, LineUpdate, NewCart
from adapters.request_context import attributes_wanted
from adapters.shared_state.json_cache import LocalJsonCache
from sandboxes.bigcommerce import (
    SANDBOX_ACCESS_TOKEN,
    SANDBOX_STORE_HASH,
    create_sandbox_app,
)
from tests.support import CountingTransport

pytestmark = pytest.mark.anyio

VARIANTS = "/catalog/variants"


class Store:
    """A BigCommerce backend over a sandbox, its traffic, and its catalog cache."""

    def __init__(self) -> None:
        self.traffic = CountingTransport(httpx.ASGITransport(app=create_sandbox_app()))
        self.catalog = LocalJsonCache(ttl=300)
        self.backend = self.build()

    def build(self) -> BigCommerceBackend:
        return BigCommerceBackend(
            api_url="http://bc.test", store_hash=SANDBOX_STORE_HASH,
            access_token=SANDBOX_ACCESS_TOKEN, timeout=5.0, sandbox=True,
            transport=self.traffic, catalog=self.catalog)

    def sent(self, since: int = 0) -> list[str]:
        prefix = f"/stores/{SANDBOX_STORE_HASH}/v3"
        return [f"{r.method} {r.url.path.removeprefix(prefix)}"
                for r in self.traffic.requests[since:]]


@pytest.fixture(autouse=True)
def attributes_not_shown() -> Iterator[None]:
    """The operations counted here do not show the cart's attributes (tests/contract/
    test_round_trips.py counts those that do): no metafields are read beside them.
    """
    token = attributes_wanted.set(False)
    yield
    attributes_wanted.reset(token)


@pytest.fixture
async def store() -> AsyncIterator[Store]:
    store = Store()
    yield store
    await store.backend.aclose()


async def test_a_sku_is_resolved_once_then_taken_from_the_cache(store: Store) -> None:
    first = await store.backend.create_cart(NewCart(lines=(LineToAdd(1, sku="MUG-ORBIT"),)))
    assert store.sent().count(f"GET {VARIANTS}") == 1
    mark = len(store.traffic.requests)
    second = await store.backend.create_cart(NewCart(lines=(LineToAdd(2, sku="MUG-ORBIT"),)))
    assert store.sent(mark) == ["POST /carts"]
    assert second.lines[0].variant_id == first.lines[0].variant_id
    assert second.lines[0].product_id == first.lines[0].product_id


async def test_an_unknown_sku_is_asked_for_every_time(store: Store) -> None:
    for _ in range(2):
        with pytest.raises(MerchandiseNotFound):
            await store.backend.create_cart(NewCart(lines=(LineToAdd(1, sku="NO-SUCH-SKU"),)))
    assert store.sent() == [f"GET {VARIANTS}", f"GET {VARIANTS}"]
    assert len(store.catalog) == 0


async def test_a_stale_variant_is_resolved_again_and_the_write_sent_once_more(
    store: Store,
) -> None:
    fresh = await store.backend.create_cart(NewCart(lines=(LineToAdd(1, sku="MUG-ORBIT"),)))
    key = sku_key("MUG-ORBIT")
    right = await store.catalog.get(key)
    assert right is not None
    # The variant the cache names was deleted from the catalog since it was resolved.
    await store.catalog.put(key, {"id": 987654, "product_id": right["product_id"]})
    mark = len(store.traffic.requests)
    added = await store.backend.add_lines(fresh.id, [LineToAdd(1, sku="MUG-ORBIT")], [])
    assert store.sent(mark) == [f"POST /carts/{fresh.id}/items", f"GET {VARIANTS}",
                                f"POST /carts/{fresh.id}/items"]
    assert [(line.sku, line.quantity) for line in added.lines] == [("MUG-ORBIT", 2)]
    assert await store.catalog.get(key) == right


async def test_a_one_line_update_of_a_known_line_is_one_call_and_keeps_the_version_check(
    store: Store,
) -> None:
    cart = await store.backend.create_cart(NewCart(lines=(LineToAdd(1, sku="TEE-TRAIL-M"),)))
    line = cart.lines[0]
    mark = len(store.traffic.requests)
    updated = await store.backend.update_lines(cart.id, [LineUpdate(line.id, quantity=3)],
                                               expected_version=cart.version)
    assert store.sent(mark) == [f"PUT /carts/{cart.id}/items/{line.id}"]
    assert updated is not None and updated.lines[0].quantity == 3
    assert updated.lines[0].variant_id == line.variant_id
    with pytest.raises(VersionConflict) as conflict:
        await store.backend.update_lines(cart.id, [LineUpdate(line.id, quantity=5)],
                                         expected_version=cart.version)
    assert conflict.value.current is not None
    assert conflict.value.current.version == updated.version
    assert conflict.value.current.lines[0].quantity == 3


async def test_a_line_gone_since_it_was_seen_is_line_not_found_and_a_gone_cart_cart_not_found(
    store: Store,
) -> None:
    cart = await store.backend.create_cart(NewCart(lines=(
        LineToAdd(1, sku="TEE-TRAIL-M"), LineToAdd(1, sku="MUG-ORBIT"))))
    tee, mug = sorted(cart.lines, key=lambda line: line.sku or "")[::-1]
    # Removed through another process: this one still remembers the line.
    other = store.build()
    await other.remove_lines(cart.id, [mug.id])
    with pytest.raises(LineNotFound) as gone:
        await store.backend.update_lines(cart.id, [LineUpdate(mug.id, quantity=2)])
    assert gone.value.field == ("lines", "0", "id")
    with pytest.raises(LineNotFound):
        await store.backend.remove_lines(cart.id, [mug.id])
    await other.delete_cart(cart.id)
    with pytest.raises(CartNotFound):
        await store.backend.remove_lines(cart.id, [tee.id])
    await other.aclose()


async def test_a_line_this_process_never_answered_with_is_read_first(store: Store) -> None:
    other = store.build()
    cart = await other.create_cart(NewCart(lines=(LineToAdd(1, sku="TEE-TRAIL-M"),)))
    mark = len(store.traffic.requests)
    updated = await store.backend.update_lines(cart.id, [LineUpdate(cart.lines[0].id, 2)])
    assert store.sent(mark) == [f"GET /carts/{cart.id}",
                                f"PUT /carts/{cart.id}/items/{cart.lines[0].id}"]
    assert updated is not None and updated.lines[0].quantity == 2
    await other.aclose()


async def test_one_code_replaces_the_others_without_a_read_first(store: Store) -> None:
    cart = await store.backend.create_cart(NewCart(lines=(LineToAdd(3, sku="TEE-TRAIL-M"),)))
    first = await store.backend.update_discount_codes(cart.id, ["SAVE10"])
    assert [c.code for c in first.discount_codes] == ["SAVE10"]
    mark = len(store.traffic.requests)
    replaced = await store.backend.update_discount_codes(cart.id, ["SAVE15"],
                                                         expected_version=first.version)
    assert store.sent(mark) == [f"POST /checkouts/{cart.id}/coupons",
                                f"DELETE /checkouts/{cart.id}/coupons/SAVE10",
                                f"GET /carts/{cart.id}"]
    assert [c.code for c in replaced.discount_codes] == ["SAVE15"]
    again = await store.backend.update_discount_codes(cart.id, ["save15"])
    assert [c.code for c in again.discount_codes] == ["SAVE15"]
    assert again.cost == replaced.cost
    with pytest.raises(VersionConflict):
        await store.backend.update_discount_codes(cart.id, ["FIVEOFF"],
                                                  expected_version=first.version)
    with pytest.raises(InvalidDiscountCode) as refused:
        await store.backend.update_discount_codes(cart.id, ["NOSUCHCODE"])
    assert refused.value.field == ("discountCodes", "0")
    after = await store.backend.get_cart(cart.id)
    assert after is not None and [c.code for c in after.discount_codes] == ["SAVE15"]
    await store.backend.delete_cart(cart.id)
    with pytest.raises(CartNotFound):
        await store.backend.update_discount_codes(cart.id, ["SAVE10"])


async def test_a_refused_currency_keeps_the_remembered_variant_and_costs_one_write(
    store: Store,
) -> None:
    await store.backend.create_cart(NewCart(lines=(LineToAdd(1, sku="MUG-ORBIT"),)))
    mark = len(store.traffic.requests)
    with pytest.raises(UnsupportedCurrency) as refused:
        await store.backend.create_cart(
            NewCart(currency="GBP", lines=(LineToAdd(1, sku="MUG-ORBIT"),)))
    assert refused.value.field == ("input", "currencyCode")
    assert store.sent(mark) == ["POST /carts"]
    assert await store.catalog.get(sku_key("MUG-ORBIT")) is not None
