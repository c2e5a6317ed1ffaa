"""Reading an unchanged cart again reuses what was built; any change shows at once.

Both adapters against their sandboxes over HTTP. A change made outside the gateway (the
vendor's own REST API) must be visible on the very next read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

from adapters.bigcommerce.adapter import BigCommerceBackend
from adapters.bigcommerce.sandbox import (
    SANDBOX_ACCESS_TOKEN,
    SANDBOX_STORE_HASH,
)
from adapters.bigcommerce.sandbox import (
    create_sandbox_app as bigcommerce_sandbox,
)
from adapters.elasticpath.adapter import ElasticPathBackend
from adapters.elasticpath.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
)
from adapters.elasticpath.sandbox import (
    create_sandbox_app as elasticpath_sandbox,
)
from adapters.model import LineToAdd, NewCart

pytestmark = pytest.mark.anyio

THREE_LINES = (LineToAdd(quantity=2, sku="MUG-ORBIT"), LineToAdd(quantity=1, sku="TOTE-CANVAS"),
               LineToAdd(quantity=3, sku="PENCIL-HB"))


@pytest.fixture
async def bigcommerce() -> AsyncIterator[tuple[BigCommerceBackend, httpx.AsyncClient]]:
    app = bigcommerce_sandbox()
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


@pytest.fixture
async def elasticpath() -> AsyncIterator[tuple[ElasticPathBackend, httpx.AsyncClient]]:
    app = elasticpath_sandbox()
    backend = ElasticPathBackend(api_url="http://ep.test", client_id=SANDBOX_CLIENT_ID,
                                 client_secret=SANDBOX_CLIENT_SECRET, timeout=5.0,
                                 sandbox=True, transport=httpx.ASGITransport(app=app))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://ep.test") as vendor:
        token = await vendor.post("/oauth/access_token", data={
            "grant_type": "client_credentials", "client_id": SANDBOX_CLIENT_ID,
            "client_secret": SANDBOX_CLIENT_SECRET})
        vendor.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
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


async def test_elasticpath_rereads_share_the_cart_until_it_changes(
    elasticpath: tuple[ElasticPathBackend, httpx.AsyncClient],
) -> None:
    backend, vendor = elasticpath
    created = await backend.create_cart(NewCart(currency="USD", lines=THREE_LINES))
    first = await backend.get_cart(created.id)
    second = await backend.get_cart(created.id)
    assert first is not None and second == first
    assert second is first

    added = await vendor.post(f"/v2/carts/{created.id}/items", json={"data": {
        "type": "custom_item", "name": "Gift wrap", "sku": "WRAP", "quantity": 1,
        "price": {"amount": 350}}})
    assert added.status_code == 201, added.text
    after = await backend.get_cart(created.id)
    assert after is not None and after is not first
    assert [line.sku for line in after.lines][-1] == "WRAP"
    assert after.cost.subtotal.amount == first.cost.subtotal.amount + Decimal("3.50")


async def test_an_unknown_elasticpath_cart_stays_unknown_when_read_again(
    elasticpath: tuple[ElasticPathBackend, httpx.AsyncClient],
) -> None:
    backend, _ = elasticpath
    assert await backend.get_cart("no-such-cart") is None
    assert await backend.get_cart("no-such-cart") is None


async def test_shared_lines_are_formatted_per_locale(
    elasticpath: tuple[ElasticPathBackend, httpx.AsyncClient],
) -> None:
    from gateway import types

    backend, _ = elasticpath
    created = await backend.create_cart(NewCart(currency="USD", lines=THREE_LINES))
    cart = await backend.get_cart(created.id)
    assert cart is not None
    english = types.cart(cart, "en-US")
    german = types.cart(cart, "de-DE")
    again = types.cart(cart, "en-US")
    assert again.lines is english.lines
    mug = english.lines[0].cost.total_amount.formatted
    assert (mug, german.lines[0].cost.total_amount.formatted) == ("$25.00", "25,00\xa0$")
