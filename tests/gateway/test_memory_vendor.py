"""The in-memory vendor through the gateway: off unless CARTGATE_MEMORY_ENABLED, then a
backend like the others (listed, ids, carts), with the vendors' sandboxes beside it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from pydantic import ValidationError

from adapters.model import Backend
from gateway.app import create_app
from tests.conftest import gateway_settings
from tests.support import CountingTransport, GraphQLClient, amount

pytestmark = pytest.mark.anyio
BACKENDS = "{ backends { backend sandbox ready capabilities } }"


@asynccontextmanager
async def _gateway(vendor_traffic: dict[Backend, CountingTransport]
                   ) -> AsyncIterator[GraphQLClient]:
    app = create_app(gateway_settings(), transports=dict(vendor_traffic))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            yield GraphQLClient(http)


async def test_off_unless_enabled(vendor_traffic: dict[Backend, CountingTransport]) -> None:
    async with _gateway(vendor_traffic) as gateway:
        listed = (await gateway.execute(BACKENDS))["backends"]
        assert [b["backend"] for b in listed] == ["BIGCOMMERCE", "ELASTIC_PATH"]
        refused = await gateway.create({"backend": "MEMORY", "currencyCode": "USD"})
        assert refused["cart"] is None
        assert [(e["code"], e["message"]) for e in refused["userErrors"]] == [
            ("INVALID", "the memory backend is not enabled")]
        read = await gateway.raw("query($id: ID!) { cart(id: $id) { id } }",
                                 {"id": "gid://memory/Cart/0d1e2f3a"})
        assert "not enabled" in read.text


async def test_enabled_it_serves_carts_beside_the_vendors(
    vendor_traffic: dict[Backend, CountingTransport], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARTGATE_MEMORY_ENABLED", "true")
    async with _gateway(vendor_traffic) as gateway:
        listed = {b["backend"]: b for b in (await gateway.execute(BACKENDS))["backends"]}
        assert list(listed) == ["BIGCOMMERCE", "ELASTIC_PATH", "MEMORY"]
        assert (listed["MEMORY"]["sandbox"], listed["MEMORY"]["ready"]) == (True, True)
        assert set(listed["MEMORY"]["capabilities"]) == {
            "EMPTY_CART", "CART_NAME", "BUYER_EMAIL", "CUSTOM_LINE_UPDATE"}
        created = await gateway.create({"backend": "MEMORY", "currencyCode": "USD",
                                        "lines": [{"sku": "TEE-TRAIL-M", "quantity": 3}],
                                        "discountCodes": ["SAVE15"]})
        assert created["userErrors"] == []
        cart = created["cart"]
        assert cart["id"].startswith("gid://memory/Cart/") and cart["backend"] == "MEMORY"
        assert amount(cart["cost"]["totalAmount"]) == "50.97"
        assert cart["cost"]["totalAmount"]["formatted"] == "$50.97"
        read = await gateway.cart(cart["id"])
        assert read is not None and read["version"] == cart["version"]
    # No vendor's cart was written for any of it (``ready`` pinged them all).
    assert [w for t in vendor_traffic.values() for w in t.writes() if "/carts" in w] == []


def test_production_refuses_the_in_memory_vendor() -> None:
    """Carts kept in one process are lost on restart and not shared by replicas: a
    production gateway that enables them refuses to start, naming why.
    """
    with pytest.raises(ValidationError, match="In-memory vendor is for tests and demos"):
        gateway_settings(env="production", memory_enabled=True)
    assert gateway_settings(env="development", memory_enabled=True).has_credentials(
        Backend.MEMORY)
    assert not gateway_settings(env="production").has_credentials(Backend.MEMORY)
