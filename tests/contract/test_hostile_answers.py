"""A hostile or broken vendor answer is a typed code, quickly: never a 500, never a stall.

Each row (its table is README's fault table) runs on both vendors, as a read and as a
write: malformed cart answers (a line quantity of -3, 0, 2^31 or 1e200000, an amount of
1e999999 or 1e99999999999999999999, ids that are paths, a BigCommerce version of 1e999999,
JSON nested 100,000 deep, a body past the size cap, a text field or BigCommerce checkout_url
that is an object) are SERVICE_UNAVAILABLE; a 429 whose Retry-After is an HTTP date with a
zone or 400 digits, or whose X-Rate-Limit-Time-Reset-Ms is 400 digits, is RATE_LIMITED.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from starlette.applications import Starlette

from adapters.bounded_answers import DEFAULT_MAX_BODY
from adapters.model import Backend
from sandboxes.faults import FaultPlan
from tests.contract.test_faults import _cart
from tests.support import CART_FIELDS, GraphQLClient

pytestmark = pytest.mark.anyio

PERSISTING = 10
# Far above a loaded machine's answer time, far below the 30 s a huge exponent took.
PROMPT = 5.0
QUANTITY = r'"quantity":\s*\d+'
BC, EP = Backend.BIGCOMMERCE, Backend.ELASTIC_PATH
_DEEP = "[" * 100_000 + "]" * 100_000


def _rewrite(patterns: dict[Backend, dict[str, str]]) -> dict[Backend, dict[str, Any]]:
    return {vendor: {"kind": "rewrite", "rewrite": rewrite}
            for vendor, rewrite in patterns.items()}


def _both(plan: dict[str, Any]) -> dict[Backend, dict[str, Any]]:
    return {BC: plan, EP: plan}


def _limited(headers: dict[str, str]) -> dict[Backend, dict[str, Any]]:
    return _both({"kind": "status", "status": 429, "headers": headers})


# (row, each vendor's plan, the code a mutation and a query answer)
ROWS: list[tuple[str, dict[Backend, dict[str, Any]], str]] = [
    ("quantity-negative", _rewrite({v: {QUANTITY: '"quantity":-3'} for v in (BC, EP)}),
     "SERVICE_UNAVAILABLE"),
    ("quantity-zero", _rewrite({v: {QUANTITY: '"quantity":0'} for v in (BC, EP)}),
     "SERVICE_UNAVAILABLE"),
    ("quantity-past-int", _rewrite({v: {QUANTITY: '"quantity":2147483648'} for v in (BC, EP)}),
     "SERVICE_UNAVAILABLE"),
    ("quantity-1e200000", _rewrite({v: {QUANTITY: '"quantity":1e200000'} for v in (BC, EP)}),
     "SERVICE_UNAVAILABLE"),
    ("amount-1e999999", _rewrite({BC: {r'"base_amount":\s*[\d.]+': '"base_amount":1e999999'},
                                  EP: {r'"amount":\s*\d+': '"amount":1e999999'}}),
     "SERVICE_UNAVAILABLE"),
    ("nested-100000-deep", _both({"kind": "body", "status": 200, "body": _DEEP,
                                  "headers": {"Content-Type": "application/json"}}),
     "SERVICE_UNAVAILABLE"),
    ("body-past-the-cap", _both({"kind": "body", "status": 200,
                                 "body": "[" + " " * DEFAULT_MAX_BODY + "]",
                                 "headers": {"Content-Type": "application/json"}}),
     "SERVICE_UNAVAILABLE"),
    ("text-is-an-object", _rewrite({BC: {r'"locale":\s*"[^"]*"': '"locale":{"x":1}'},
                                    # The cart's own field, and an item's (an item
                                    # write's answer carries only its items).
                                    EP: {r'"description":\s*""': '"description":{"x":1}',
                                         r'"sku":\s*"[^"]*"': '"sku":{"x":1}'}}),
     "SERVICE_UNAVAILABLE"),
    # An exponent past what a Decimal can hold at all (10**18), not just past the bound.
    ("amount-1e99999999999999999999",
     _rewrite({BC: {r'"base_amount":\s*[\d.]+': '"base_amount":1e99999999999999999999'},
               EP: {r'"amount":\s*\d+': '"amount":1e99999999999999999999'}}),
     "SERVICE_UNAVAILABLE"),
    # Ids go into vendor URL paths and the gateway's ids: one that is a path is refused.
    ("ids-are-paths", _rewrite({v: {r'"id":\s*"[0-9a-f-]{36}"': '"id":"a/../b"'}
                                for v in (BC, EP)}),
     "SERVICE_UNAVAILABLE"),
    ("version-1e999999", _rewrite({BC: {r'"version":\s*\d+': '"version":1e999999'}}),
     "SERVICE_UNAVAILABLE"),
    ("checkout-url-is-an-object",
     _rewrite({BC: {r'"checkout_url":\s*"[^"]*"': '"checkout_url":{"x":1}'}}),
     "SERVICE_UNAVAILABLE"),
    ("retry-after-date-with-zone", _limited({"Retry-After": "Sun, 29 Nov 2026 16:00:00 -0000"}),
     "RATE_LIMITED"),
    ("retry-after-400-digits", _limited({"Retry-After": "9" * 400}), "RATE_LIMITED"),
    ("reset-ms-400-digits", _limited({"X-Rate-Limit-Time-Reset-Ms": "9" * 400}),
     "RATE_LIMITED"),
]
IDS = [row[0] for row in ROWS]


def _plan(plans: dict[Backend, dict[str, Any]], vendor: Backend, *, path_contains: str,
          method: str | None = None) -> FaultPlan:
    if vendor not in plans:
        pytest.skip("the vendor's answers have no such field")  # its twin row covers it
    return FaultPlan(**plans[vendor], count=PERSISTING, method=method,
                     path_contains=path_contains)


@pytest.mark.parametrize(("row", "plans", "code"), ROWS, ids=IDS)
async def test_a_hostile_read_answer_is_a_coded_error(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str, row: str, plans: dict[Backend, dict[str, Any]], code: str,
) -> None:
    cart = await _cart(gateway, backend_name)
    sandboxes[vendor].state.faults.inject(
        _plan(plans, vendor, method="GET", path_contains="/carts/"))
    started = time.perf_counter()
    response = await gateway.raw(f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS} }} }}",
                                 {"id": cart["id"]})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert body["data"] == {"cart": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert elapsed < PROMPT


@pytest.mark.parametrize(("row", "plans", "code"), ROWS, ids=IDS)
async def test_a_hostile_write_answer_is_a_user_error(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str, row: str, plans: dict[Backend, dict[str, Any]], code: str,
) -> None:
    cart = await _cart(gateway, backend_name)
    # Every answer about the cart, the write's and the reads around it.
    sandboxes[vendor].state.faults.inject(_plan(plans, vendor, path_contains="/carts/"))
    started = time.perf_counter()
    response = await gateway.raw(
        "mutation($id: ID!) { cartLinesAdd(cartId: $id, lines: [{sku: \"TOTE-CANVAS\"}])"
        " { cart { id totalQuantity } userErrors { code field message } } }", {"id": cart["id"]})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert "errors" not in body, body["errors"]
    assert [e["code"] for e in body["data"]["cartLinesAdd"]["userErrors"]] == [code]
    assert elapsed < PROMPT
