"""Money is exact: Decimal amounts in each currency's minor units, never a float's."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.base import CartBackend
from adapters.model import Cart, LineToAdd, NewCart
from adapters.money import Money, minor_unit_exponent

pytestmark = pytest.mark.anyio


def _amounts(cart: Cart) -> list[Money]:
    cost = cart.cost
    found = [cost.subtotal, cost.total_discount, cost.total]
    for line in cart.lines:
        found += [line.cost.amount_per_quantity, line.cost.subtotal, line.cost.total]
        found += [a.amount for a in line.discounts]
    return found + [a.amount for a in cart.discounts]


def _exact(cart: Cart) -> None:
    for money in _amounts(cart):
        assert isinstance(money.amount, Decimal)
        assert money.currency == cart.currency
        assert money.amount.as_tuple().exponent == -minor_unit_exponent(cart.currency)


async def test_three_times_ten_cents(backend: CartBackend) -> None:
    assert 3 * 0.10 != 0.30  # the float trap this guards against
    cart = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=3, sku="PENCIL-HB"),)))
    assert cart.cost.total.amount == Decimal("0.30")
    assert str(cart.cost.total.amount) == "0.30"
    _exact(cart)


async def test_yen_has_no_minor_units(backend: CartBackend) -> None:
    cart = await backend.create_cart(NewCart(currency="JPY", locale="ja-JP", lines=(
        LineToAdd(quantity=3, sku="MUG-ORBIT"),)))
    assert str(cart.cost.total.amount) == "5400"
    coded = await backend.update_discount_codes(cart.id, ["SAVE15"])
    assert str(coded.cost.total_discount.amount) == "810"
    assert str(coded.cost.total.amount) == "4590"
    _exact(coded)


async def test_dinar_has_three(backend: CartBackend) -> None:
    cart = await backend.create_cart(NewCart(currency="JOD", lines=(
        LineToAdd(quantity=3, sku="MUG-ORBIT"), LineToAdd(quantity=1, sku="PENCIL-HB"))))
    assert str(cart.cost.total.amount) == "26.700"
    coded = await backend.update_discount_codes(cart.id, ["FIVEOFF", "MUG2OFF"])
    _exact(coded)
    assert str(coded.cost.total.amount) == "18.700"


async def test_percentages_round_half_up_to_the_cent(backend: CartBackend) -> None:
    # 15% of 59.97 is 8.9955: 9.00 off, never 8.99 or a float's 8.995499...
    cart = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=3, sku="TEE-TRAIL-M"),)))
    coded = await backend.update_discount_codes(cart.id, ["SAVE15"])
    assert coded.cost.total_discount == Money.of("9.00", "USD")
    _exact(coded)
