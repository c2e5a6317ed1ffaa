"""The client examples in examples/: a typed TypeScript storefront and a Python gql session."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import gateway_on_loopback
from tests.support import GraphQLClient

ROOT = Path(__file__).resolve().parents[2]
TYPESCRIPT = ROOT / "examples" / "typescript"


@pytest.mark.anyio
async def test_scalars_name_their_specification(gateway: GraphQLClient) -> None:
    data = await gateway.execute(
        '{ decimal: __type(name: "Decimal") { specifiedByURL } '
        'dateTime: __type(name: "DateTime") { specifiedByURL } }')
    assert data == {
        "decimal": {"specifiedByURL": "https://speleotrove.com/decimal/daconvs.html#reftostr"},
        "dateTime": {"specifiedByURL": "https://scalars.graphql.org/andimarek/date-time.html"},
    }


@pytest.mark.skipif(shutil.which("npm") is None, reason="Node.js and npm are not installed")
def test_typescript_storefront_generates_and_type_checks() -> None:
    if not (TYPESCRIPT / "node_modules" / ".package-lock.json").is_file():
        # `make test` installs them first; a bare pytest run installs them here.
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=TYPESCRIPT,
                       check=True, timeout=300)
    run = subprocess.run(["npm", "run", "--silent", "check"], cwd=TYPESCRIPT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    generated = (TYPESCRIPT / "src" / "gql" / "graphql.ts").read_text()
    # The codegen scalar mapping: amounts and times are strings, nothing is `unknown`.
    assert "Decimal: { input: string; output: string; }" in generated
    assert "DateTime: { input: string; output: string; }" in generated
    assert "export const CreateCartDocument" in generated


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_apollo_cache_policies_merge_costs_without_warnings() -> None:
    assert (TYPESCRIPT / "node_modules" / "@apollo" / "client").is_dir(), \
        "`make test` runs npm ci in examples/typescript"

    def check(url: str, *flags: str) -> dict[str, Any]:
        run = subprocess.run(
            ["node", "--conditions=development", "cache-check.mjs", f"{url}/graphql", *flags],
            cwd=TYPESCRIPT, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        answer: dict[str, Any] = json.loads(run.stdout)
        return answer

    with gateway_on_loopback() as url:
        merged = check(url)
        replaced = check(url, "--no-policies")
    assert merged["warnings"] == []
    # The cost the first answer cached survives the mutation that selected less of it.
    assert merged["cost"]["subtotalAmount"]["amount"] == "25.00"
    assert merged["cost"]["totalAmount"]["formatted"] == "$22.50"
    # Without the storefront's typePolicies Apollo replaces the cost, and says so.
    assert len(replaced["warnings"]) == 1
    assert replaced["warnings"][0].startswith("Cache data may be lost when replacing")
    assert replaced["cost"] is None


def _gql_session_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gql_session", ROOT / "examples" / "python" / "gql_session.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.anyio
async def test_python_gql_session() -> None:
    session = _gql_session_module()
    with gateway_on_loopback() as url:
        carts = await session.cart_session(f"{url}/graphql")
    created, discounted, read = carts["created"], carts["discounted"], carts["read"]
    # The sandbox catalog: 2 x MUG-ORBIT 12.50 + LAMP-DESK 89.00, then SAVE10.
    assert created["cost"]["subtotalAmount"]["amount"] == Decimal("114.00")
    assert type(created["cost"]["totalAmount"]["amount"]) is Decimal
    assert discounted["discountCodes"] == [{"code": "SAVE10", "applicable": True}]
    assert discounted["cost"]["totalAmount"]["amount"] == Decimal("102.60")
    assert read == discounted
