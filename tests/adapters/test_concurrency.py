"""Writes racing on one cart: none is lost, and a version check lets exactly one through."""

from __future__ import annotations

import asyncio

import pytest

from adapters.base import CartBackend
from adapters.errors import VersionConflict
from adapters.model import LineToAdd, LineUpdate, NewCart

pytestmark = pytest.mark.anyio
TASKS = 8


async def test_racing_additions_are_all_kept(backend: CartBackend) -> None:
    cart = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=1, sku="PENCIL-HB"),)))
    await asyncio.gather(*(
        backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="PENCIL-HB")], [])
        for _ in range(TASKS)))
    after = await backend.get_cart(cart.id)
    assert after is not None
    assert [(line.sku, line.quantity) for line in after.lines] == [("PENCIL-HB", 1 + TASKS)]


async def test_racing_writers_at_one_version_one_wins(backend: CartBackend) -> None:
    cart = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=1, sku="PENCIL-HB"),)))
    line_id = cart.lines[0].id
    results = await asyncio.gather(*(
        backend.update_lines(cart.id, [LineUpdate(line_id=line_id, quantity=2 + n)],
                             expected_version=cart.version)
        for n in range(TASKS)), return_exceptions=True)
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1 and won[0] is not None
    assert len(lost) == TASKS - 1 and all(isinstance(r, VersionConflict) for r in lost)
    after = await backend.get_cart(cart.id)
    assert after is not None
    assert (after.version, after.lines) == (won[0].version, won[0].lines)
