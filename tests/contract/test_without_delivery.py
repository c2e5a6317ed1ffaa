"""A vendor that takes no delivery address refuses every delivery write with
UNSUPPORTED_OPERATION naming the field, and the cart stays as it was.
"""

from __future__ import annotations

import pytest

from adapters.model import Backend
from tests.contract.conftest import delivers
from tests.delivery_support import (
    US_ADDRESS,
    landed_cart,
    select_option,
    set_address,
    set_billing_address,
    set_tax_items,
)
from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio


async def test_delivery_writes_are_refused(gateway: GraphQLClient, vendor: Backend,
                                           backend_name: str) -> None:
    if delivers(vendor):
        pytest.skip("the vendor delivers (tests/contract/test_delivery.py)")
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "LAMP-DESK"}]}))["cart"]
    line_id = cart["lines"][0]["id"]
    answers = {
        "address": await set_address(gateway, cart["id"], US_ADDRESS),
        "selectedDeliveryOptions": await select_option(
            gateway, cart["id"], cart["id"].replace("/Cart/", "/CartDeliveryGroup/"), "ground"),
        "billingAddress": await set_billing_address(gateway, cart["id"], US_ADDRESS),
        "taxItems": await set_tax_items(gateway, cart["id"], [
            {"lineId": line_id, "name": "VAT", "rate": "0.19"}]),
    }
    for field, answer in answers.items():
        assert [(e["code"], e["field"]) for e in answer["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", [field])], field
    read = await landed_cart(gateway, cart["id"])
    assert read is not None
    assert (read["version"], read["deliveryGroups"], read["billingAddress"]) == (
        cart["version"], [], None)
