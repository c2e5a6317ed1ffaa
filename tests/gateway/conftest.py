"""A gateway with server tokens configured, and a client for each kind of caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from gateway.app import create_app
from tests.conftest import gateway_settings
from tests.support import CountingTransport, GraphQLClient

SERVER_TOKEN = "srv-7f3a9c1e5b2d4f6a8c0e2b4d6f8a1c3e"
OTHER_SERVER_TOKEN = "srv-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"
CUSTOMER_SECRET = "cust-5e7a9c1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f"


@dataclass
class Callers:
    """One gateway app; the same app seen by a storefront, a server and a mistyped token."""

    app: Starlette
    storefront: GraphQLClient
    trusted: GraphQLClient
    bad_token: GraphQLClient
    traffic: dict[Backend, CountingTransport]

    def vendor_requests(self) -> int:
        return sum(len(transport.requests) for transport in self.traffic.values())


def _client(app: Starlette, token: str | None) -> httpx.AsyncClient:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway",
                             headers=headers)


async def serve_callers(vendor_traffic: dict[Backend, CountingTransport],
                        **settings: Any) -> AsyncIterator[Callers]:
    transports: dict[Backend, httpx.AsyncBaseTransport] = dict(vendor_traffic)
    options: dict[str, Any] = {"server_tokens": f"{OTHER_SERVER_TOKEN}, {SERVER_TOKEN}",
                               "customer_token_secret": CUSTOMER_SECRET}
    app = create_app(gateway_settings(**(options | settings)), transports=transports)
    async with app.router.lifespan_context(app):
        async with _client(app, None) as storefront, _client(app, SERVER_TOKEN) as trusted, \
                _client(app, SERVER_TOKEN[:-1] + "f") as bad:
            yield Callers(app, GraphQLClient(storefront), GraphQLClient(trusted),
                          GraphQLClient(bad), vendor_traffic)


@pytest.fixture
async def callers(vendor_traffic: dict[Backend, CountingTransport]) -> AsyncIterator[Callers]:
    """Server tokens and a customer token secret configured, development mode."""
    async for served in serve_callers(vendor_traffic):
        yield served
