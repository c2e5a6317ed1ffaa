"""Gateway processes sharing a Redis read a BigCommerce cart's delivery alike: the one that
did not set the address still reads the cart from its checkout, with its landed total.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from adapters.model import Backend
from gateway.app import create_app
from tests.conftest import gateway_settings
from tests.delivery_support import US_ADDRESS, deliver, landed_cart
from tests.support import CountingTransport, GraphQLClient, amount

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def served(redis_url: str | None,
                 traffic: dict[Backend, CountingTransport]) -> AsyncIterator[GraphQLClient]:
    app = create_app(gateway_settings(redis_url=redis_url), transports=dict(traffic))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            yield GraphQLClient(http)


async def test_another_process_reads_the_landed_total(
    redis_url: str, vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    traffic = vendor_traffic[Backend.BIGCOMMERCE]
    async with served(redis_url, vendor_traffic) as first, \
            served(redis_url, vendor_traffic) as second:
        created = await first.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                      "lines": [{"sku": "LAMP-DESK"}]})
        chosen = await deliver(first, created["cart"]["id"], US_ADDRESS)
        before = len(traffic.requests)
        read = await landed_cart(second, created["cart"]["id"])
        assert read is not None
        assert [f"{r.method} {r.url.path.rsplit('/', 1)[0].rsplit('/', 1)[-1]}"
                for r in traffic.requests[before:]] == ["GET checkouts"]
        assert amount(read["landed"]["totalShippingAmount"]) == "7.50"
        assert read["cost"] == chosen["cart"]["cost"]
