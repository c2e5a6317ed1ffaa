"""The BigCommerce sandbox forgets a cart 30 days after its last change."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from sandboxes.bigcommerce import SANDBOX_ACCESS_TOKEN, create_sandbox_app

CARTS = "/stores/sandbox/v3/carts"
START = datetime(2024, 2, 28, 23, 59, 30, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def client(clock: FakeClock) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_sandbox_app(clock=clock))
    headers = {"X-Auth-Token": SANDBOX_ACCESS_TOKEN}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox", headers=headers
    ) as client:
        yield client


async def new_cart(client: httpx.AsyncClient) -> str:
    response = await client.post(CARTS, json={"line_items": [{"product_id": 111, "quantity": 1}]})
    assert response.status_code == 201
    cart_id: str = response.json()["data"]["id"]
    return cart_id


@pytest.mark.anyio
async def test_times_come_from_the_clock(client: httpx.AsyncClient, clock: FakeClock) -> None:
    cart_id = await new_cart(client)
    clock.advance(timedelta(minutes=5))

    response = await client.post(
        f"{CARTS}/{cart_id}/items", json={"line_items": [{"product_id": 113, "quantity": 1}]}
    )

    data = response.json()["data"]
    assert data["created_time"] == "2024-02-28T23:59:30+00:00"
    assert data["updated_time"] == "2024-02-29T00:04:30+00:00"


@pytest.mark.anyio
async def test_cart_expires_30_days_after_creation(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    cart_id = await new_cart(client)

    clock.advance(timedelta(days=30) - timedelta(seconds=1))
    alive = await client.get(f"{CARTS}/{cart_id}")
    clock.advance(timedelta(seconds=1))
    expired = await client.get(f"{CARTS}/{cart_id}")

    assert alive.status_code == 200
    assert expired.status_code == 404
    assert expired.json()["title"] == "Cart not found"


@pytest.mark.anyio
async def test_a_change_restarts_the_30_days(client: httpx.AsyncClient, clock: FakeClock) -> None:
    cart_id = await new_cart(client)
    clock.advance(timedelta(days=20))
    changed = await client.put(f"{CARTS}/{cart_id}", json={"customer_id": 3})
    assert changed.status_code == 201

    clock.advance(timedelta(days=29))
    alive = await client.get(f"{CARTS}/{cart_id}")
    clock.advance(timedelta(days=1))
    expired = await client.get(f"{CARTS}/{cart_id}")

    assert alive.status_code == 200
    assert alive.json()["data"]["created_time"] == "2024-02-28T23:59:30+00:00"
    assert alive.json()["data"]["updated_time"] == "2024-03-19T23:59:30+00:00"
    assert expired.status_code == 404


@pytest.mark.anyio
async def test_reading_does_not_extend_the_lifetime(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    cart_id = await new_cart(client)
    clock.advance(timedelta(days=29))
    assert (await client.get(f"{CARTS}/{cart_id}")).status_code == 200

    clock.advance(timedelta(days=1))

    assert (await client.get(f"{CARTS}/{cart_id}")).status_code == 404


@pytest.mark.anyio
async def test_expired_cart_refuses_writes_and_coupons(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    cart_id = await new_cart(client)
    clock.advance(timedelta(days=31))

    add = await client.post(
        f"{CARTS}/{cart_id}/items", json={"line_items": [{"product_id": 111, "quantity": 1}]}
    )
    coupon = await client.post(
        f"/stores/sandbox/v3/checkouts/{cart_id}/coupons", json={"coupon_code": "SAVE10"}
    )

    assert add.status_code == coupon.status_code == 404
