"""Every way a vendor can fail reaches the storefront as one contract code, never a 500.

| vendor failure                          | mutation userError    | query error code     |
|-----------------------------------------|-----------------------|----------------------|
| 400 Bad Request                         | INVALID               | INVALID              |
| 401 Unauthorized (persisting)           | BACKEND_UNAUTHORIZED  | BACKEND_UNAUTHORIZED |
| 403 Forbidden                           | BACKEND_UNAUTHORIZED  | BACKEND_UNAUTHORIZED |
| 404 Not Found                           | CART_NOT_FOUND        | (cart is null)       |
| 409 Conflict                            | VERSION_CONFLICT      | SERVICE_UNAVAILABLE  |
| 422 Unprocessable Entity                | INVALID               | INVALID              |
| 429 Too Many Requests (persisting)      | RATE_LIMITED          | RATE_LIMITED         |
| 500 / 502 / 503 (persisting)            | SERVICE_UNAVAILABLE   | SERVICE_UNAVAILABLE  |
| timeout                                 | SERVICE_UNAVAILABLE   | SERVICE_UNAVAILABLE  |
| refused connection                      | SERVICE_UNAVAILABLE   | SERVICE_UNAVAILABLE  |
| reset in the middle of the body         | SERVICE_UNAVAILABLE   | SERVICE_UNAVAILABLE  |
| malformed JSON                          | SERVICE_UNAVAILABLE   | SERVICE_UNAVAILABLE  |
| 200 missing required fields             | SERVICE_UNAVAILABLE   | SERVICE_UNAVAILABLE  |

A refused connection is covered in tests/gateway/test_loopback.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from sandboxes.faults import FaultPlan
from tests.support import CART_FIELDS, GraphQLClient

pytestmark = pytest.mark.anyio

PERSISTING = 10  # more than the gateway's retries, so the failure reaches the storefront
FAST_RETRY = {"X-Rate-Limit-Time-Reset-Ms": "5", "Retry-After": "0"}

ROWS: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("400", {"kind": "status", "status": 400}, "INVALID", "INVALID"),
    ("401", {"kind": "status", "status": 401, "count": PERSISTING},
     "BACKEND_UNAUTHORIZED", "BACKEND_UNAUTHORIZED"),
    ("403", {"kind": "status", "status": 403}, "BACKEND_UNAUTHORIZED", "BACKEND_UNAUTHORIZED"),
    ("404", {"kind": "status", "status": 404}, "CART_NOT_FOUND", None),
    ("409", {"kind": "status", "status": 409}, "VERSION_CONFLICT", "SERVICE_UNAVAILABLE"),
    ("422", {"kind": "status", "status": 422}, "INVALID", "INVALID"),
    ("429", {"kind": "status", "status": 429, "count": PERSISTING, "headers": FAST_RETRY},
     "RATE_LIMITED", "RATE_LIMITED"),
    ("500", {"kind": "status", "status": 500, "count": PERSISTING},
     "SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"),
    ("502", {"kind": "status", "status": 502, "count": PERSISTING},
     "SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"),
    ("503", {"kind": "status", "status": 503, "count": PERSISTING, "headers": FAST_RETRY},
     "SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"),
    ("timeout", {"kind": "delay", "delay_seconds": 1.0, "count": PERSISTING},
     "SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"),
    ("reset", {"kind": "reset", "count": PERSISTING},
     "SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"),
    ("malformed-json", {"kind": "malformed_json", "count": PERSISTING},
     "SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"),
    ("missing-fields", {"kind": "missing_fields", "count": PERSISTING},
     "SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE"),
]
IDS = [row[0] for row in ROWS]


@pytest.fixture
def backend_timeout() -> float:
    return 0.3


async def _cart(gateway: GraphQLClient, backend_name: str) -> dict[str, Any]:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}]})
    assert created["userErrors"] == []
    cart: dict[str, Any] = created["cart"]
    return cart


def _faults(sandboxes: dict[Backend, Starlette], vendor: Backend) -> Any:
    return sandboxes[vendor].state.faults


@pytest.mark.parametrize(("row", "plan", "mutation_code", "query_code"), ROWS, ids=IDS)
async def test_failed_write_is_a_user_error_and_changes_nothing(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str, row: str, plan: dict[str, Any], mutation_code: str,
    query_code: str | None,
) -> None:
    cart = await _cart(gateway, backend_name)
    faults = _faults(sandboxes, vendor)
    faults.inject(FaultPlan(**plan, method="POST", path_contains="/items"))
    response = await gateway.raw(
        "mutation($id: ID!) { cartLinesAdd(cartId: $id, lines: [{sku: \"TOTE-CANVAS\"}])"
        " { cart { id } userErrors { code field message } } }", {"id": cart["id"]},
    )
    assert response.status_code == 200
    assert "Traceback" not in response.text
    body = response.json()
    assert "errors" not in body
    errors = body["data"]["cartLinesAdd"]["userErrors"]
    assert [e["code"] for e in errors] == [mutation_code], errors
    faults.clear()
    # A write that timed out, or whose answer was garbage, may have landed: the vendor
    # got it. Every other failure must leave the cart as it was.
    if row not in ("timeout", "missing-fields"):
        after = await gateway.cart(cart["id"])
        assert after is not None and after["version"] == cart["version"]


@pytest.mark.parametrize(("row", "plan", "mutation_code", "query_code"), ROWS, ids=IDS)
async def test_failed_read_is_a_coded_graphql_error(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str, row: str, plan: dict[str, Any], mutation_code: str,
    query_code: str | None,
) -> None:
    cart = await _cart(gateway, backend_name)
    _faults(sandboxes, vendor).inject(FaultPlan(**plan, method="GET", path_contains="/carts/"))
    response = await gateway.raw(f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS} }} }}",
                                 {"id": cart["id"]})
    assert response.status_code == 200
    assert "Traceback" not in response.text
    body = response.json()
    assert body["data"] == {"cart": None}
    if query_code is None:
        assert "errors" not in body
    else:
        assert [e["extensions"]["code"] for e in body["errors"]] == [query_code]
        assert "Internal error" not in body["errors"][0]["message"]


async def test_transient_read_failures_are_retried(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str,
) -> None:
    cart = await _cart(gateway, backend_name)
    _faults(sandboxes, vendor).inject(
        FaultPlan("status", status=503, count=2, method="GET", path_contains="/carts/")
    )
    read = await gateway.cart(cart["id"])
    assert read is not None and read["version"] == cart["version"]
    assert _faults(sandboxes, vendor).pending() == []


async def test_a_failed_write_is_not_retried_blindly(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str,
) -> None:
    cart = await _cart(gateway, backend_name)
    faults = _faults(sandboxes, vendor)
    faults.inject(FaultPlan("status", status=503, count=2, method="POST",
                            path_contains="/items"))
    result = await gateway.add_lines(cart["id"], [{"sku": "TOTE-CANVAS"}])
    assert [e["code"] for e in result["userErrors"]] == ["SERVICE_UNAVAILABLE"]
    # One write was sent and failed; the second planned failure was never used.
    assert [p.count for p in faults.pending()] == [1]


async def test_a_write_refused_with_429_is_sent_again(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str,
) -> None:
    cart = await _cart(gateway, backend_name)
    _faults(sandboxes, vendor).inject(FaultPlan("status", status=429, count=1, method="POST",
                                                path_contains="/items", headers=FAST_RETRY))
    result = await gateway.add_lines(cart["id"], [{"sku": "TOTE-CANVAS"}])
    assert result["userErrors"] == []
    assert result["cart"]["totalQuantity"] == 2


async def test_a_conflict_answered_to_a_read_is_unavailable_even_without_a_body(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str,
) -> None:
    # A read changes nothing, so a 409 to it is the vendor misbehaving, whatever it sends.
    cart = await _cart(gateway, backend_name)
    _faults(sandboxes, vendor).inject(
        FaultPlan("body", status=409, count=PERSISTING, method="GET", path_contains="/carts/"))
    response = await gateway.raw(f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS} }} }}",
                                 {"id": cart["id"]})
    body = response.json()
    assert body["data"] == {"cart": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["SERVICE_UNAVAILABLE"]
