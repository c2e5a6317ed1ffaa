"""Cart settings (Elastic Path): preview pricing date, deferred stock checks, discount rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.model import Backend
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

SETTINGS = ("snapshotAt", "deferInventoryChecks", "discountSettings")


def future() -> str:
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    return moment.isoformat()


@pytest.mark.capability("cart_settings")
async def test_settings_at_creation(gateway: GraphQLClient, vendor: Backend,
                                    vendor_traffic: dict[Backend, CountingTransport],
                                    backend_name: str, supports: bool) -> None:
    when = future()
    result = await gateway.create({
        "backend": backend_name, "currencyCode": "USD", "lines": [{"sku": "MUG-ORBIT"}],
        "attributes": {"snapshotAt": when, "deferInventoryChecks": True,
                       "discountSettings": {"customDiscountsEnabled": True}},
    })
    if supports:
        assert result["userErrors"] == []
        cart = result["cart"]
        assert (cart["snapshotAt"], cart["deferInventoryChecks"], cart["discountSettings"]) == (
            when, True, {"customDiscountsEnabled": True, "useRulePromotions": False})
        read = await gateway.cart(cart["id"])
        assert read is not None and read["snapshotAt"] == when
    else:
        assert result["cart"] is None
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["input", "attributes", "snapshotAt"])]
        assert vendor_traffic[vendor].writes() == []


@pytest.mark.capability("cart_settings")
async def test_settings_through_cart_attributes_update(
    gateway: GraphQLClient, vendor: Backend, vendor_traffic: dict[Backend, CountingTransport],
    backend_name: str, supports: bool,
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    if supports:
        assert (cart["snapshotAt"], cart["deferInventoryChecks"], cart["discountSettings"]) == (
            None, False, {"customDiscountsEnabled": False, "useRulePromotions": False})
    else:
        assert (cart["snapshotAt"], cart["deferInventoryChecks"], cart["discountSettings"]) == (
            None, None, None)
    for setting, value in (("deferInventoryChecks", True),
                           ("discountSettings", {"useRulePromotions": True})):
        writes = len(vendor_traffic[vendor].writes())
        result = await gateway.attributes(cart["id"], {setting: value},
                                          expected_version=cart["version"])
        if supports:
            assert result["userErrors"] == []
            assert result["cart"]["version"] != cart["version"]
            cart = result["cart"]
        else:
            assert result["cart"] is None
            assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
                ("UNSUPPORTED_OPERATION", ["attributes", setting])]
            assert len(vendor_traffic[vendor].writes()) == writes
    if supports:
        read = await gateway.cart(cart["id"])
        assert read is not None
        assert (read["deferInventoryChecks"], read["discountSettings"]) == (
            True, {"customDiscountsEnabled": False, "useRulePromotions": True})


@pytest.mark.capability("cart_settings")
async def test_custom_discounts_and_rule_promotions_together_are_refused_before_io(
    gateway: GraphQLClient, vendor: Backend, vendor_traffic: dict[Backend, CountingTransport],
    backend_name: str, supports: bool,
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    writes = len(vendor_traffic[vendor].writes())
    result = await gateway.attributes(cart["id"], {"discountSettings": {
        "customDiscountsEnabled": True, "useRulePromotions": True}})
    assert result["cart"] is None
    expected = "INVALID" if supports else "UNSUPPORTED_OPERATION"
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        (expected, ["attributes", "discountSettings"])]
    assert len(vendor_traffic[vendor].writes()) == writes


async def test_a_snapshot_in_the_past_is_refused_before_io(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport], backend_name: str,
) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    result = await gateway.create({"backend": backend_name, "lines": [{"sku": "MUG-ORBIT"}],
                                   "attributes": {"snapshotAt": past}})
    assert result["cart"] is None
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("INVALID", ["input", "attributes", "snapshotAt"])]
    assert [len(t.requests) for t in vendor_traffic.values()] == [0] * len(vendor_traffic)
