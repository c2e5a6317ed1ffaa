"""Any field of a vendor's cart answer, given any kind of hostile JSON value, ends in a
cart or a typed error: never an internal error, never a 500.

``test_hostile_answers.py`` names the faults the README's table lists; this sweeps them.
The fields are every key the vendor's own cart answer holds, read from a real answer of
its sandbox, so a field the sandbox starts to answer is swept too. Each value replaces
the field wherever it stands (an object or a list is kept beside it under another name,
so the body stays JSON), in every answer about the cart, for a read and for an add.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from sandboxes.faults import FaultPlan
from tests.contract.test_faults import _cart
from tests.support import CART_FIELDS, CountingTransport, GraphQLClient, VendorTraffic

pytestmark = pytest.mark.anyio

# What a broken or hostile vendor puts where a value belongs: each JSON kind, numbers at
# and past every bound (an Int, the 30 digits read, a float, what a Decimal can hold),
# text where a number belongs, a long text, nesting.
HOSTILE = ["null", "true", "-1", "0", "1.5", "99999999999999999999999999999", "1e400",
           "1e99999999999999999999", '""', '"x"', '"-5"', '"' + "é" * 2000 + '"', "{}", "[]",
           '{"a":{"b":[1]}}', "[1,2]"]
_SCALAR = r'(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)'
_READ = f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS} }} }}"
_ADD = ("mutation($id: ID!) { cartLinesAdd(cartId: $id, lines: [{sku: \"TOTE-CANVAS\"}])"
        f" {{ cart {{ {CART_FIELDS} }} userErrors {{ code field message }} }} }}")


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def _rewrite(key: str, value: str) -> dict[str, str]:
    """``key``'s value replaced by ``value``; an object or list it held kept beside it."""
    return {f'"{key}":\\s*{_SCALAR}': f'"{key}":{value}',
            f'"{key}":\\s*(?=[{{\\[])': f'"{key}":{value},"_was_{key}":'}


async def _answer_keys(gateway: GraphQLClient, traffic: VendorTraffic, cart_id: str
                       ) -> list[str]:
    """Every key of the vendor's answer to the gateway's cart read, read again from it."""
    assert await gateway.cart(cart_id) is not None
    assert isinstance(traffic, CountingTransport)  # the vendor has a sandbox (see conftest)
    read = next(r for r in reversed(traffic.requests)
                if r.method == "GET" and re.search(r"/carts/[^/]+$", r.url.path))
    answer = await traffic.inner.handle_async_request(read)
    await answer.aread()
    return sorted(set(_keys(json.loads(answer.content))))


async def test_no_hostile_value_in_any_field_is_an_internal_error(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str, vendor_traffic: dict[Backend, VendorTraffic],
) -> None:
    keys = await _answer_keys(gateway, vendor_traffic[vendor],
                              (await _cart(gateway, backend_name))["id"])
    assert len(keys) >= 20, keys  # the answer was read, not an error
    faults = sandboxes[vendor].state.faults
    failures: list[tuple[str, str, str, str]] = []
    refused = 0
    for key in keys:
        for value in HOSTILE:
            for name, document in (("read", _READ), ("add", _ADD)):
                cart = await _cart(gateway, backend_name)
                faults.inject(FaultPlan(kind="rewrite", rewrite=_rewrite(key, value), count=10,
                                        method="GET" if name == "read" else None,
                                        path_contains="/carts/"))
                response = await gateway.raw(document, {"id": cart["id"]})
                faults.clear()
                body = response.json() if response.status_code == 200 else {}
                errors = body.get("errors") or []
                answer = (body.get("data") or {}).get("cartLinesAdd") or {}
                refused += bool(errors or answer.get("userErrors"))
                if response.status_code != 200 or (name == "add" and errors) or any(
                        "code" not in (error.get("extensions") or {}) for error in errors):
                    failures.append((key, value[:20], name, response.text[:200]))
    assert failures == [], f"{len(failures)} answers, the first: {failures[:5]}"
    # Some values in some fields break the cart: the faults reached the gateway.
    assert refused > 0
