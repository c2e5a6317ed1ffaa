"""A vendor's delivery answers are untrusted: garbage ends in a typed error, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from sandboxes.faults import FaultPlan
from tests.delivery_support import DE_ADDRESS, LANDED_FIELDS, US_ADDRESS, deliver
from tests.support import GraphQLClient

pytestmark = [pytest.mark.anyio, pytest.mark.delivers]

PERSISTING = 10
# Where each vendor keeps delivery: BigCommerce's checkout, Elastic Path's shipping groups.
DELIVERY_PATH = {Backend.BIGCOMMERCE: "/checkouts/", Backend.ELASTIC_PATH: "/shipping-groups"}
GARBAGE = [
    {"kind": "malformed_json"},
    {"kind": "missing_fields"},
    {"kind": "body", "status": 200, "body": {"data": {"consignments": "x", "id": 7}}},
    {"kind": "body", "status": 200, "body": {"data": [{"id": "g", "address": {"country": 5}}]}},
    {"kind": "status", "status": 500},
]
ADDRESS = ("mutation($id: ID!, $a: CartAddressInput) { cartDeliveryAddressUpdate(cartId: $id, "
           "address: $a) { cart { id } userErrors { code field message } } }")


@pytest.fixture
def backend_timeout() -> float:
    return 0.3


@pytest.mark.parametrize("garbage", GARBAGE, ids=lambda g: str(g.get("body") or g["kind"]))
async def test_garbage_delivery_answers_are_typed_errors(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str, garbage: dict[str, Any],
) -> None:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}]})
    cart_id = created["cart"]["id"]
    await deliver(gateway, cart_id, US_ADDRESS)
    faults = sandboxes[vendor].state.faults
    faults.inject(FaultPlan(**garbage, count=PERSISTING, path_contains=DELIVERY_PATH[vendor]))

    moved = await gateway.raw(ADDRESS, {"id": cart_id, "a": DE_ADDRESS})
    assert moved.status_code == 200 and "Traceback" not in moved.text
    errors = moved.json()["data"]["cartDeliveryAddressUpdate"]["userErrors"]
    assert [e["code"] for e in errors] == ["SERVICE_UNAVAILABLE"]

    read = await gateway.raw(f"query($id: ID!) {{ cart(id: $id) {{ {LANDED_FIELDS} }} }}",
                             {"id": cart_id})
    assert read.status_code == 200 and "Traceback" not in read.text
    body = read.json()
    assert body["data"] == {"cart": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["SERVICE_UNAVAILABLE"]
