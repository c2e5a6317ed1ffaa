"""BigCommerce cart reads (adapters/bigcommerce/reads.py): reading an unchanged cart again
reuses what was built, each read keeps its own checkout link, and a change made outside
the gateway (BigCommerce's own REST API) shows on the very next read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

from adapters.bigcommerce.adapter import BigCommerceBackend
from adapters.model import LineToAdd, NewCart
from sandboxes.bigcommerce import (
    SANDBOX_ACCESS_TOKEN,
    SANDBOX_STORE_HASH,
    create_sandbox_app,
)

pytestmark = pytest.mark.anyio

THREE_LINES = (LineToAdd(quantity=2, sku="MUG-ORBIT"), LineToAdd(quantity=1, sku="TOTE-CANVAS"),
               LineToAdd(quantity=3, sku="PENCIL-HB"))


@pytest.fixture
async def bigcommerce() -> AsyncIterator[tuple[BigCommerceBackend, httpx.AsyncClient]]:
    app = create_sandbox_app()
    backend = BigCommerceBackend(api_url="http://bc.test", store_hash=SANDBOX_STORE_HASH,
                                 access_token=SANDBOX_ACCESS_TOKEN, timeout=5.0, sandbox=True,
                                 transport=httpx.ASGITransport(app=app))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=f"http://bc.test/stores/{SANDBOX_STORE_HASH}/v3",
        headers={"X-Auth-Token": SANDBOX_ACCESS_TOKEN},
    ) as vendor:
        yield backend, vendor
    await backend.aclose()


async def test_bigcommerce_rereads_share_lines_but_not_checkout_links(
    bigcommerce: tuple[BigCommerceBackend, httpx.AsyncClient],
) -> None:
    backend, vendor = bigcommerce
    created = await backend.create_cart(NewCart(currency="USD", lines=THREE_LINES))
    first = await backend.get_cart(created.id)
    second = await backend.get_cart(created.id)
    assert first is not None and second is not None
    # Built once: the second read hands out the very lines of the first.
    assert second.lines is first.lines
    assert second.cost == first.cost and second.version == first.version
    # BigCommerce issues single-use links on every read; each read shows its own.
    assert first.checkout_url and second.checkout_url
    assert first.checkout_url != second.checkout_url

    mug = next(line for line in first.lines if line.sku == "MUG-ORBIT")
    changed = await vendor.put(f"/carts/{created.id}/items/{mug.id}",
                               json={"line_item": {"product_id": 111, "quantity": 5}})
    assert changed.status_code == 200, changed.text
    after = await backend.get_cart(created.id)
    assert after is not None and after.lines is not first.lines
    assert next(line.quantity for line in after.lines if line.sku == "MUG-ORBIT") == 5
    assert after.cost.subtotal.amount == first.cost.subtotal.amount + 3 * Decimal("12.50")
    assert after.version != first.version
