"""Bad input gets a typed userError, before any backend call, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.model import Backend
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio


async def _cart(gateway: GraphQLClient, backend_name: str) -> dict[str, Any]:
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}]})
    cart: dict[str, Any] = created["cart"]
    return cart


@pytest.mark.parametrize(
    ("lines", "custom", "code", "field"),
    [
        ([{"sku": "MUG-ORBIT", "quantity": 0}], None, "LESS_THAN",
         ["lines", "0", "quantity"]),
        ([{"sku": "MUG-ORBIT", "quantity": -3}], None, "LESS_THAN",
         ["lines", "0", "quantity"]),
        ([{"sku": "MUG-ORBIT"}, {"quantity": 1}], None, "INVALID_MERCHANDISE_LINE",
         ["lines", "1"]),
        ([{"sku": "MUG-ORBIT", "listPrice": "-1.00"}], None, "INVALID",
         ["lines", "0", "listPrice"]),
        (None, [{"name": "Gift wrap", "quantity": 0, "listPrice": "2.00"}], "LESS_THAN",
         ["customLines", "0", "quantity"]),
        (None, [{"name": "Gift wrap", "listPrice": "-2.00"}], "INVALID",
         ["customLines", "0", "listPrice"]),
        (None, [{"name": "Gift wrap", "listPrice": "NaN"}], "INVALID",
         ["customLines", "0", "listPrice"]),
        (None, None, "INVALID", ["lines"]),
    ],
)
async def test_add_refuses_before_any_backend_call(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport],
    vendor: Backend, backend_name: str, lines: Any, custom: Any, code: str,
    field: list[str],
) -> None:
    cart = await _cart(gateway, backend_name)
    before = len(vendor_traffic[vendor].requests)
    result = await gateway.add_lines(cart["id"], lines, custom)
    assert result["cart"] is None
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(code, field)]
    assert len(vendor_traffic[vendor].requests) == before
    after = await gateway.cart(cart["id"])
    assert after is not None and after["version"] == cart["version"]


async def test_update_refuses_negative_quantity(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport],
    vendor: Backend, backend_name: str,
) -> None:
    cart = await _cart(gateway, backend_name)
    before = len(vendor_traffic[vendor].requests)
    line_id = cart["lines"][0]["id"]
    result = await gateway.update_lines(cart["id"], [{"id": line_id, "quantity": -1}])
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("LESS_THAN", ["lines", "0", "quantity"])
    ]
    assert len(vendor_traffic[vendor].requests) == before


async def test_create_refuses_unknown_currency(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport],
    vendor: Backend, backend_name: str,
) -> None:
    result = await gateway.create({"backend": backend_name, "currencyCode": "XYZ",
                                   "lines": [{"sku": "MUG-ORBIT"}]})
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("INVALID", ["input", "currencyCode"])
    ]
    assert vendor_traffic[vendor].requests == []


async def test_create_refuses_bad_line_with_input_path(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport],
    vendor: Backend, backend_name: str,
) -> None:
    result = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                   "lines": [{"sku": "MUG-ORBIT", "quantity": 0}]})
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("LESS_THAN", ["input", "lines", "0", "quantity"])
    ]
    assert vendor_traffic[vendor].requests == []


async def test_unknown_sku_names_the_line(gateway: GraphQLClient, backend_name: str) -> None:
    cart = await _cart(gateway, backend_name)
    result = await gateway.add_lines(cart["id"], [{"sku": "MUG-ORBIT"},
                                                  {"sku": "NO-SUCH-SKU"}])
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("MERCHANDISE_NOT_FOUND", ["lines", "1", "sku"])
    ]
    after = await gateway.cart(cart["id"])
    assert after is not None and after["version"] == cart["version"]
    assert after["totalQuantity"] == 1


async def test_unknown_line_id(gateway: GraphQLClient, backend_name: str) -> None:
    cart = await _cart(gateway, backend_name)
    prefix = cart["lines"][0]["id"].rsplit("/", 1)[0]
    result = await gateway.update_lines(cart["id"], [{"id": f"{prefix}/nope", "quantity": 2}])
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("LINE_NOT_FOUND", ["lines", "0", "id"])
    ]
