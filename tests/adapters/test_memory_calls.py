"""The in-memory vendor's store operations, as its observer hears of them: one call each,
a write only when something was written, a REST vendor's status, and no call at all for
input refused before the store is touched.
"""

from __future__ import annotations

import pytest

from adapters.errors import CartNotFound, InvalidDiscountCode, LineNotFound, VersionConflict
from adapters.memory import MemoryBackend
from adapters.model import CartAttributes, LineToAdd, LineUpdate, NewCart
from adapters.observer import BackendCall

pytestmark = pytest.mark.anyio


async def test_each_store_operation_is_one_call_with_its_outcome() -> None:
    heard: list[BackendCall] = []
    backend = MemoryBackend(observer=heard.append)

    def calls() -> list[tuple[str, str, int | None]]:
        said = [(call.method, call.endpoint, call.status) for call in heard]
        assert all(call.error is None and call.seconds >= 0 for call in heard)
        heard.clear()
        return said

    cart = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=1, sku="MUG-ORBIT"),)))
    assert calls() == [("POST", "/carts", 201)]
    cart = await backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="PENCIL-HB")], [])
    mug = next(line for line in cart.lines if line.sku == "MUG-ORBIT")
    updated = await backend.update_lines(cart.id, [LineUpdate(line_id=mug.id, quantity=2)])
    assert updated is not None
    cart = updated
    await backend.update_discount_codes(cart.id, ["SAVE10"])
    assert calls() == [("POST", "/carts/{id}/items", 200), ("PUT", "/carts/{id}/items", 200),
                       ("PUT", "/carts/{id}/discounts", 200)]

    # Nothing to write, or refused on what the cart holds: the read it was.
    await backend.update_attributes(cart.id, CartAttributes(note=None))
    with pytest.raises(LineNotFound):
        await backend.remove_lines(cart.id, ["no-such-line"])
    with pytest.raises(VersionConflict):
        await backend.add_lines(cart.id, [LineToAdd(quantity=1, sku="MUG-ORBIT")], [],
                                expected_version=cart.version)
    assert calls() == [("GET", "/carts/{id}", 200), ("GET", "/carts/{id}", 422),
                       ("GET", "/carts/{id}", 409)]

    # Refused before the store is touched: no call.
    with pytest.raises(InvalidDiscountCode):
        await backend.update_discount_codes(cart.id, ["NO-SUCH-CODE"])
    assert calls() == []

    stale = cart.version
    current = await backend.get_cart(cart.id)
    assert current is not None
    assert await backend.delete_cart_if_at(cart.id, stale) is not None  # kept: only read
    assert await backend.delete_cart_if_at(cart.id, current.version) is None
    with pytest.raises(CartNotFound):
        await backend.delete_cart(cart.id)
    assert await backend.get_cart(cart.id) is None
    assert calls() == [("GET", "/carts/{id}", 200), ("GET", "/carts/{id}", 200),
                       ("DELETE", "/carts/{id}", 204), ("DELETE", "/carts/{id}", 404),
                       ("GET", "/carts/{id}", 404)]


async def test_every_observer_told_is_told_of_each_call() -> None:
    first: list[BackendCall] = []
    second: list[BackendCall] = []
    backend = MemoryBackend(observer=first.append)
    await backend.create_cart(NewCart(currency="USD"))
    backend.calls.also_tell(second.append)
    assert await backend.get_cart("no-such-cart") is None
    assert [c.method for c in first] == ["POST", "GET"]
    assert [(c.method, c.endpoint, c.status) for c in second] == [("GET", "/carts/{id}", 404)]
