"""What a backend does not do, it refuses with UNSUPPORTED_OPERATION and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.base import CartBackend
from adapters.capabilities import Capability
from adapters.delivery import Address, TaxItem
from adapters.errors import UnsupportedOperation
from adapters.model import LineToAdd, NewCart

pytestmark = pytest.mark.anyio


async def test_billing_address(backend: CartBackend) -> None:
    if Capability.BILLING_ADDRESS in backend.capabilities:
        pytest.skip("the backend keeps a billing address (tests/contract/test_delivery.py)")
    cart = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=1, sku="MUG-ORBIT"),)))
    with pytest.raises(UnsupportedOperation) as refused:
        await backend.update_billing_address(cart.id, Address(country_code="US"))
    assert refused.value.field == ("billingAddress",)
    after = await backend.get_cart(cart.id)
    assert after is not None and (after.version, after.billing_address) == (cart.version, None)


async def test_tax_items(backend: CartBackend) -> None:
    if Capability.TAX_ITEMS in backend.capabilities:
        pytest.skip("the backend takes tax items (tests/contract/test_delivery.py)")
    cart = await backend.create_cart(NewCart(currency="USD", lines=(
        LineToAdd(quantity=1, sku="MUG-ORBIT"),)))
    with pytest.raises(UnsupportedOperation) as refused:
        await backend.set_tax_items(cart.id, [TaxItem(line_id=cart.lines[0].id, name="VAT",
                                                      rate=Decimal("0.2"))])
    assert refused.value.field == ("taxItems",)
    after = await backend.get_cart(cart.id)
    assert after is not None and (after.version, after.cost) == (cart.version, cart.cost)


async def test_catalog_list_price(backend: CartBackend) -> None:
    cart = await backend.create_cart(NewCart(currency="USD"))
    line = LineToAdd(quantity=1, sku="MUG-ORBIT", list_price=Decimal("9.00"))
    if Capability.CATALOG_LIST_PRICE in backend.capabilities:
        added = await backend.add_lines(cart.id, [line], [])
        assert added.lines[0].cost.amount_per_quantity.amount == Decimal("9.00")
        return
    with pytest.raises(UnsupportedOperation) as refused:
        await backend.add_lines(cart.id, [line], [])
    assert refused.value.field == ("lines", "0", "listPrice")
    after = await backend.get_cart(cart.id)
    assert after is not None and (after.version, after.lines) == (cart.version, ())
