"""ElasticPathBackend against the Elastic Path sandbox over ASGI (real HTTP semantics)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest

from adapters.elasticpath.adapter import ElasticPathBackend
from adapters.elasticpath.gateway_attributes import CURRENCY, LOCALE, user_attributes
from adapters.errors import (
    CartNotFound,
    InvalidDiscountCode,
    InvalidInput,
    LineNotFound,
    MerchandiseNotFound,
    UnsupportedOperation,
    VersionConflict,
)
from adapters.locks import KeyedLocks
from adapters.model import (
    BuyerIdentity,
    Cart,
    CartAttributes,
    CustomLineToAdd,
    DiscountCode,
    LineKind,
    LineToAdd,
    LineUpdate,
    NewCart,
)
from adapters.money import Money
from sandboxes.elasticpath import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    create_sandbox_app,
)
from tests.support import CountingTransport

pytestmark = pytest.mark.anyio

MUG_ID = "a246b329-370e-5386-a1a5-071e8cd824ee"


@dataclass
class Store:
    backend: ElasticPathBackend
    traffic: CountingTransport
    vendor: httpx.AsyncClient

    def writes(self) -> list[str]:
        return [w for w in self.traffic.writes() if not w.endswith("/oauth/access_token")]

    async def cart_count(self) -> int:
        listing = await self.vendor.get("/v2/carts")
        total: int = listing.json()["meta"]["results"]["total"]
        return total


@pytest.fixture
async def store() -> AsyncIterator[Store]:
    app = create_sandbox_app()
    traffic = CountingTransport(httpx.ASGITransport(app=app))
    backend = ElasticPathBackend(api_url="http://ep.test", client_id=SANDBOX_CLIENT_ID,
                                 client_secret=SANDBOX_CLIENT_SECRET, timeout=5.0,
                                 sandbox=True, transport=traffic)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://ep.test") as vendor:
        token = await vendor.post("/oauth/access_token", data={
            "grant_type": "client_credentials", "client_id": SANDBOX_CLIENT_ID,
            "client_secret": SANDBOX_CLIENT_SECRET})
        vendor.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield Store(backend, traffic, vendor)
    await backend.aclose()


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


async def _cart(store: Store, *lines: LineToAdd) -> Cart:
    return await store.backend.create_cart(NewCart(
        currency="USD", lines=lines or (LineToAdd(quantity=1, sku="MUG-ORBIT"),)))


async def test_create_with_catalog_and_custom_lines(store: Store) -> None:
    cart = await store.backend.create_cart(NewCart(
        currency="JPY",
        lines=(LineToAdd(quantity=2, sku="MUG-ORBIT"),
               LineToAdd(quantity=1, product_id="55aba869-e287-57c3-8127-42cd9d8a89da")),
        custom_lines=(CustomLineToAdd(name="Engraving", quantity=1, list_price=Decimal("500"),
                                      sku="ENGRAVING"),),
        buyer=BuyerIdentity(email="shopper@example.com"),
        attributes=CartAttributes(name="Gifts", description="For the holidays"),
    ))
    assert cart.currency == "JPY"
    assert [(li.sku, li.kind, li.quantity, li.cost.total.amount) for li in cart.lines] == [
        ("MUG-ORBIT", LineKind.PHYSICAL, 2, Decimal("3600")),
        ("TEE-TRAIL-M", LineKind.PHYSICAL, 1, Decimal("2980")),
        ("ENGRAVING", LineKind.CUSTOM, 1, Decimal("500")),
    ]
    assert cart.lines[0].product_id == MUG_ID
    assert cart.cost.total == Money(Decimal("7080"), "JPY")
    assert (cart.name, cart.description, cart.email) == (
        "Gifts", "For the holidays", "shopper@example.com")
    [add] = [r for r in store.traffic.requests if r.url.path.endswith("/items")]
    assert add.headers["x-moltin-currency"] == "JPY"
    assert await store.backend.get_cart(cart.id) == cart


async def test_empty_cart_is_kept_and_read_back(store: Store) -> None:
    cart = await store.backend.create_cart(NewCart(currency="USD"))
    # Elastic Path names an unnamed cart "Cart"; that default reads as no name.
    assert (cart.lines, cart.cost.total, cart.name) == ((), usd("0.00"), None)
    read = await store.backend.get_cart(cart.id)
    assert read is not None and read.version == cart.version


async def test_catalog_list_price_is_unsupported_before_any_call(store: Store) -> None:
    with pytest.raises(UnsupportedOperation) as caught:
        await store.backend.create_cart(NewCart(currency="USD", lines=(
            LineToAdd(quantity=1, sku="MUG-ORBIT", list_price=Decimal("1.00")),)))
    assert caught.value.field == ("input", "lines", "0", "listPrice")
    assert store.traffic.requests == []
    cart = await _cart(store)
    with pytest.raises(UnsupportedOperation) as caught:
        await store.backend.add_lines(cart.id, [
            LineToAdd(quantity=1, sku="TOTE-CANVAS"),
            LineToAdd(quantity=1, sku="MUG-ORBIT", list_price=Decimal("1.00"))], [])
    assert caught.value.field == ("lines", "1", "listPrice")
    with pytest.raises(UnsupportedOperation) as caught:
        await store.backend.update_lines(
            cart.id, [LineUpdate(line_id=cart.lines[0].id, list_price=Decimal("1.00"))])
    assert caught.value.field == ("lines", "0", "listPrice")
    assert await store.backend.get_cart(cart.id) == cart


async def test_refused_entry_of_a_bulk_add_is_named_and_nothing_changes(store: Store) -> None:
    cart = await _cart(store)
    with pytest.raises(MerchandiseNotFound) as caught:
        await store.backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="TOTE-CANVAS"),
                                                LineToAdd(quantity=1, sku="NO-SUCH-SKU")], [])
    assert caught.value.field == ("lines", "1", "sku")
    assert await store.backend.get_cart(cart.id) == cart
    assert await store.cart_count() == 1  # the scratch cart is gone again


async def test_update_and_remove_lines_keep_the_emptied_cart(store: Store) -> None:
    cart = await _cart(store, LineToAdd(quantity=1, sku="MUG-ORBIT"),
                       LineToAdd(quantity=1, sku="TOTE-CANVAS"))
    mug, tote = cart.lines
    updated = await store.backend.update_lines(cart.id, [LineUpdate(mug.id, quantity=3),
                                                         LineUpdate(tote.id, quantity=0)])
    assert updated is not None
    assert [(li.sku, li.quantity) for li in updated.lines] == [("MUG-ORBIT", 3)]
    assert updated.cost.total == usd("37.50")
    with pytest.raises(LineNotFound) as caught:
        await store.backend.update_lines(cart.id, [LineUpdate("nope", quantity=2)])
    assert caught.value.field == ("lines", "0", "id")
    emptied = await store.backend.remove_lines(cart.id, [mug.id], expected_version=updated.version)
    assert emptied is not None
    assert (emptied.lines, emptied.cost.total) == ((), usd("0.00"))
    assert await store.backend.get_cart(cart.id) == emptied


async def test_stale_version_changes_nothing_and_carries_the_cart(store: Store) -> None:
    cart = await _cart(store)
    moved = await store.backend.update_lines(cart.id, [LineUpdate(cart.lines[0].id, quantity=2)])
    writes = len(store.writes())
    with pytest.raises(VersionConflict) as caught:
        await store.backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="TOTE-CANVAS")], [],
                                      expected_version=cart.version)
    assert caught.value.current == moved
    assert len(store.writes()) == writes


async def test_concurrent_writes_with_one_version_let_exactly_one_through(store: Store) -> None:
    cart = await _cart(store)
    results = await asyncio.gather(*(
        store.backend.update_lines(cart.id, [LineUpdate(cart.lines[0].id, quantity=n)],
                                   expected_version=cart.version)
        for n in range(2, 12)), return_exceptions=True)
    assert sum(isinstance(r, Cart) for r in results) == 1
    assert sum(isinstance(r, VersionConflict) for r in results) == 9


async def test_buyer_email_and_customer_are_exclusive(store: Store) -> None:
    cart = await _cart(store)
    with_email = await store.backend.update_buyer_identity(
        cart.id, BuyerIdentity(email="guest@example.com"))
    assert (with_email.email, with_email.customer_id) == ("guest@example.com", None)
    with pytest.raises(InvalidInput) as caught:
        await store.backend.update_buyer_identity(cart.id, BuyerIdentity(customer_id="cust-1"))
    assert caught.value.field == ("buyerIdentity", "customerId")
    with pytest.raises(InvalidInput) as caught:
        await store.backend.update_buyer_identity(
            cart.id, BuyerIdentity(customer_id="cust-1", email="a@example.com"))
    assert caught.value.field == ("buyerIdentity", "email")
    registered = await store.backend.update_buyer_identity(
        cart.id, BuyerIdentity(customer_id="cust-1", email=""))
    assert (registered.email, registered.customer_id) == (None, "cust-1")
    assert registered.version != with_email.version
    guest = await store.backend.update_buyer_identity(cart.id, BuyerIdentity(customer_id=""))
    assert (guest.email, guest.customer_id) == (None, None)


async def test_attributes(store: Store) -> None:
    cart = await _cart(store)
    named = await store.backend.update_attributes(
        cart.id, CartAttributes(name="Wishlist", description="Later"))
    assert (named.name, named.description) == ("Wishlist", "Later")
    assert named.version != cart.version
    same = await store.backend.update_attributes(cart.id, CartAttributes(name="Wishlist"))
    assert same.version == named.version
    with pytest.raises(InvalidInput) as caught:
        await store.backend.update_attributes(cart.id, CartAttributes(name=""))
    assert caught.value.field == ("attributes", "name")


def _cart_calls(store: Store, start: int) -> list[str]:
    """The cart calls sent since ``start`` (not the catalog's), paths after /v2/carts/."""
    return [f"{r.method} {r.url.path.split('/v2/carts/', 1)[1]}"
            for r in store.traffic.requests[start:] if "/v2/carts/" in r.url.path]


async def test_an_item_write_reads_the_cart_after_another_write_changed_its_fields(
    store: Store,
) -> None:
    cart = await _cart(store)
    named = await store.backend.update_attributes(cart.id, CartAttributes(name="Wishlist"))
    start = len(store.traffic.requests)
    added = await store.backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="PENCIL-HB")], [])
    # The attributes write took the fields it may have changed: this add reads them anew.
    assert _cart_calls(store, start) == [f"POST {cart.id}/items", f"GET {cart.id}"]
    assert added.name == "Wishlist" and added.version != named.version
    start = len(store.traffic.requests)
    again = await store.backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="PENCIL-HB")], [])
    assert _cart_calls(store, start) == [f"POST {cart.id}/items"]
    read = await store.backend.get_cart(cart.id)
    assert read is not None
    assert again == read
    assert again.name == "Wishlist" and again.total_quantity == 3


async def test_discount_codes_are_replaced_and_a_refusal_undoes_the_call(store: Store) -> None:
    cart = await _cart(store, LineToAdd(quantity=3, sku="TEE-TRAIL-M"))
    coded = await store.backend.update_discount_codes(cart.id, ["SAVE15"])
    assert coded.discount_codes == (DiscountCode("SAVE15", True),)
    assert (coded.cost.subtotal, coded.cost.total_discount, coded.cost.total) == (
        usd("59.97"), usd("9.00"), usd("50.97"))
    with pytest.raises(InvalidDiscountCode) as caught:
        await store.backend.update_discount_codes(cart.id, ["FIVEOFF", "NOSUCHCODE"])
    assert caught.value.field == ("discountCodes", "1")
    after = await store.backend.get_cart(cart.id)
    assert after is not None
    assert (after.discount_codes, after.cost) == (coded.discount_codes, coded.cost)
    cleared = await store.backend.update_discount_codes(cart.id, [])
    assert (cleared.discount_codes, cleared.cost.total) == ((), usd("59.97"))


async def test_unknown_cart_reads_as_none_and_cannot_be_written(store: Store) -> None:
    assert await store.backend.get_cart("never-made") is None
    with pytest.raises(CartNotFound) as caught:
        await store.backend.add_lines("never-made", [LineToAdd(quantity=1, sku="MUG-ORBIT")], [])
    assert caught.value.field == ("cartId",)
    assert store.writes() == []
    assert await store.cart_count() == 0


async def test_delete_then_delete_again(store: Store) -> None:
    cart = await _cart(store)
    await store.backend.delete_cart(cart.id)
    assert await store.backend.get_cart(cart.id) is None
    with pytest.raises(CartNotFound):
        await store.backend.delete_cart(cart.id)


async def test_ping(store: Store) -> None:
    await store.backend.ping()
    assert [r.url.path for r in store.traffic.requests][-1] == "/v2/settings/cart"


async def test_keyed_locks_serialise_and_forget_idle_keys() -> None:
    locks = KeyedLocks()
    order: list[str] = []

    async def hold(name: str) -> None:
        async with locks.hold("cart"):
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    await asyncio.gather(hold("a"), hold("b"))
    assert order == ["a in", "a out", "b in", "b out"]
    assert len(locks) == 0


async def test_keyed_lock_is_released_when_a_waiter_or_holder_is_cancelled() -> None:
    locks = KeyedLocks()
    entered = asyncio.Event()

    async def holder() -> None:
        async with locks.hold("cart"):
            entered.set()
            await asyncio.sleep(10)

    async def waiter() -> None:
        async with locks.hold("cart"):
            pass

    held = asyncio.create_task(holder())
    await entered.wait()
    waiting = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    assert "cart" in locks
    waiting.cancel()
    held.cancel()
    await asyncio.gather(held, waiting, return_exceptions=True)
    assert len(locks) == 0
    async with locks.hold("cart"):
        assert "cart" in locks
    assert len(locks) == 0


# Reading an unchanged cart again reuses what was built (adapters/answer_memo.py); a
# change made outside the gateway, through Elastic Path's own API, shows at once.
REREAD_LINES = (LineToAdd(quantity=2, sku="MUG-ORBIT"), LineToAdd(quantity=1, sku="TOTE-CANVAS"),
                LineToAdd(quantity=3, sku="PENCIL-HB"))


async def test_rereads_share_the_cart_until_it_changes_outside_the_gateway(
    store: Store,
) -> None:
    backend, vendor = store.backend, store.vendor
    created = await backend.create_cart(NewCart(currency="USD", lines=REREAD_LINES))
    first = await backend.get_cart(created.id)
    second = await backend.get_cart(created.id)
    assert first is not None and second == first
    assert second is first

    added = await vendor.post(f"/v2/carts/{created.id}/items", json={"data": {
        "type": "custom_item", "name": "Gift wrap", "sku": "WRAP", "quantity": 1,
        "price": {"amount": 350}}})
    assert added.status_code == 201, added.text
    after = await backend.get_cart(created.id)
    assert after is not None and after is not first
    assert [line.sku for line in after.lines][-1] == "WRAP"
    assert after.cost.subtotal.amount == first.cost.subtotal.amount + Decimal("3.50")


async def test_an_unknown_cart_stays_unknown_when_read_again(
    store: Store,
) -> None:
    backend = store.backend
    assert await backend.get_cart("no-such-cart") is None
    assert await backend.get_cart("no-such-cart") is None


async def test_shared_lines_are_formatted_per_locale(
    store: Store,
) -> None:
    from gateway.graphql import types
    from gateway.graphql.fastpath.caches import FastPath

    backend = store.backend
    created = await backend.create_cart(NewCart(currency="USD", lines=REREAD_LINES))
    cart = await backend.get_cart(created.id)
    assert cart is not None
    line_sets = FastPath().line_sets
    english = types.cart(cart, "en-US", line_sets)
    german = types.cart(cart, "de-DE", line_sets)
    again = types.cart(cart, "en-US", line_sets)
    assert again.lines is english.lines
    mug = english.lines[0].cost.total_amount.formatted
    assert (mug, german.lines[0].cost.total_amount.formatted) == ("$25.00", "25,00\xa0$")


async def test_locale_is_kept_under_a_reserved_attribute_that_survives_other_writes(
    store: Store,
) -> None:
    cart = await store.backend.create_cart(NewCart(
        currency="EUR", locale="de-DE", lines=(LineToAdd(quantity=1, sku="MUG-ORBIT"),)))
    assert cart.locale == "de-DE"
    stored = (await store.vendor.get(f"/v2/carts/{cart.id}")).json()["data"]
    assert stored["custom_attributes"] == {LOCALE: {"type": "string", "value": "de-DE"},
                                           CURRENCY: {"type": "string", "value": "EUR"}}
    assert user_attributes(stored["custom_attributes"]) == {}
    named = await store.backend.update_attributes(cart.id, CartAttributes(name="Gifts"))
    assert (named.locale, named.name) == ("de-DE", "Gifts")
    assert (await store.backend.get_cart(cart.id)) == named
