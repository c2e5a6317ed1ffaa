"""cartCompare and `cartgate compare`: one cart priced on both vendors, differences by path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from adapters.model import Backend
from gateway.services.compare_cli import QUERY, VENDOR_FAILED, exit_code, render
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
    from sandboxes.faults import FaultPlan

    sandboxes[Backend.ELASTIC_PATH].state.faults.inject(
        FaultPlan("status", status=500, count=10, method="POST", path_contains="/items"))
    # The operation `cartgate compare` runs, so its rendering is checked on this answer.
    payload = (await gateway.execute(QUERY, {"input": FIVE_LINES}))["cartCompare"]
    results = {r["backend"]: r for r in payload["results"]}
    assert [e["code"] for e in results["ELASTIC_PATH"]["userErrors"]] == ["SERVICE_UNAVAILABLE"]
    assert results["ELASTIC_PATH"]["cart"] is None
    assert payload["differences"] == []
    # `cartgate compare` says the comparison is incomplete, and exits 3.
    assert exit_code(payload) == VENDOR_FAILED
    assert "Not priced by ELASTIC_PATH: compared without it." in render(payload)
    writes = vendor_traffic[Backend.ELASTIC_PATH].writes()
    created = [w for w in writes if w == "POST /v2/carts"]
    deleted = [w for w in writes if w.startswith("DELETE /v2/carts/") and "/items" not in w]
    assert len(created) == len(deleted)


async def test_only_the_backends_asked_for(gateway: GraphQLClient) -> None:
    payload = await _compare(gateway, {"currencyCode": "USD", "lines": [{"sku": "MUG-ORBIT"}]},
                             backends=["ELASTIC_PATH"])
    assert [r["backend"] for r in payload["results"]] == ["ELASTIC_PATH"]
    assert payload["differences"] == []


def _cli(tmp_path: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    env.update(extra_env)
    return subprocess.run([sys.executable, "-m", "gateway.cli", "compare", *args],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)


def test_cli_prints_table_and_json(tmp_path: Path) -> None:
    cart = str(ROOT / "examples" / "compare-cart.json")
    table = _cli(tmp_path, cart)
    assert table.returncode == 1  # the vendors differ
    assert "BIGCOMMERCE" in table.stdout and "ELASTIC_PATH" in table.stdout
    assert "cost.totalAmount" in table.stdout
    assert "115.20" in table.stdout and "115.21" in table.stdout
    as_json = _cli(tmp_path, cart, "--json")
    assert as_json.returncode == 1
    payload = json.loads(as_json.stdout)
    assert {r["backend"] for r in payload["results"]} == {"BIGCOMMERCE", "ELASTIC_PATH"}


def test_cli_agreeing_vendors_exit_0(tmp_path: Path) -> None:
    cart = tmp_path / "cart.json"
    cart.write_text(json.dumps({"currencyCode": "JPY", "backends": ["ELASTIC_PATH"],
                                "lines": [{"sku": "MUG-ORBIT", "quantity": 3}]}))
    run = _cli(tmp_path, str(cart))
    assert run.returncode == 0, run.stderr
    assert run.stdout.endswith("No differences.\n")


@pytest.mark.parametrize(("content", "message"), [
    (None, "missing.json: no such file"),
    ("nope{", "missing.json is not JSON: Expecting value: line 1 column 1 (char 0)"),
    ('["MUG-ORBIT"]', "missing.json must hold a JSON object, a CartCreateInput such as "),
    ('{"lines": [{"sku": "MUG-ORBIT", "qty": 1}]}',
     "missing.json is not a CartCreateInput: Variable '$input' has invalid value at "
     ".lines[0]: Expected value of type 'CartLineInput' not to include unknown field 'qty'"),
], ids=["missing", "not-json", "not-an-object", "unknown-field"])
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: str | None,
                                               message: str) -> None:
    cart = tmp_path / "missing.json"
    if content is not None:
        cart.write_text(content)
    run = _cli(tmp_path, str(cart))
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"cartgate compare: {cart.parent}/{message}")
    assert run.stderr.count("\n") == 1


def test_cli_every_vendor_failing_says_so_and_exits_3(tmp_path: Path) -> None:
    cart = tmp_path / "cart.json"
    cart.write_text(json.dumps({"currencyCode": "USD",
                                "lines": [{"sku": "NO-SUCH-SKU", "quantity": 1}]}))
    run = _cli(tmp_path, str(cart))
    assert run.returncode == 3
    assert "BIGCOMMERCE: MERCHANDISE_NOT_FOUND input.lines.0.sku" in run.stdout
    assert "ELASTIC_PATH: MERCHANDISE_NOT_FOUND input.lines.0.sku" in run.stdout
    assert run.stdout.endswith(
        "Every vendor failed: no cart was priced, nothing was compared.\n")
    assert "No differences." not in run.stdout
    as_json = _cli(tmp_path, str(cart), "--json")
    assert as_json.returncode == 3
    assert [r["cart"] for r in json.loads(as_json.stdout)["results"]] == [None, None]


def test_cli_compares_in_production_with_server_tokens(tmp_path: Path) -> None:
    # cartCompare is trusted-only: the command trusts itself, whatever tokens are set.
    run = _cli(tmp_path, str(ROOT / "examples" / "compare-cart.json"), "--json",
               CARTGATE_ENV="production",
               CARTGATE_SERVER_TOKENS="srv-only-the-operator-knows-this-0123456789")
    assert run.returncode == 1, run.stderr  # priced on both; the vendors differ
    as_json = json.loads(run.stdout)
    assert [r["userErrors"] for r in as_json["results"]] == [[], []]
    assert "cost.totalAmount" in {d["path"] for d in as_json["differences"]}


def test_cli_into_a_reader_that_stops_early_ends_quietly(tmp_path: Path) -> None:
    # `cartgate compare CART.json | head`: here the reader is gone before anything is written.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    child = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "compare",
         str(ROOT / "examples" / "compare-cart.json")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    with child.stderr:
        stderr = child.stderr.read()
    assert child.wait(timeout=60) == 1  # the vendors differ, as in the table above
    assert stderr == b""
