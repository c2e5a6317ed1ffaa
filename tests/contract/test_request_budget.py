"""One request causes a bounded number of vendor calls, however it multiplies its fields."""

from __future__ import annotations

import pytest

from adapters.model import Backend
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

ROOT_FIELDS = 9
LINES = 250
SKUS = ["MUG-ORBIT", "PENCIL-HB", "TOTE-CANVAS", "LAMP-DESK", "EBOOK-FIELD"]


def _aliased(field: str, args: str, declare: str) -> str:
    fields = "\n".join(f"  f{i}: {field}({args}) {{ userErrors {{ code field }} }}"
                       for i in range(ROOT_FIELDS))
    return f"mutation({declare}) {{\n{fields}\n}}"


async def test_aliased_additions_with_an_unknown_sku_cost_few_vendor_writes(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    created = await gateway.create({"backend": "ELASTIC_PATH", "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}]})
    cart_id = created["cart"]["id"]
    lines = [{"sku": SKUS[i % len(SKUS)]} for i in range(LINES - 1)] + [{"sku": "NO-SUCH-SKU"}]
    traffic = vendor_traffic[Backend.ELASTIC_PATH]
    before = len(traffic.writes())
    data = await gateway.execute(
        _aliased("cartLinesAdd", "cartId: $id, lines: $lines",
                 "$id: ID!, $lines: [CartLineInput!]"), {"id": cart_id, "lines": lines})
    writes = len(traffic.writes()) - before
    print(f"\nElastic Path writes for {ROOT_FIELDS} aliased additions of {LINES} lines: {writes}")
    codes = [[e["code"] for e in data[f"f{i}"]["userErrors"]] for i in range(ROOT_FIELDS)]
    # The first fields name the unknown SKU; the rest are refused before any vendor call.
    assert codes[0] == ["MERCHANDISE_NOT_FOUND"]
    assert data["f0"]["userErrors"][0]["field"] == ["lines", str(LINES - 1), "sku"]
    assert all(c in (["MERCHANDISE_NOT_FOUND"], ["INVALID"]) for c in codes)
    assert codes[-1] == ["INVALID"]
    assert writes <= 40
    after = await gateway.cart(cart_id)
    assert after is not None and after["totalQuantity"] == 1


async def test_aliased_creations_of_unknown_skus_cost_few_catalog_reads(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    lines = [{"sku": f"UNKNOWN-{i}"} for i in range(LINES)]
    traffic = vendor_traffic[Backend.BIGCOMMERCE]
    before = len(traffic.requests)
    data = await gateway.execute(
        _aliased("cartCreate", "input: {backend: BIGCOMMERCE, lines: $lines}",
                 "$lines: [CartLineInput!]"), {"lines": lines})
    calls = len(traffic.requests) - before
    print(f"\nBigCommerce calls for {ROOT_FIELDS} aliased creations of {LINES} unknown SKUs: "
          f"{calls}")
    codes = [[e["code"] for e in data[f"f{i}"]["userErrors"]] for i in range(ROOT_FIELDS)]
    assert codes[0] == ["MERCHANDISE_NOT_FOUND"]
    assert codes[-1] == ["INVALID"]
    # The same 250 SKUs in every field: each is looked up once for the whole request.
    assert calls <= LINES + 2
