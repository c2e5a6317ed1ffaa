"""totalQuantity always fits GraphQL's Int: an addition past 2^31-1 items is refused."""

from __future__ import annotations

import pytest

from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio

MAX_INT = 2**31 - 1
MILLION_MUGS = [{"sku": "MUG-ORBIT", "quantity": 1_000_000}] * 250


async def test_adds_that_would_overflow_total_quantity_are_refused(
    gateway: GraphQLClient, backend_name: str
) -> None:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "PENCIL-HB"}]})
    cart_id = created["cart"]["id"]
    answers = [await gateway.add_lines(cart_id, MILLION_MUGS) for _ in range(9)]
    codes = [[e["code"] for e in answer["userErrors"]] for answer in answers]
    # Eight additions of 250 million fit; the ninth would pass 2^31-1 and changes nothing.
    assert codes == [[]] * 8 + [["INVALID"]]
    assert answers[-1]["userErrors"][0]["field"] == ["lines"]
    after = await gateway.cart(cart_id)
    assert after is not None
    assert after["totalQuantity"] == 1 + 8 * 250_000_000 <= MAX_INT
