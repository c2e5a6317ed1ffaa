"""Create, read and delete: a cart exists until it is deleted, and reads as it was written."""

from __future__ import annotations

import pytest

from adapters.base import CartBackend
from adapters.errors import CartNotFound, MerchandiseNotFound, UnsupportedCurrency
from adapters.model import BuyerIdentity, LineKind, LineToAdd, NewCart
from adapters.money import Money
from tests.adapters.subjects import Subject

pytestmark = pytest.mark.anyio

MISSING = "9d0e8f52-0000-4000-8000-00000000dead"


async def test_create_and_read(backend: CartBackend) -> None:
    cart = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=2, sku="MUG-ORBIT"), LineToAdd(quantity=1, sku="TEE-TRAIL-M"))))
    assert cart.backend is backend.backend
    assert cart.currency == "USD"
    assert cart.total_quantity == 3
    mug = next(line for line in cart.lines if line.sku == "MUG-ORBIT")
    assert (mug.kind, mug.name, mug.quantity) == (LineKind.PHYSICAL, "Orbit Coffee Mug", 2)
    assert mug.cost.amount_per_quantity == Money.of("12.50", "USD")
    assert mug.cost.total == Money.of("25.00", "USD")
    assert cart.cost.subtotal == cart.cost.total == Money.of("44.99", "USD")
    assert cart.cost.total_discount == Money.zero("USD")

    read = await backend.get_cart(cart.id)
    assert read is not None
    assert (read.id, read.version, read.lines, read.cost) == (
        cart.id, cart.version, cart.lines, cart.cost)


async def test_an_empty_cart_keeps_its_currency_locale_and_customer(
    backend: CartBackend, subject: Subject
) -> None:
    customer = subject.customer_id
    cart = await backend.create_cart(NewCart(currency="EUR", locale="de-DE",
                                             buyer=BuyerIdentity(customer_id=customer)))
    assert (cart.lines, cart.currency, cart.locale, cart.customer_id) == (
        (), "EUR", "de-DE", customer)
    assert cart.cost.total == Money.zero("EUR")
    read = await backend.get_cart(cart.id)
    assert read is not None and read.version == cart.version and read.currency == "EUR"
    filled = await backend.add_lines(cart.id, [LineToAdd(quantity=2, sku="MUG-ORBIT")], [],
                                     expected_version=cart.version)
    assert (filled.id, filled.currency, filled.locale, filled.customer_id) == (
        cart.id, "EUR", "de-DE", customer)
    assert filled.cost.total == Money.of("23.80", "EUR")


async def test_an_unknown_cart_reads_as_none(backend: CartBackend) -> None:
    assert await backend.get_cart(MISSING) is None


async def test_delete(backend: CartBackend) -> None:
    cart = await backend.create_cart(NewCart(currency="USD",
                                             lines=(LineToAdd(quantity=1, sku="PENCIL-HB"),)))
    await backend.delete_cart(cart.id)
    assert await backend.get_cart(cart.id) is None
    with pytest.raises(CartNotFound):
        await backend.delete_cart(cart.id)


async def test_delete_if_at_keeps_a_cart_that_moved_on(backend: CartBackend) -> None:
    cart = await backend.create_cart(NewCart(currency="USD",
                                             lines=(LineToAdd(quantity=1, sku="PENCIL-HB"),)))
    moved = await backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="MUG-ORBIT")], [])
    kept = await backend.delete_cart_if_at(cart.id, cart.version)
    assert kept is not None and kept.version == moved.version
    assert await backend.delete_cart_if_at(cart.id, moved.version) is None
    assert await backend.get_cart(cart.id) is None


async def test_an_unknown_sku_creates_nothing(backend: CartBackend) -> None:
    with pytest.raises(MerchandiseNotFound) as refused:
        await backend.create_cart(NewCart(currency="USD", lines=(
            LineToAdd(quantity=1, sku="MUG-ORBIT"), LineToAdd(quantity=1, sku="NOPE-SKU"))))
    assert refused.value.field == ("input", "lines", "1", "sku")
    assert refused.value.message == "the catalog has no product with SKU 'NOPE-SKU'"


async def test_a_currency_the_store_does_not_sell_in(backend: CartBackend) -> None:
    with pytest.raises(UnsupportedCurrency) as refused:
        await backend.create_cart(NewCart(currency="CHF", lines=(
            LineToAdd(quantity=1, sku="MUG-ORBIT"),)))
    assert refused.value.field == ("input", "currencyCode")
