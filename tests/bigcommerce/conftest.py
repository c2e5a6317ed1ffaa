"""Fixtures for the BigCommerce sandbox tests: a client that speaks to it in process."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from sandboxes.bigcommerce import SANDBOX_ACCESS_TOKEN, create_sandbox_app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The sandbox behind an ASGI transport, authenticated with its own token."""
    transport = httpx.ASGITransport(app=create_sandbox_app())
    headers = {"X-Auth-Token": SANDBOX_ACCESS_TOKEN}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox", headers=headers
    ) as client:
        yield client
