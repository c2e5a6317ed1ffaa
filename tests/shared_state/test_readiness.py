"""/readyz checks the shared Redis when one is configured: a replica that cannot reach it
answers 503 and says why, so the load balancer takes it out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from adapters.model import Backend
from gateway.app import create_app
from tests.conftest import gateway_settings
from tests.redis_server import free_port
from tests.support import CountingTransport

pytestmark = pytest.mark.anyio

PASSWORD = "hunter2-redis-password"


@asynccontextmanager
async def served(redis_url: str | None,
                 traffic: dict[Backend, CountingTransport]) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(gateway_settings(redis_url=redis_url), transports=dict(traffic))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            yield http


async def test_ready_with_its_redis(
    redis_url: str, vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    async with served(redis_url, vendor_traffic) as http:
        response = await http.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "redis": "ready",
                               "backends": {"bigcommerce": "ready", "elasticpath": "ready"}}


async def test_not_ready_without_its_redis_and_says_so(
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0"
    async with served(url, vendor_traffic) as http:
        response = await http.get("/readyz")
        health = await http.get("/healthz")
    assert response.status_code == 503
    # The vendors are fine (BigCommerce needs no Redis); Elastic Path's token is cached
    # in Redis, so its probe fails too.
    assert response.json() == {
        "ready": False, "redis": "SERVICE_UNAVAILABLE",
        "backends": {"bigcommerce": "ready", "elasticpath": "SERVICE_UNAVAILABLE"},
    }
    assert PASSWORD not in response.text and "127.0.0.1" not in response.text
    assert health.status_code == 200  # the process is up: restarting it would not help


async def test_without_redis_configured_readiness_names_no_redis(
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    async with served(None, vendor_traffic) as http:
        response = await http.get("/readyz")
    assert response.status_code == 200
    assert "redis" not in response.json()
