"""Every vendor call is counted in the metrics, on every vendor, exactly as it was made:
the HTTP vendors' requests as the wire saw them, the in-memory vendor's store operations
as it reports them (``adapters/memory/calls.py``).
"""

from __future__ import annotations

from collections import Counter

import pytest
from prometheus_client.parser import text_string_to_metric_families

from adapters.model import Backend
from adapters.observer import endpoint_template
from tests.support import GraphQLClient, VendorTraffic

pytestmark = pytest.mark.anyio


async def test_each_vendor_call_is_in_the_metrics(
    gateway: GraphQLClient, vendor: Backend, backend_name: str,
    vendor_traffic: dict[Backend, VendorTraffic],
) -> None:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}]})
    cart_id = created["cart"]["id"]
    assert (await gateway.add_lines(cart_id, [{"sku": "PENCIL-HB"}]))["userErrors"] == []
    assert await gateway.cart(cart_id) is not None
    refused = await gateway.discount_codes(cart_id, ["NO-SUCH-CODE"])
    assert [e["code"] for e in refused["userErrors"]] == ["INVALID_DISCOUNT_CODE"]

    response = await gateway.http.get("/metrics")
    assert response.status_code == 200
    counted: Counter[tuple[str, str]] = Counter()
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if (sample.name == "cartgate_backend_requests_total"
                    and sample.labels["vendor"] == vendor.value):
                counted[(sample.labels["method"], sample.labels["endpoint"])] += int(
                    sample.value)
    made = Counter((r.method, endpoint_template(r.url.path))
                   for r in vendor_traffic[vendor].requests)
    assert counted == made
    # The read is there, under each vendor's own path to a cart.
    assert any(method == "GET" and endpoint.endswith("/carts/{id}") for method, endpoint in made)
