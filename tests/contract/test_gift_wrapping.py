"""Gift wrapping on a catalog line (BigCommerce's gift_wrapping), on create and add."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from adapters.model import Backend
from tests.support import CountingTransport, GraphQLClient, amount, line_by_sku

pytestmark = pytest.mark.anyio

WRAPPED = ("lines { sku quantity cost { totalAmount { amount } } "
           "giftWrapping { name message amount { amount currencyCode } } } "
           "cost { totalAmount { amount } }")
CREATE = ("mutation($input: CartCreateInput!) { cartCreate(input: $input) { cart { id version "
          f"{WRAPPED} }} userErrors {{ code field message }} }} }}")
ADD = ("mutation($id: ID!, $lines: [CartLineInput!]) { cartLinesAdd(cartId: $id, "
       f"lines: $lines) {{ cart {{ id {WRAPPED} }} userErrors {{ code field message }} }} }}")
READ = f"query($id: ID!) {{ cart(id: $id) {{ {WRAPPED} }} }}"


@pytest.mark.capability("gift_wrapping")
async def test_each_item_wrapped_with_its_message_at_creation(
    gateway: GraphQLClient, vendor: Backend, vendor_traffic: dict[Backend, CountingTransport],
    backend_name: str, supports: bool,
) -> None:
    wrap = {"wrapTogether": False, "messages": ["For Ana", "For Bo"]}
    data = await gateway.execute(CREATE, {"input": {
        "backend": backend_name, "currencyCode": "USD",
        "lines": [{"sku": "MUG-ORBIT", "quantity": 2, "giftWrapping": wrap}]}})
    result: dict[str, Any] = data["cartCreate"]
    if not supports:
        assert result["cart"] is None
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["input", "lines", "0", "giftWrapping"])]
        assert vendor_traffic[vendor].writes() == []
        return
    assert result["userErrors"] == []
    mug = line_by_sku(result["cart"], "MUG-ORBIT")
    # One wrap per item; the cost is shown as BigCommerce gives it, outside the totals.
    assert mug["giftWrapping"] == {"name": "Gift Wrap 1", "message": "For Ana\nFor Bo",
                                   "amount": {"amount": "3.98", "currencyCode": "USD"}}
    assert amount(result["cart"]["cost"]["totalAmount"]) == amount(mug["cost"]["totalAmount"])
    read = (await gateway.execute(READ, {"id": result["cart"]["id"]}))["cart"]
    assert line_by_sku(read, "MUG-ORBIT")["giftWrapping"] == mug["giftWrapping"]


@pytest.mark.capability("gift_wrapping")
async def test_a_line_added_wrapped_together(
    gateway: GraphQLClient, vendor: Backend, vendor_traffic: dict[Backend, CountingTransport],
    backend_name: str, supports: bool,
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "PENCIL-HB"}]}))["cart"]
    writes = len(vendor_traffic[vendor].writes())
    data = await gateway.execute(ADD, {"id": cart["id"], "lines": [
        {"sku": "MUG-ORBIT", "quantity": 3,
         "giftWrapping": {"wrapTogether": True, "messages": ["Happy Birthday"]}}]})
    result: dict[str, Any] = data["cartLinesAdd"]
    if not supports:
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["lines", "0", "giftWrapping"])]
        assert len(vendor_traffic[vendor].writes()) == writes
        return
    assert result["userErrors"] == []
    mug = line_by_sku(result["cart"], "MUG-ORBIT")
    assert mug["giftWrapping"] == {"name": "Gift Wrap 1", "message": "Happy Birthday",
                                   "amount": {"amount": "1.99", "currencyCode": "USD"}}
    assert line_by_sku(result["cart"], "PENCIL-HB")["giftWrapping"] is None
    totals = [Decimal(amount(line["cost"]["totalAmount"]) or "0")
              for line in result["cart"]["lines"]]
    assert Decimal(amount(result["cart"]["cost"]["totalAmount"]) or "0") == sum(totals)
