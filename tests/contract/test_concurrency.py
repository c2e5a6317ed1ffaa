"""Twenty storefront tabs editing one cart lose no update (gateway and sandboxes on loopback)."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio

CLIENTS = 20
INCREMENTS_EACH = 5
READ = "query($id: ID!) { cart(id: $id) { version lines { id quantity } } }"
SET = """mutation($id: ID!, $line: ID!, $quantity: Int!, $version: String) {
  cartLinesUpdate(cartId: $id, lines: [{id: $line, quantity: $quantity}],
                  expectedVersion: $version) {
    cart { version } userErrors { code }
  }
}"""


async def storefront_tab(gateway: GraphQLClient, cart_id: str, line_id: str) -> int:
    """A storefront tab adding one to a line INCREMENTS_EACH times: it reads the cart, writes
    with the version it read, and on VERSION_CONFLICT backs off and tries again. The
    conflicts it met.
    """
    conflicts = done = attempt = 0
    while done < INCREMENTS_EACH:
        cart: dict[str, Any] = (await gateway.execute(READ, {"id": cart_id}))["cart"]
        quantity = next(li["quantity"] for li in cart["lines"] if li["id"] == line_id)
        result = (await gateway.execute(SET, {
            "id": cart_id, "line": line_id, "quantity": quantity + 1,
            "version": cart["version"],
        }))["cartLinesUpdate"]
        codes = [e["code"] for e in result["userErrors"]]
        if codes == ["VERSION_CONFLICT"]:
            conflicts += 1
            attempt += 1
            # A storefront backs off with jitter before it tries again.
            await asyncio.sleep(random.uniform(0, 0.005 * min(attempt, 8)))
            continue
        assert codes == []
        done += 1
        attempt = 0
    return conflicts


async def test_concurrent_increments_lose_no_update(loopback_gateway: GraphQLClient,
                                                    backend_name: str) -> None:
    gateway = loopback_gateway
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "PENCIL-HB", "quantity": 1}]})
    cart_id = created["cart"]["id"]
    line_id = created["cart"]["lines"][0]["id"]
    start = created["cart"]["lines"][0]["quantity"]
    conflicts = sum(await asyncio.gather(
        *(storefront_tab(gateway, cart_id, line_id) for _ in range(CLIENTS))))
    final = (await gateway.execute(READ, {"id": cart_id}))["cart"]
    applied = final["lines"][0]["quantity"] - start
    print(f"\n{backend_name}: increments applied {applied} / expected "
          f"{CLIENTS * INCREMENTS_EACH}, conflicts seen and retried {conflicts}")
    assert applied == CLIENTS * INCREMENTS_EACH
    assert conflicts > 0, "no conflict was seen, so the version check was not exercised"
