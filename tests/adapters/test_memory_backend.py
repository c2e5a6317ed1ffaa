"""What only the in-memory vendor has: its own catalog, a vendor's latency, no network."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from adapters.capabilities import Capability
from adapters.delivery import Address
from adapters.errors import ServiceUnavailable, UnsupportedOperation
from adapters.memory import Catalog, DiscountRule, MemoryBackend, Product, Variant
from adapters.model import LineToAdd, ManualDiscount, NewCart
from adapters.money import Money

pytestmark = pytest.mark.anyio


async def test_a_slow_store_still_loses_no_write() -> None:
    """Every call waits as a vendor's would, between reading the cart and writing it: the
    cart's lock keeps racing writers in line.
    """
    backend = MemoryBackend(latency=0.005)
    cart = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=1, sku="PENCIL-HB"),)))
    await asyncio.gather(*(
        backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="PENCIL-HB")], [])
        for _ in range(20)))
    after = await backend.get_cart(cart.id)
    assert after is not None and after.total_quantity == 21


async def test_a_catalog_of_ones_own() -> None:
    catalog = Catalog(
        products=[Product(id="p1", sku="KETTLE", name="Kettle", prices={"CHF": "39.95"},
                          variants=(Variant(id="v1", sku="KETTLE"),))],
        codes=[DiscountRule(code="WELCOME", title="a third off", percent=Decimal(100) / 3)])
    backend = MemoryBackend(catalog=catalog)
    cart = await backend.create_cart(NewCart(currency="CHF", lines=(
        LineToAdd(quantity=1, product_id="p1"),), discount_codes=("welcome",)))
    assert [(line.sku, line.variant_id) for line in cart.lines] == [("KETTLE", "v1")]
    assert cart.cost.total_discount == Money.of("13.32", "CHF")
    assert cart.cost.total == Money.of("26.63", "CHF")
    assert [c.code for c in cart.discount_codes] == ["WELCOME"]


@pytest.mark.parametrize("write", ["manual discounts", "delivery address", "delivery option"])
async def test_what_it_does_not_do_is_refused_as_the_contract_says(write: str) -> None:
    backend = MemoryBackend()
    assert not backend.capabilities & {Capability.DELIVERY_QUOTES, Capability.TAX_ITEMS,
                                       Capability.BILLING_ADDRESS, Capability.VENDOR_TAX}
    cart = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=1, sku="MUG-ORBIT"),)))
    with pytest.raises(UnsupportedOperation) as refused:
        if write == "manual discounts":
            await backend.update_manual_discounts(
                cart.id, [ManualDiscount(amount=Decimal(1), title="sorry")])
        elif write == "delivery address":
            await backend.update_delivery_address(cart.id, Address(country_code="US"))
        else:
            await backend.select_delivery_option(cart.id, "group", "standard")
    assert refused.value.field == {"manual discounts": ("discounts",),
                                   "delivery address": ("address",),
                                   "delivery option": ("selectedDeliveryOptions",)}[write]
    after = await backend.get_cart(cart.id)
    assert after is not None and after.version == cart.version


async def test_what_one_process_keeps_is_bounded() -> None:
    """A storefront may create carts and lines without end; past the store's bounds the
    write is refused as a full vendor would refuse it, and every cart kept stays.
    """
    backend = MemoryBackend(max_carts=2, max_lines=2)
    first = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=1, sku="PENCIL-HB"),)))
    await backend.create_cart(NewCart(currency="USD"))
    with pytest.raises(ServiceUnavailable, match="at most 2 carts"):
        await backend.create_cart(NewCart(currency="USD"))
    await backend.add_lines(first.id, [LineToAdd(quantity=1, sku="MUG-ORBIT")], [])
    with pytest.raises(ServiceUnavailable, match="at most 2 lines"):
        await backend.add_lines(first.id, [LineToAdd(quantity=1, sku="TOTE-CANVAS")], [])
    kept = await backend.get_cart(first.id)
    assert kept is not None and [line.sku for line in kept.lines] == ["PENCIL-HB", "MUG-ORBIT"]
    await backend.delete_cart(first.id)
    assert (await backend.create_cart(NewCart(currency="USD"))).id != first.id
