"""cartManualDiscountsUpdate: amounts off the cart or a line, granted by a trusted caller."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from adapters.model import Backend
from tests.support import PAYLOAD, CountingTransport, GraphQLClient, amount, line_by_sku

pytestmark = pytest.mark.anyio

UPDATE = ("mutation($id: ID!, $discounts: [ManualDiscountInput!]!, $version: String) "
          "{ cartManualDiscountsUpdate(cartId: $id, discounts: $discounts, "
          f"expectedVersion: $version) {{ {PAYLOAD} }} }}")


async def manual(gateway: GraphQLClient, cart_id: str, discounts: list[dict[str, Any]],
                 version: str | None = None) -> dict[str, Any]:
    data = await gateway.execute(UPDATE, {"id": cart_id, "discounts": discounts,
                                          "version": version})
    payload: dict[str, Any] = data["cartManualDiscountsUpdate"]
    return payload


def manual_allocations(allocations: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(a["title"], amount(a["discountedAmount"])) for a in allocations
            if a["kind"] == "MANUAL"]


def assert_spread_over_lines(before: dict[str, Any], after: dict[str, Any], *,
                             mug_own: Decimal, whole: Decimal) -> None:
    """BigCommerce keeps no titles and spreads a cart-level amount over the lines by what
    is left of each (after a line's own amount), the remainder on the last line.
    """
    assert manual_allocations(after["discountAllocations"]) == []
    left = [Decimal(amount(line["cost"]["subtotalAmount"]) or "0")
            - (mug_own if line["sku"] == "MUG-ORBIT" else 0) for line in before["lines"]]
    shares = [(whole * rest / sum(left)).quantize(Decimal("0.01")) for rest in left]
    shares[-1] = whole - sum(shares[:-1])
    expected = [[("manual discount", str(share + (mug_own if line["sku"] == "MUG-ORBIT"
                                                  else 0)))]
                for line, share in zip(before["lines"], shares, strict=True)]
    assert [manual_allocations(line["discountAllocations"]) for line in after["lines"]] == (
        expected)


@pytest.mark.capability("manual_discount_titles")
async def test_manual_discounts_replace_the_set(
    gateway: GraphQLClient, vendor: Backend, vendor_traffic: dict[Backend, CountingTransport],
    backend_name: str, supports: bool,
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT", "quantity": 2},
                                            {"sku": "PENCIL-HB"}]}))["cart"]
    mug = line_by_sku(cart, "MUG-ORBIT")
    writes = len(vendor_traffic[vendor].writes())
    result = await manual(gateway, cart["id"], [
        {"amount": "5.00", "title": "Loyalty"},
        {"amount": "1.00", "title": "Scuffed mug", "lineId": mug["id"]},
    ], cart["version"])
    assert result["userErrors"] == []
    assert len(vendor_traffic[vendor].writes()) > writes
    discounted = result["cart"]
    if supports:
        assert manual_allocations(discounted["discountAllocations"]) == [("Loyalty", "5.00")]
        assert manual_allocations(line_by_sku(discounted, "MUG-ORBIT")[
            "discountAllocations"]) == [("Scuffed mug", "1.00")]
    else:
        assert_spread_over_lines(cart, discounted, mug_own=Decimal("1.00"), whole=Decimal(5))
    subtotal = Decimal(amount(discounted["cost"]["subtotalAmount"]) or "0")
    assert amount(discounted["cost"]["totalDiscountAmount"]) == "6.00"
    assert Decimal(amount(discounted["cost"]["totalAmount"]) or "0") == subtotal - 6
    read = await gateway.cart(cart["id"])
    assert read is not None and read["version"] == discounted["version"]
    assert manual_allocations(read["discountAllocations"]) == manual_allocations(
        discounted["discountAllocations"])
    assert [manual_allocations(line["discountAllocations"]) for line in read["lines"]] == [
        manual_allocations(line["discountAllocations"]) for line in discounted["lines"]]

    cleared = await manual(gateway, cart["id"], [], discounted["version"])
    assert cleared["userErrors"] == []
    assert manual_allocations(cleared["cart"]["discountAllocations"]) == []
    assert manual_allocations(line_by_sku(cleared["cart"], "MUG-ORBIT")[
        "discountAllocations"]) == []
    assert amount(cleared["cart"]["cost"]["totalAmount"]) == amount(cart["cost"]["totalAmount"])


async def test_a_stale_version_or_a_bad_amount_changes_nothing(
    gateway: GraphQLClient, vendor: Backend, vendor_traffic: dict[Backend, CountingTransport],
    backend_name: str,
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    moved = await gateway.add_lines(cart["id"], [{"sku": "PENCIL-HB"}])
    writes = len(vendor_traffic[vendor].writes())
    stale = await manual(gateway, cart["id"], [{"amount": "1.00", "title": "Late"}],
                         cart["version"])
    assert [e["code"] for e in stale["userErrors"]] == ["VERSION_CONFLICT"]
    fine = await manual(gateway, cart["id"], [{"amount": "0.001", "title": "Too fine"}])
    assert [(e["code"], e["field"]) for e in fine["userErrors"]] == [
        ("INVALID", ["discounts", "0", "amount"])]
    assert len(vendor_traffic[vendor].writes()) == writes
    read = await gateway.cart(cart["id"])
    assert read is not None and read["version"] == moved["cart"]["version"]


async def test_a_zero_or_untitled_discount_is_refused_before_io(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport], backend_name: str,
) -> None:
    cart_id = f"gid://{backend_name.lower().replace('_', '')}/Cart/abc"
    for discount, field in (({"amount": "0", "title": "x"}, "amount"),
                            ({"amount": "1", "title": " "}, "title")):
        result = await manual(gateway, cart_id, [discount])
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("INVALID", ["discounts", "0", field])]
    assert [len(t.requests) for t in vendor_traffic.values()] == [0] * len(vendor_traffic)
