"""Discount codes: the cart holds exactly the codes given, and an unknown one changes nothing."""

from __future__ import annotations

import pytest

from adapters.base import CartBackend
from adapters.capabilities import Capability
from adapters.errors import InvalidDiscountCode
from adapters.model import Cart, DiscountCode, DiscountKind, LineToAdd, NewCart
from adapters.money import Money

pytestmark = pytest.mark.anyio


async def _cart(backend: CartBackend, *lines: LineToAdd) -> Cart:
    return await backend.create_cart(NewCart(currency="USD", lines=lines))


async def test_a_percentage_off(backend: CartBackend) -> None:
    cart = await _cart(backend, LineToAdd(quantity=3, sku="TEE-TRAIL-M"))
    coded = await backend.update_discount_codes(cart.id, ["SAVE15"])
    assert coded.discount_codes == (DiscountCode(code="SAVE15", applicable=True),)
    assert coded.cost.subtotal == Money.of("59.97", "USD")
    assert coded.cost.total_discount == Money.of("9.00", "USD")
    assert coded.cost.total == Money.of("50.97", "USD")
    assert coded.version != cart.version
    shirt = coded.lines[0]
    if Capability.LINE_LEVEL_COUPON_ALLOCATION in backend.capabilities:
        assert [(a.kind, a.code, a.amount) for a in shirt.discounts] == [
            (DiscountKind.CODE, "SAVE15", Money.of("9.00", "USD"))]
        assert shirt.cost.total == Money.of("50.97", "USD")
    else:
        assert [(a.kind, a.code, a.amount) for a in coded.discounts] == [
            (DiscountKind.CODE, "SAVE15", Money.of("9.00", "USD"))]
        assert shirt.discounts == () and shirt.cost.total == shirt.cost.subtotal


async def test_a_code_for_one_product(backend: CartBackend) -> None:
    cart = await _cart(backend, LineToAdd(quantity=2, sku="MUG-ORBIT"),
                       LineToAdd(quantity=1, sku="TOTE-CANVAS"))
    coded = await backend.update_discount_codes(cart.id, ["MUG2OFF"])
    mug = next(line for line in coded.lines if line.sku == "MUG-ORBIT")
    tote = next(line for line in coded.lines if line.sku == "TOTE-CANVAS")
    assert [(a.kind, a.code, a.amount) for a in mug.discounts] == [
        (DiscountKind.CODE, "MUG2OFF", Money.of("4.00", "USD"))]
    assert mug.cost.amount_per_quantity == Money.of("12.50", "USD")
    assert mug.cost.total == Money.of("21.00", "USD")
    assert tote.discounts == ()
    assert coded.cost.total == Money.of("45.00", "USD")


async def test_codes_are_replaced_and_removed(backend: CartBackend) -> None:
    cart = await _cart(backend, LineToAdd(quantity=1, sku="TOTE-CANVAS"),
                       LineToAdd(quantity=1, sku="MUG-ORBIT"))
    both = await backend.update_discount_codes(cart.id, ["SAVE10", "FIVEOFF"])
    assert sorted(c.code for c in both.discount_codes) == ["FIVEOFF", "SAVE10"]
    one = await backend.update_discount_codes(cart.id, ["FIVEOFF"])
    assert one.discount_codes == (DiscountCode(code="FIVEOFF", applicable=True),)
    assert one.cost.total == Money.of("31.50", "USD")
    none = await backend.update_discount_codes(cart.id, [])
    assert none.discount_codes == ()
    assert none.cost.total == none.cost.subtotal == Money.of("36.50", "USD")


async def test_an_unknown_code_changes_nothing(backend: CartBackend) -> None:
    cart = await _cart(backend, LineToAdd(quantity=1, sku="TOTE-CANVAS"))
    coded = await backend.update_discount_codes(cart.id, ["SAVE10"])
    with pytest.raises(InvalidDiscountCode) as refused:
        await backend.update_discount_codes(cart.id, ["SAVE10", "NOPE"])
    assert refused.value.field == ("discountCodes", "1")
    after = await backend.get_cart(cart.id)
    assert after is not None
    assert (after.version, after.discount_codes) == (coded.version, coded.discount_codes)


async def test_a_code_on_an_empty_cart_applies_once_it_has_lines(backend: CartBackend) -> None:
    cart = await backend.create_cart(NewCart(currency="USD", discount_codes=("SAVE10",)))
    assert cart.discount_codes == (DiscountCode(code="SAVE10", applicable=False),)
    filled = await backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="TOTE-CANVAS")], [])
    assert filled.discount_codes == (DiscountCode(code="SAVE10", applicable=True),)
    assert filled.cost.total == Money.of("21.60", "USD")
