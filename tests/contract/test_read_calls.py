"""A steady-state cart read costs one vendor call on every vendor, however many lines:
catalog data (Elastic Path's line facts) comes from the cache after the first read.
"""

from __future__ import annotations

import pytest

from adapters.model import Backend
from tests.support import CART_FIELDS_WITHOUT_ATTRIBUTES, CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

TEN_LINES = ["MUG-ORBIT", "TEE-TRAIL-S", "TEE-TRAIL-M", "TEE-TRAIL-L", "PENCIL-HB",
             "TOTE-CANVAS", "EBOOK-FIELD", "SOCKS-WOOL-GRY", "SOCKS-WOOL-NVY", "LAMP-DESK"]


async def test_a_ten_line_cart_read_costs_one_vendor_call(
    gateway: GraphQLClient, backend_name: str, vendor: Backend,
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": sku} for sku in TEN_LINES]})
    assert created["userErrors"] == []
    cart_id = created["cart"]["id"]
    # Attributes left out: BigCommerce reads them with a call beside the cart's (see
    # test_round_trips.py), which this count is not about.
    gateway = GraphQLClient(gateway.http, cart_fields=CART_FIELDS_WITHOUT_ATTRIBUTES)
    first = await gateway.cart(cart_id)
    traffic = vendor_traffic[vendor]
    for _ in range(3):
        traffic.requests.clear()
        again = await gateway.cart(cart_id)
        assert again is not None and first is not None
        assert again["lines"] == first["lines"]  # the catalog's line data, from the cache
        assert [r.method for r in traffic.requests] == ["GET"]
        assert "/carts/" in traffic.requests[0].url.path
    assert first is not None and len(first["lines"]) == 10
    assert {line["kind"] for line in first["lines"]} == {"PHYSICAL", "DIGITAL"}


async def test_each_document_reads_bigcommerce_metafields_only_when_it_shows_them(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    """Whether an operation shows attributes is worked out once per parsed document
    (gateway/selected_fields.py); documents taking turns keep their own answers.
    """
    created = await gateway.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}]})
    cart_id = created["cart"]["id"]
    without = "query($id: ID!) { cart(id: $id) { id totalQuantity } }"
    through_fragment = ("query($id: ID!) { cart(id: $id) { id ...Shown } } "
                        "fragment Shown on Cart { totalQuantity note }")
    traffic = vendor_traffic[Backend.BIGCOMMERCE]
    for _ in range(3):
        for query, metafields in ((without, False), (through_fragment, True)):
            traffic.requests.clear()
            data = await gateway.execute(query, {"id": cart_id})
            assert data["cart"]["totalQuantity"] == 1
            paths = sorted(r.url.path.rsplit("/", 1)[-1] for r in traffic.requests)
            assert paths == sorted([cart_id.rsplit("/", 1)[-1]]
                                   + (["metafields"] if metafields else [])), paths
