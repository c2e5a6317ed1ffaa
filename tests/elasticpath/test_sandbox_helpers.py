"""Shared helpers for the Elastic Path sandbox tests (no tests of its own)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from sandboxes.elasticpath import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    create_sandbox_app,
)

START = datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC)
MUG_ID = "a246b329-370e-5386-a1a5-071e8cd824ee"
TEE_M_ID = "55aba869-e287-57c3-8127-42cd9d8a89da"


class FakeClock:
    """A clock the tests move by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@asynccontextmanager
async def sandbox_client(
    clock: FakeClock | None = None, *, authorize: bool = True, **options: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A client for a fresh sandbox, holding a bearer token unless told otherwise."""
    app = create_sandbox_app(clock=clock or FakeClock(), **options)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        if authorize:
            token = await request_token(client)
            client.headers["Authorization"] = f"Bearer {token['access_token']}"
        yield client


async def request_token(
    client: httpx.AsyncClient, *, secret: str = SANDBOX_CLIENT_SECRET
) -> dict[str, Any]:
    """`POST /oauth/access_token` with the client_credentials grant."""
    response = await client.post("/oauth/access_token", data={
        "grant_type": "client_credentials",
        "client_id": SANDBOX_CLIENT_ID,
        "client_secret": secret,
    })
    body: dict[str, Any] = response.json()
    return body


async def add_item(
    client: httpx.AsyncClient, cart_id: str, data: Any, *, currency: str | None = None
) -> httpx.Response:
    """`POST /v2/carts/{id}/items` with `data`."""
    headers = {"X-MOLTIN-CURRENCY": currency} if currency else {}
    return await client.post(f"/v2/carts/{cart_id}/items", json={"data": data}, headers=headers)


def product(sku: str, quantity: int = 1) -> dict[str, Any]:
    """A `cart_item` entry by sku."""
    return {"type": "cart_item", "sku": sku, "quantity": quantity}


def promo(code: str) -> dict[str, Any]:
    """A `promotion_item` entry."""
    return {"type": "promotion_item", "code": code}


def money(amount: int, currency: str, formatted: str) -> dict[str, Any]:
    """A `FormattedPriceData` object."""
    return {"amount": amount, "currency": currency, "formatted": formatted}


def totals(body: dict[str, Any]) -> dict[str, int]:
    """The amounts of a cart or items response's `meta.display_price`."""
    meta = body["data"]["meta"] if isinstance(body["data"], dict) else body["meta"]
    return {k: v["amount"] for k, v in meta["display_price"].items() if k != "discounts"}
