"""A write without expectedVersion is applied to the cart as it is when it lands: it never
answers VERSION_CONFLICT, on either vendor, however many writes race it.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio

WRITERS = 12


async def test_concurrent_unversioned_writes_never_conflict(
    loopback_gateway: GraphQLClient, backend_name: str
) -> None:
    gateway = loopback_gateway
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}, {"sku": "PENCIL-HB"},
                                              {"sku": "TOTE-CANVAS"}]})
    cart = created["cart"]
    ids = [line["id"] for line in cart["lines"]]

    async def writer(n: int) -> list[str]:
        # Several lines in one write: on BigCommerce a chain of calls, each versioned.
        result = await gateway.update_lines(
            cart["id"], [{"id": line_id, "quantity": n + 1} for line_id in ids])
        return [e["code"] for e in result["userErrors"]]

    codes = await asyncio.gather(*(writer(n) for n in range(WRITERS)))
    conflicts = sum(c.count("VERSION_CONFLICT") for c in codes)
    print(f"\n{backend_name}: VERSION_CONFLICT answered to unversioned writes: {conflicts}")
    assert codes == [[]] * WRITERS
    after = await gateway.cart(cart["id"])
    assert after is not None
    # Every line ends at a quantity one of the writers set.
    assert {line["quantity"] for line in after["lines"]} <= set(range(1, WRITERS + 1))
