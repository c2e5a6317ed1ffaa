"""cartCompare and `cartgate compare`: one cart priced on both vendors, differences by path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from adapters.model import Backend
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
COMPARE = """mutation($input: CartCreateInput!, $backends: [Backend!]) {
  cartCompare(input: $input, backends: $backends) {
    results { backend cart { id currencyCode totalQuantity
      cost { subtotalAmount { amount } totalDiscountAmount { amount } totalAmount { amount } } }
      userErrors { code field message } }
    differences { path values { backend value } }
  }
}"""
FIVE_LINES = json.loads((ROOT / "examples" / "compare-cart.json").read_text())


async def _compare(gateway: GraphQLClient, cart: dict[str, Any],
                   backends: list[str] | None = None) -> dict[str, Any]:
    data = await gateway.execute(COMPARE, {"input": cart, "backends": backends})
    payload: dict[str, Any] = data["cartCompare"]
    return payload


def _values(payload: dict[str, Any]) -> dict[str, dict[str, str | None]]:
    return {d["path"]: {v["backend"]: v["value"] for v in d["values"]}
            for d in payload["differences"]}


async def test_five_lines_with_a_code(gateway: GraphQLClient,
                                      vendor_traffic: dict[Backend, CountingTransport]) -> None:
    payload = await _compare(gateway, FIVE_LINES)
    results = {r["backend"]: r for r in payload["results"]}
    assert set(results) == {"BIGCOMMERCE", "ELASTIC_PATH"}
    for result in results.values():
        assert result["userErrors"] == []
        assert result["cart"]["totalQuantity"] == 10
        assert result["cart"]["cost"]["subtotalAmount"]["amount"] == "128.01"
    values = _values(payload)
    # BigCommerce rounds 10% per line, Elastic Path once on the subtotal.
    assert values["cost.totalDiscountAmount"] == {"BIGCOMMERCE": "12.81",
                                                  "ELASTIC_PATH": "12.80"}
    assert values["cost.totalAmount"] == {"BIGCOMMERCE": "115.20", "ELASTIC_PATH": "115.21"}
    assert "cost.subtotalAmount" not in values
    assert "lines[sku=MUG-ORBIT].quantity" not in values
    # The temporary carts are gone from both vendors.
    for result in results.values():
        assert await gateway.cart(result["cart"]["id"]) is None
    for traffic in vendor_traffic.values():
        assert any(r.method == "DELETE" for r in traffic.requests)


async def test_equal_carts_have_no_price_differences(gateway: GraphQLClient) -> None:
    payload = await _compare(gateway, {"currencyCode": "JPY",
                                       "lines": [{"sku": "MUG-ORBIT", "quantity": 3}]})
    values = _values(payload)
    assert not [path for path in values if path.startswith(("cost.total", "cost.sub", "lines["))
                and "Tax" not in path]


async def test_a_code_one_vendor_refuses(gateway: GraphQLClient) -> None:
    payload = await _compare(gateway, {"currencyCode": "USD", "lines": [{"sku": "LAMP-DESK"}],
                                       "discountCodes": ["SAVE10", "NOPE"]})
    for result in payload["results"]:
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("INVALID_DISCOUNT_CODE", ["input", "discountCodes", "1"])]
        assert result["cart"]["cost"]["totalAmount"]["amount"] == "80.10"


async def test_temporary_carts_are_deleted_when_pricing_fails(
    gateway: GraphQLClient, sandboxes: dict[Backend, Any],
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    from adapters.sandbox_faults import FaultPlan

    sandboxes[Backend.ELASTIC_PATH].state.faults.inject(
        FaultPlan("status", status=500, count=10, method="POST", path_contains="/items"))
    payload = await _compare(gateway, FIVE_LINES)
    results = {r["backend"]: r for r in payload["results"]}
    assert [e["code"] for e in results["ELASTIC_PATH"]["userErrors"]] == ["SERVICE_UNAVAILABLE"]
    assert results["ELASTIC_PATH"]["cart"] is None
    assert payload["differences"] == []
    writes = vendor_traffic[Backend.ELASTIC_PATH].writes()
    created = [w for w in writes if w == "POST /v2/carts"]
    deleted = [w for w in writes if w.startswith("DELETE /v2/carts/") and "/items" not in w]
    assert len(created) == len(deleted)


async def test_only_the_backends_asked_for(gateway: GraphQLClient) -> None:
    payload = await _compare(gateway, {"currencyCode": "USD", "lines": [{"sku": "MUG-ORBIT"}]},
                             backends=["ELASTIC_PATH"])
    assert [r["backend"] for r in payload["results"]] == ["ELASTIC_PATH"]
    assert payload["differences"] == []


def test_cli_prints_table_and_json(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    command = [sys.executable, "-m", "gateway.cli", "compare",
               str(ROOT / "examples" / "compare-cart.json")]
    table = subprocess.run(command, check=True, capture_output=True, text=True, cwd=tmp_path,
                           env=env, timeout=60).stdout
    assert "BIGCOMMERCE" in table and "ELASTIC_PATH" in table
    assert "cost.totalAmount" in table and "115.20" in table and "115.21" in table
    as_json = json.loads(subprocess.run(command + ["--json"], check=True, capture_output=True,
                                        text=True, cwd=tmp_path, env=env, timeout=60).stdout)
    assert {r["backend"] for r in as_json["results"]} == {"BIGCOMMERCE", "ELASTIC_PATH"}


def test_cli_compares_in_production_with_server_tokens(tmp_path: Path) -> None:
    # cartCompare is trusted-only: the command trusts itself, whatever tokens are set.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CARTGATE_ENV": "production",
           "CARTGATE_SERVER_TOKENS": "srv-only-the-operator-knows-this-0123456789"}
    command = [sys.executable, "-m", "gateway.cli", "compare",
               str(ROOT / "examples" / "compare-cart.json"), "--json"]
    as_json = json.loads(subprocess.run(command, check=True, capture_output=True, text=True,
                                        cwd=tmp_path, env=env, timeout=60).stdout)
    assert [r["userErrors"] for r in as_json["results"]] == [[], []]
    assert "cost.totalAmount" in {d["path"] for d in as_json["differences"]}
