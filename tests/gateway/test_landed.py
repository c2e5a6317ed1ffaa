"""The landed total where carts are made from a CartCreateInput or moved: cartCreate,
cartCompare and `cartgate compare` (shipping and tax rows), cartTransfer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.model import Backend
from tests.delivery_support import LANDED_FIELDS, US_ADDRESS, deliver
from tests.support import CountingTransport, GraphQLClient, amount

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
LANDED = json.loads((ROOT / "examples" / "compare-cart-landed.json").read_text())
COMPARE = f"""mutation($input: CartCreateInput!) {{ cartCompare(input: $input) {{
  results {{ backend cart {{ {LANDED_FIELDS} }} userErrors {{ code field message }} }}
  differences {{ path values {{ backend value }} }} }} }}"""
TRANSFER = f"""mutation($id: ID!, $to: Backend!) {{ cartTransfer(cartId: $id, to: $to) {{
  cart {{ {LANDED_FIELDS} }} userErrors {{ code field message }} warnings {{ code message }}
}} }}"""


async def test_compare_prices_the_landed_cart(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport]
) -> None:
    payload = (await gateway.execute(COMPARE, {"input": LANDED}))["cartCompare"]
    results = {r["backend"]: r for r in payload["results"]}
    for result in results.values():
        assert result["userErrors"] == []
        cart = result["cart"]
        assert amount(cart["landed"]["totalShippingAmount"]) == "5.99"
        assert cart["deliveryGroups"][0]["selectedDeliveryOption"]["handle"] == "de-standard"
    # BigCommerce taxes the goods and the shipping at 19%; Elastic Path has no tax items.
    bigcommerce = results["BIGCOMMERCE"]["cart"]["cost"]
    assert amount(bigcommerce["totalTaxAmount"]) != "0.00"
    paths = {d["path"] for d in payload["differences"]}
    assert "cost.totalTaxAmount" in paths and "cost.totalShippingAmount" not in paths
    # The temporary carts are gone from both vendors.
    for backend, traffic in vendor_traffic.items():
        assert any(r.method == "DELETE" and "/carts/" in r.url.path
                   for r in traffic.requests), backend


async def test_transfer_carries_the_address_and_the_option(gateway: GraphQLClient) -> None:
    created = await gateway.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                    "lines": [{"sku": "LAMP-DESK"}]})
    await deliver(gateway, created["cart"]["id"], US_ADDRESS, handle_index=1)
    moved = (await gateway.execute(TRANSFER, {"id": created["cart"]["id"],
                                              "to": "ELASTIC_PATH"}))["cartTransfer"]
    assert moved["userErrors"] == []
    # BigCommerce taxed the cart; Elastic Path has no tax items yet: the total changed.
    assert [w["code"] for w in moved["warnings"]] == ["PRICE_CHANGED"]
    group = moved["cart"]["deliveryGroups"][0]
    assert group["deliveryAddress"]["city"] == US_ADDRESS["city"]
    assert group["selectedDeliveryOption"]["handle"] == "us-express"
    assert amount(moved["cart"]["landed"]["totalShippingAmount"]) == "19.00"


def test_cli_prints_shipping_and_tax_rows(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "compare", str(ROOT / "examples" /
                                                            "compare-cart-landed.json")],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert done.returncode == 1, done.stderr  # the vendors differ (tax)
    rows = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()
            if line.split() and line.split()[0] in ("shipping", "tax", "total")}
    assert rows["shipping"] == ["5.99", "EUR", "5.99", "EUR"]
    assert rows["tax"][1] == "EUR" and rows["tax"][0] != rows["tax"][2]
    assert "cost.totalTaxAmount" in done.stdout
