"""expected_version: the current one is accepted; any other changes nothing and raises
VersionConflict carrying the cart as it is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from adapters.base import CartBackend
from adapters.errors import VersionConflict
from adapters.model import (
    BuyerIdentity,
    Cart,
    CartAttributes,
    LineToAdd,
    LineUpdate,
    NewCart,
)
from tests.adapters.subjects import Subject

pytestmark = pytest.mark.anyio

Write = Callable[[CartBackend, Cart, str], Awaitable[object]]
WRITES: dict[str, Write] = {
    "add": lambda b, c, v: b.add_lines(c.id, [LineToAdd(quantity=1, sku="TOTE-CANVAS")], [],
                                       expected_version=v),
    "update": lambda b, c, v: b.update_lines(c.id, [LineUpdate(line_id=c.lines[0].id,
                                                               quantity=9)],
                                             expected_version=v),
    "remove": lambda b, c, v: b.remove_lines(c.id, [c.lines[0].id], expected_version=v),
    "codes": lambda b, c, v: b.update_discount_codes(c.id, ["SAVE10"], expected_version=v),
    "attributes": lambda b, c, v: b.update_attributes(c.id, CartAttributes(note="hi"),
                                                      expected_version=v),
}


async def _cart(backend: CartBackend) -> Cart:
    return await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=1, sku="MUG-ORBIT"), LineToAdd(quantity=1, sku="PENCIL-HB"))))


async def test_every_write_moves_the_version(backend: CartBackend, subject: Subject) -> None:
    cart = await _cart(backend)
    line = cart.lines[0].id
    versions = [cart.version]
    for quantity in (2, 3):
        changed = await backend.update_lines(cart.id, [LineUpdate(line_id=line,
                                                                  quantity=quantity)])
        assert changed is not None
        versions.append(changed.version)
    versions.append((await backend.update_discount_codes(cart.id, ["SAVE10"])).version)
    versions.append((await backend.update_buyer_identity(
        cart.id, BuyerIdentity(customer_id=subject.customer_id))).version)
    versions.append((await backend.update_attributes(cart.id, CartAttributes(note="hi"))).version)
    assert len(set(versions)) == len(versions)
    read = await backend.get_cart(cart.id)
    assert read is not None and read.version == versions[-1]


@pytest.mark.parametrize("write", list(WRITES))
async def test_the_current_version_is_accepted(backend: CartBackend, write: str) -> None:
    cart = await _cart(backend)
    await WRITES[write](backend, cart, cart.version)
    after = await backend.get_cart(cart.id)
    assert after is not None and after.version != cart.version


@pytest.mark.parametrize("write", list(WRITES))
async def test_a_stale_version_changes_nothing(backend: CartBackend, write: str) -> None:
    cart = await _cart(backend)
    moved = await backend.update_lines(cart.id, [LineUpdate(line_id=cart.lines[1].id,
                                                            quantity=2)])
    assert moved is not None
    with pytest.raises(VersionConflict) as conflict:
        await WRITES[write](backend, cart, cart.version)
    assert conflict.value.field == ("expectedVersion",)
    current = conflict.value.current
    assert current is not None
    assert (current.version, current.lines) == (moved.version, moved.lines)
    after = await backend.get_cart(cart.id)
    assert after is not None
    assert (after.version, after.lines, after.discount_codes, after.note) == (
        moved.version, moved.lines, (), None)


async def test_a_garbage_version_conflicts(backend: CartBackend) -> None:
    cart = await _cart(backend)
    with pytest.raises(VersionConflict) as conflict:
        await WRITES["add"](backend, cart, "not-a-version")
    assert conflict.value.current is not None
    assert conflict.value.current.version == cart.version
