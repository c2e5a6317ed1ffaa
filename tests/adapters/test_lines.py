"""Lines: added by SKU or product id, changed, removed; the emptied cart as the backend says."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.answer_memo import RemembersAnswers
from adapters.base import CartBackend
from adapters.capabilities import Capability
from adapters.errors import (
    CartNotFound,
    InvalidInput,
    LineNotFound,
    MerchandiseNotFound,
    NeedsOptions,
    UnsupportedOperation,
)
from adapters.model import Cart, CartLine, CustomLineToAdd, LineKind, LineToAdd, LineUpdate, NewCart
from adapters.money import Money
from tests.adapters.subjects import Subject

pytestmark = pytest.mark.anyio


def _line(cart: Cart | None, sku: str) -> CartLine:
    assert cart is not None
    return next(line for line in cart.lines if line.sku == sku)


async def _cart(backend: CartBackend, *lines: LineToAdd) -> Cart:
    return await backend.create_cart(NewCart(currency="USD", lines=lines or (
        LineToAdd(quantity=1, sku="MUG-ORBIT"),)))


async def test_add_by_sku_and_by_product_id(backend: CartBackend, subject: Subject) -> None:
    cart = await _cart(backend, LineToAdd(quantity=1, sku="PENCIL-HB"))
    by_sku = await backend.add_lines(cart.id, [LineToAdd(quantity=2, sku="TOTE-CANVAS")], [])
    assert _line(by_sku, "TOTE-CANVAS").quantity == 2
    by_id = await backend.add_lines(cart.id, [LineToAdd(quantity=3, product_id=subject.mug_id)],
                                    [])
    mug = _line(by_id, "MUG-ORBIT")
    assert (mug.product_id, mug.quantity, mug.cost.total) == (
        subject.mug_id, 3, Money.of("37.50", "USD"))
    assert by_id.total_quantity == 6
    assert len({cart.version, by_sku.version, by_id.version}) == 3


async def test_the_same_sku_twice_is_one_line(backend: CartBackend) -> None:
    cart = await _cart(backend, LineToAdd(quantity=1, sku="SOCKS-WOOL-NVY"))
    added = await backend.add_lines(cart.id, [LineToAdd(quantity=2, sku="SOCKS-WOOL-NVY")], [])
    socks = [line for line in added.lines if line.sku == "SOCKS-WOOL-NVY"]
    assert [(line.quantity, line.cost.total) for line in socks] == [
        (3, Money.of("42.00", "USD"))]


async def test_a_product_with_variants_needs_one_chosen(backend: CartBackend,
                                                        subject: Subject) -> None:
    cart = await _cart(backend)
    with pytest.raises(NeedsOptions):
        await backend.add_lines(cart.id, [LineToAdd(quantity=1, product_id=subject.shirt_id)],
                                [])
    after = await backend.get_cart(cart.id)
    assert after is not None and (after.version, after.lines) == (cart.version, cart.lines)


async def test_an_unknown_sku_adds_nothing(backend: CartBackend) -> None:
    cart = await _cart(backend)
    with pytest.raises(MerchandiseNotFound) as refused:
        await backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="NOPE-SKU")], [])
    assert refused.value.field == ("lines", "0", "sku")
    after = await backend.get_cart(cart.id)
    assert after is not None and after.version == cart.version


async def test_update_quantities(backend: CartBackend) -> None:
    cart = await _cart(backend, LineToAdd(quantity=1, sku="MUG-ORBIT"),
                       LineToAdd(quantity=2, sku="TOTE-CANVAS"))
    tote = _line(cart, "TOTE-CANVAS")
    updated = await backend.update_lines(cart.id, [LineUpdate(line_id=tote.id, quantity=5)])
    assert updated is not None and updated.version != cart.version
    assert _line(updated, "TOTE-CANVAS").quantity == 5
    assert updated.cost.total == Money.of("132.50", "USD")
    removed = await backend.update_lines(cart.id, [LineUpdate(line_id=tote.id, quantity=0)])
    assert removed is not None and [line.sku for line in removed.lines] == ["MUG-ORBIT"]


async def test_remove_lines(backend: CartBackend) -> None:
    cart = await _cart(backend, LineToAdd(quantity=1, sku="MUG-ORBIT"),
                       LineToAdd(quantity=1, sku="LAMP-DESK"))
    lamp = _line(cart, "LAMP-DESK")
    removed = await backend.remove_lines(cart.id, [lamp.id])
    assert removed is not None
    assert [line.sku for line in removed.lines] == ["MUG-ORBIT"]
    assert removed.cost.total == Money.of("12.50", "USD")


@pytest.mark.parametrize("how", ["remove", "quantity 0"])
async def test_emptying_a_cart(backend: CartBackend, how: str) -> None:
    cart = await _cart(backend)
    line_id = cart.lines[0].id
    if how == "remove":
        emptied = await backend.remove_lines(cart.id, [line_id])
    else:
        emptied = await backend.update_lines(cart.id, [LineUpdate(line_id=line_id, quantity=0)])
    if Capability.EMPTY_CART in backend.capabilities:
        assert emptied is not None and (emptied.id, emptied.lines) == (cart.id, ())
        assert emptied.cost.total == Money.zero("USD")
        read = await backend.get_cart(cart.id)
        assert read is not None and read.version == emptied.version
    else:
        assert emptied is None
        assert await backend.get_cart(cart.id) is None


async def test_unknown_lines_change_nothing(backend: CartBackend) -> None:
    cart = await _cart(backend, LineToAdd(quantity=1, sku="MUG-ORBIT"),
                       LineToAdd(quantity=1, sku="PENCIL-HB"))
    mug = _line(cart, "MUG-ORBIT")
    missing = "0d1e2f3a-0000-4000-8000-000000000000"
    with pytest.raises(LineNotFound) as update:
        await backend.update_lines(cart.id, [LineUpdate(line_id=mug.id, quantity=4),
                                             LineUpdate(line_id=missing, quantity=2)])
    assert update.value.field == ("lines", "1", "id")
    with pytest.raises(LineNotFound) as remove:
        await backend.remove_lines(cart.id, [mug.id, missing])
    assert remove.value.field == ("lineIds", "1")
    after = await backend.get_cart(cart.id)
    assert after is not None and (after.version, after.lines) == (cart.version, cart.lines)


async def test_an_unknown_cart_is_not_found_by_every_write(backend: CartBackend) -> None:
    cart = await _cart(backend)
    line_id = cart.lines[0].id
    await backend.delete_cart(cart.id)
    writes = [
        backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="MUG-ORBIT")], []),
        backend.update_lines(cart.id, [LineUpdate(line_id=line_id, quantity=2)]),
        backend.remove_lines(cart.id, [line_id]),
        backend.update_discount_codes(cart.id, ["SAVE10"]),
    ]
    for write in writes:
        with pytest.raises(CartNotFound):
            await write
    assert await backend.get_cart(cart.id) is None


async def test_custom_lines(backend: CartBackend) -> None:
    cart = await backend.create_cart(NewCart(currency="USD", custom_lines=(
        CustomLineToAdd(name="Engraving", quantity=2, list_price=Decimal("7.25"),
                        sku="ENGRAVING"),)))
    line = _line(cart, "ENGRAVING")
    assert (line.kind, line.name, line.quantity) == (LineKind.CUSTOM, "Engraving", 2)
    assert line.cost.subtotal == cart.cost.total == Money.of("14.50", "USD")
    change = [LineUpdate(line_id=line.id, quantity=3)]
    if Capability.CUSTOM_LINE_UPDATE in backend.capabilities:
        updated = await backend.update_lines(cart.id, change)
        assert updated is not None and _line(updated, "ENGRAVING").quantity == 3
        assert updated.cost.total == Money.of("21.75", "USD")
    else:
        with pytest.raises(UnsupportedOperation):
            await backend.update_lines(cart.id, change)
        after = await backend.get_cart(cart.id)
        assert after is not None and after.version == cart.version


async def test_an_addition_past_the_largest_total_changes_nothing(backend: CartBackend) -> None:
    # GraphQL's Int carries totalQuantity: 2^31-1 items at most.
    cart = await _cart(backend, LineToAdd(quantity=1, sku="PENCIL-HB"))
    half = await backend.add_lines(cart.id, [LineToAdd(quantity=2**30, sku="MUG-ORBIT")], [])
    with pytest.raises(InvalidInput) as refused:
        await backend.add_lines(cart.id, [LineToAdd(quantity=2**30, sku="MUG-ORBIT")], [])
    assert refused.value.field == ("lines",)
    after = await backend.get_cart(cart.id)
    assert after is not None and (after.version, after.total_quantity) == (
        half.version, 2**30 + 1)


async def test_a_change_hands_back_the_very_lines_it_did_not_touch(backend: CartBackend) -> None:
    # What the gateway built from a line is reused by the line's identity, so a backend
    # that remembers answers gives back the lines of unchanged items as they were.
    if not isinstance(backend, RemembersAnswers):
        pytest.skip("this backend keeps no vendor answers")
    cart = await _cart(backend, LineToAdd(quantity=1, sku="MUG-ORBIT"),
                       LineToAdd(quantity=1, sku="PENCIL-HB"),
                       LineToAdd(quantity=1, sku="TOTE-CANVAS"))
    added = await backend.add_lines(cart.id, [LineToAdd(quantity=2, sku="PENCIL-HB")], [])
    assert _line(added, "MUG-ORBIT") is _line(cart, "MUG-ORBIT")
    assert _line(added, "TOTE-CANVAS") is _line(cart, "TOTE-CANVAS")
    pencil = _line(added, "PENCIL-HB")
    assert pencil.quantity == 3
    assert pencil.cost.subtotal == _line(cart, "PENCIL-HB").cost.subtotal * 3
    read = await backend.get_cart(cart.id)
    assert read is not None and _line(read, "PENCIL-HB") is pencil
