"""Who the cart belongs to, and what the storefront keeps on it, where the backend keeps it."""

from __future__ import annotations

import pytest

from adapters.base import CartBackend
from adapters.capabilities import Capability
from adapters.errors import UnsupportedOperation
from adapters.model import (
    Attribute,
    BuyerIdentity,
    Cart,
    CartAttributes,
    CartSettingsChange,
    LineToAdd,
    NewCart,
)
from tests.adapters.subjects import Subject

pytestmark = pytest.mark.anyio


async def _cart(backend: CartBackend) -> Cart:
    return await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=1, sku="MUG-ORBIT"),)))


async def test_customer(backend: CartBackend, subject: Subject) -> None:
    cart = await _cart(backend)
    changed = await backend.update_buyer_identity(
        cart.id, BuyerIdentity(customer_id=subject.customer_id), expected_version=cart.version)
    assert changed.customer_id == subject.customer_id
    assert changed.version != cart.version
    read = await backend.get_cart(cart.id)
    assert read is not None and (read.customer_id, read.version) == (
        subject.customer_id, changed.version)


async def test_email_where_the_cart_keeps_one(backend: CartBackend) -> None:
    cart = await _cart(backend)
    buyer = BuyerIdentity(email="shopper@example.com")
    if Capability.BUYER_EMAIL in backend.capabilities:
        changed = await backend.update_buyer_identity(cart.id, buyer)
        assert changed.email == "shopper@example.com" and changed.version != cart.version
        cleared = await backend.update_buyer_identity(cart.id, BuyerIdentity(email=""))
        assert cleared.email is None
    else:
        with pytest.raises(UnsupportedOperation) as refused:
            await backend.update_buyer_identity(cart.id, buyer)
        assert refused.value.field == ("buyerIdentity", "email")
        read = await backend.get_cart(cart.id)
        assert read is not None and (read.email, read.version) == (None, cart.version)


async def test_attributes_and_note(backend: CartBackend) -> None:
    cart = await _cart(backend)
    pairs = (Attribute(key="wrap", value="blue"), Attribute(key="gift", value="yes"))
    changed = await backend.update_attributes(
        cart.id, CartAttributes(attributes=pairs, note="Leave at the door"),
        expected_version=cart.version)
    assert changed.attributes == (Attribute(key="gift", value="yes"),
                                  Attribute(key="wrap", value="blue"))
    assert changed.note == "Leave at the door"
    assert changed.version != cart.version
    read = await backend.get_cart(cart.id)
    assert read is not None
    assert (read.attributes, read.note, read.version) == (
        changed.attributes, changed.note, changed.version)
    cleared = await backend.update_attributes(cart.id, CartAttributes(attributes=(), note=""))
    assert (cleared.attributes, cleared.note) == ((), None)


async def test_name_and_description_where_the_cart_keeps_them(backend: CartBackend) -> None:
    cart = await _cart(backend)
    named = CartAttributes(name="Birthday", description="for Sam")
    if Capability.CART_NAME in backend.capabilities:
        changed = await backend.update_attributes(cart.id, named)
        assert (changed.name, changed.description) == ("Birthday", "for Sam")
        read = await backend.get_cart(cart.id)
        assert read is not None and (read.name, read.description) == ("Birthday", "for Sam")
    else:
        with pytest.raises(UnsupportedOperation) as refused:
            await backend.update_attributes(cart.id, named)
        assert refused.value.field == ("attributes", "name")
        read = await backend.get_cart(cart.id)
        assert read is not None and (read.name, read.version) == (None, cart.version)


async def test_settings_where_the_cart_keeps_them(backend: CartBackend) -> None:
    cart = await _cart(backend)
    change = CartAttributes(settings=CartSettingsChange(defer_inventory_checks=True))
    if Capability.CART_SETTINGS in backend.capabilities:
        changed = await backend.update_attributes(cart.id, change)
        assert changed.settings is not None and changed.settings.defer_inventory_checks
    else:
        with pytest.raises(UnsupportedOperation) as refused:
            await backend.update_attributes(cart.id, change)
        assert refused.value.field == ("attributes", "deferInventoryChecks")
        read = await backend.get_cart(cart.id)
        assert read is not None and read.version == cart.version
