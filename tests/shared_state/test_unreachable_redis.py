"""A Redis that cannot be reached: SERVICE_UNAVAILABLE where it is needed, and its URL,
password included, appears nowhere.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.model import Backend
from gateway.app import create_app
from tests.conftest import gateway_settings
from tests.redis_server import free_port
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

PASSWORD = "hunter2-redis-password"


@pytest.fixture
async def gateway_without_redis(
    vendor_traffic: dict[Backend, CountingTransport],
) -> AsyncIterator[GraphQLClient]:
    url = f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0"
    settings = gateway_settings(redis_url=url)
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings)
    app = create_app(settings, transports=dict(vendor_traffic))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            yield GraphQLClient(http)


async def test_elastic_path_and_idempotent_mutations_are_unavailable_without_redis(
    gateway_without_redis: GraphQLClient, caplog: pytest.LogCaptureFixture,
) -> None:
    gateway = gateway_without_redis
    caplog.set_level(logging.DEBUG)
    created = await gateway.create({"backend": "ELASTIC_PATH", "currencyCode": "USD",
                                    "lines": [{"sku": "PENCIL-HB"}]})
    assert [e["code"] for e in created["userErrors"]] == ["SERVICE_UNAVAILABLE"]
    # BigCommerce shares nothing through Redis, so it goes on working.
    other = await gateway.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                  "lines": [{"sku": "PENCIL-HB"}]})
    assert other["userErrors"] == []
    keyed = await gateway.http.post(
        "/graphql", headers={"idempotency-key": "k1"},
        json={"query": "mutation { cartDelete(cartId: \"gid://bigcommerce/Cart/x\") "
                       "{ deletedCartId } }"})
    assert keyed.status_code == 503
    assert keyed.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    shown = str(created) + keyed.text + caplog.text
    assert PASSWORD not in shown and "127.0.0.1" not in shown
