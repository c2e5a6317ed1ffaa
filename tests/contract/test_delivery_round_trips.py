"""The landed total, step by step, on both vendors: what each step shows and the vendor
requests it made (counted at the vendor, exactly). Run with -s to see the table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from adapters.model import Backend
from tests.contract.test_round_trips import _template, _vendor_id
from tests.delivery_support import (
    DE_ADDRESS,
    US_ADDRESS,
    landed_cart,
    select_option,
    set_address,
    set_tax_items,
)
from tests.support import CART_FIELDS_WITHOUT_ATTRIBUTES, CountingTransport, GraphQLClient

pytestmark = [pytest.mark.anyio, pytest.mark.delivers]

EXPECTED: dict[Backend, dict[str, list[str]]] = {
    Backend.BIGCOMMERCE: {
        "cartDeliveryAddressUpdate": ["GET /checkouts/{id}", "POST /checkouts/{id}/consignments"],
        "cartSelectedDeliveryOptionsUpdate": ["GET /checkouts/{id}",
                                              "PUT /checkouts/{id}/consignments/{group}"],
        "cart": ["GET /checkouts/{id}"],
    },
    Backend.ELASTIC_PATH: {
        "cartDeliveryAddressUpdate": [
            "GET /carts/{id}", "POST /carts/{id}/shipping-groups", "PUT /carts/{id}/items",
            "GET /carts/{id}", "GET /carts/{id}/shipping-groups"],
        "cartSelectedDeliveryOptionsUpdate": [
            "GET /carts/{id}", "PUT /carts/{id}/shipping-groups/{group}", "GET /carts/{id}",
            "GET /carts/{id}/shipping-groups"],
        "cartTaxItemsSet": [
            "GET /carts/{id}", "POST /carts/{id}/taxes", "GET /carts/{id}",
            "GET /carts/{id}/shipping-groups"],
        # The groups read with the cart at this version stand: one call.
        "cart": ["GET /carts/{id}"],
    },
}
ROWS = [("subtotal", "subtotalAmount"), ("discount", "totalDiscountAmount"),
        ("shipping", "totalShippingAmount"), ("tax", "totalTaxAmount"), ("total", "totalAmount")]


async def _landed(gateway: GraphQLClient, backend_name: str, traffic: CountingTransport,
                  address: dict[str, Any], handle: str, rate: str
                  ) -> tuple[dict[str, Any], dict[str, list[str]]]:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "LAMP-DESK"},
                                              {"sku": "MUG-ORBIT", "quantity": 2}],
                                    "discountCodes": ["SAVE10"]})
    cart = created["cart"]
    ids = {"{id}": _vendor_id(cart["id"])}
    calls: dict[str, list[str]] = {}

    async def step(name: str, run: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
        start = len(traffic.requests)
        payload = await run()
        calls[name] = [f"{r.method} {_template(r.url.path, ids)}"
                       for r in traffic.requests[start:]]
        assert payload.get("userErrors", []) == []
        return payload

    placed = await step("cartDeliveryAddressUpdate",
                        lambda: set_address(gateway, cart["id"], address))
    group = placed["cart"]["deliveryGroups"][0]
    ids["{group}"] = _vendor_id(group["id"])
    await step("cartSelectedDeliveryOptionsUpdate",
               lambda: select_option(gateway, cart["id"], group["id"], handle))
    if backend_name == "ELASTIC_PATH":  # the store's own tax service sets the tax
        items = [{"lineId": line["id"], "name": "Tax", "rate": rate} for line in cart["lines"]]
        await step("cartTaxItemsSet", lambda: set_tax_items(gateway, cart["id"], items))

    async def read() -> dict[str, Any]:
        found = await landed_cart(gateway, cart["id"])
        assert found is not None
        return found

    landed = await step("cart", read)
    return landed, calls


# BigCommerce taxes the goods after coupons, and the shipping; Elastic Path's tax items tax
# each line before the cart-level code (SAVE10) and not the shipping.
@pytest.mark.parametrize(("address", "handle", "rate", "total"), [
    (US_ADDRESS, "us-ground", "0.0725", {"bigcommerce": "118.08", "elasticpath": "118.36"}),
    (DE_ADDRESS, "de-standard", "0.19", {"bigcommerce": "129.83", "elasticpath": "130.76"}),
])
async def test_landed_total_step_by_step(
    gateway: GraphQLClient, vendor: Backend, backend_name: str,
    vendor_traffic: dict[Backend, CountingTransport],
    address: dict[str, Any], handle: str, rate: str, total: dict[str, str],
) -> None:
    # Attributes left out: BigCommerce reads them beside the cart (test_round_trips.py).
    gateway = GraphQLClient(gateway.http, cart_fields=CART_FIELDS_WITHOUT_ATTRIBUTES)
    landed, calls = await _landed(gateway, backend_name, vendor_traffic[vendor], address,
                                  handle, rate)
    cost = {**landed["cost"], **landed["landed"]}
    print(f"\n{vendor.value} to {address['countryCode']} by {handle}:")
    for label, key in ROWS:
        print(f"  {label:<9}{cost[key]['amount'] if cost[key] else '-':>9}")
    for name, sent in calls.items():
        print(f"  {name}: {len(sent)} vendor requests: {', '.join(sent)}")
    assert cost["totalAmount"]["amount"] == total[vendor.value]
    assert calls == EXPECTED[vendor]
