"""The gateway and the sandboxes under uvicorn on loopback: the real wire, end to end."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from adapters.model import Backend
from adapters.registry import with_sandbox
from gateway.app import create_app
from sandboxes.loopback import LoopbackServer, sandbox_app
from tests.conftest import gateway_settings
from tests.support import GraphQLClient, amount

pytestmark = pytest.mark.anyio


@pytest.fixture
def served_gateway() -> Iterator[str]:
    sandbox = LoopbackServer(sandbox_app(Backend.BIGCOMMERCE)).start()
    app = create_app(gateway_settings(bigcommerce_sandbox_url=sandbox.url, sandbox="auto"))
    server = LoopbackServer(app, lifespan="on").start()
    try:
        yield server.url
    finally:
        server.stop()
        sandbox.stop()


async def test_cart_round_trip_over_loopback(served_gateway: str) -> None:
    async with httpx.AsyncClient(base_url=served_gateway, timeout=10) as http:
        client = GraphQLClient(http)
        created = await client.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                       "lines": [{"sku": "TEE-TRAIL-L", "quantity": 2}]})
        assert created["userErrors"] == []
        cart = created["cart"]
        assert amount(cart["cost"]["totalAmount"]) == "43.98"
        assert cart["lines"][0]["options"] == [{"name": "Size", "value": "L"}]
        read = await client.cart(cart["id"])
        assert read is not None and read["version"] == cart["version"]
        assert (await client.delete(cart["id"]))["deletedCartId"] == cart["id"]
        ready = await http.get("/readyz")
        assert ready.status_code == 200


async def test_unreachable_backend_is_service_unavailable() -> None:
    # A port nothing listens on: the connection is refused.
    closed = LoopbackServer(sandbox_app(Backend.BIGCOMMERCE))
    url = closed.url
    closed.stop()
    app = create_app(gateway_settings(bigcommerce_sandbox_url=url, backend_timeout=2))
    server = LoopbackServer(app, lifespan="on").start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            client = GraphQLClient(http)
            created = await client.create({"backend": "BIGCOMMERCE",
                                           "lines": [{"sku": "MUG-ORBIT"}]})
            assert [e["code"] for e in created["userErrors"]] == ["SERVICE_UNAVAILABLE"]
            response = await client.raw("query($id: ID!) { cart(id: $id) { id } }",
                                        {"id": "gid://bigcommerce/Cart/abc"})
            body = response.json()
            assert response.status_code == 200
            assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            ready = await http.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["backends"]["bigcommerce"] == "SERVICE_UNAVAILABLE"
    finally:
        server.stop()


@pytest.mark.parametrize("backend", [entry.backend for entry in with_sandbox()],
                         ids=lambda backend: backend.value)
async def test_a_write_cut_off_mid_answer_is_not_sent_again(backend: Backend) -> None:
    from sandboxes.faults import FaultPlan

    app = sandbox_app(backend)
    sandbox = LoopbackServer(app).start()
    settings = gateway_settings(**{f"{backend.value}_sandbox_url": sandbox.url})
    server = LoopbackServer(create_app(settings), lifespan="on").start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
            client = GraphQLClient(http)
            created = await client.create({"backend": backend.name,
                                           "lines": [{"sku": "MUG-ORBIT"}]})
            cart_id = created["cart"]["id"]
            app.state.faults.inject(FaultPlan("reset", count=2, method="POST",
                                              path_contains="/items"))
            result = await client.add_lines(cart_id, [{"sku": "TOTE-CANVAS"}])
            assert [e["code"] for e in result["userErrors"]] == ["SERVICE_UNAVAILABLE"]
            # The request reached the vendor, so it was sent once and not replayed.
            assert [p.count for p in app.state.faults.pending()] == [1]
    finally:
        server.stop()
        sandbox.stop()


async def test_an_idle_connection_outlives_a_clients_keep_alive(served_gateway: str) -> None:
    # httpx and many storefront clients reuse a connection idle for up to 5 s, which is
    # also uvicorn's default: the server must not be the one closing it, or a request
    # sent at that instant fails with a read error instead of an answer.
    import asyncio
    from urllib.parse import urlsplit

    address = urlsplit(served_gateway)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    request = f"GET /healthz HTTP/1.1\r\nHost: {address.netloc}\r\n\r\n".encode()
    try:
        for pause in (5.5, 0):
            writer.write(request)
            status_line = await asyncio.wait_for(reader.readline(), timeout=5)
            assert status_line.startswith(b"HTTP/1.1 200"), status_line
            headers = await reader.readuntil(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in headers.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            await reader.readexactly(length)
            await asyncio.sleep(pause)
    finally:
        writer.close()
