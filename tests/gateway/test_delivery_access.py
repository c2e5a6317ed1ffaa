"""Tax items are trusted-only; a delivery or billing address is the shopper's own data."""

from __future__ import annotations

import pytest

from tests.delivery_support import US_ADDRESS, set_address, set_tax_items
from tests.gateway.conftest import Callers

pytestmark = pytest.mark.anyio


async def test_storefront_callers_may_not_set_tax_items(callers: Callers) -> None:
    created = await callers.trusted.create({"backend": "ELASTIC_PATH", "currencyCode": "USD",
                                            "lines": [{"sku": "LAMP-DESK"}]})
    cart = created["cart"]
    items = [{"lineId": cart["lines"][0]["id"], "name": "VAT", "rate": "0"}]
    before = callers.vendor_requests()
    refused = await set_tax_items(callers.storefront, cart["id"], items)
    assert refused["cart"] is None
    assert [e["code"] for e in refused["userErrors"]] == ["ACCESS_DENIED"]
    assert refused["userErrors"][0]["field"] == ["cartTaxItemsSet"]
    assert callers.vendor_requests() == before
    read = await callers.trusted.cart(cart["id"])
    assert read is not None and read["version"] == cart["version"]
    allowed = await set_tax_items(callers.trusted, cart["id"], items)
    assert allowed["userErrors"] == [] and callers.vendor_requests() > before


async def test_storefront_callers_set_their_delivery_address(callers: Callers) -> None:
    created = await callers.storefront.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                               "lines": [{"sku": "LAMP-DESK"}]})
    placed = await set_address(callers.storefront, created["cart"]["id"], US_ADDRESS)
    assert placed["userErrors"] == []
    assert placed["cart"]["deliveryGroups"][0]["deliveryAddress"]["zip"] == "94105"
