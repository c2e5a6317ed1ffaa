"""cartTransfer(deleteSource) racing a write on the source cart loses nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from adapters.registry import with_sandbox
from sandboxes.faults import FaultPlan
from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio

TRANSFER = """mutation($id: ID!, $to: Backend!) {
  cartTransfer(cartId: $id, to: $to, deleteSource: true) {
    cart { id lines { sku quantity } }
    sourceCart { id lines { sku quantity } }
    userErrors { code }
    warnings { code message }
  }
}"""


def _other(vendor: Backend) -> Backend:
    """A vendor to transfer to: another one with a sandbox, whose answers can be slowed."""
    return next(entry.backend for entry in with_sandbox() if entry.backend is not vendor)


def _skus(cart: dict[str, Any] | None) -> set[str]:
    return {line["sku"] for line in (cart or {}).get("lines", [])}


async def test_a_line_added_during_a_transfer_is_not_lost(
    gateway: GraphQLClient, vendor: Backend, sandboxes: dict[Backend, Starlette]
) -> None:
    created = await gateway.create({"backend": vendor.name, "currencyCode": "USD",
                                    "lines": [{"sku": "PENCIL-HB", "quantity": 2}]})
    source_id = created["cart"]["id"]
    # The target is slow, so the shopper's add lands while the transfer rebuilds. The add
    # waits for the transfer to reach the target, not for a fixed time: a loaded machine
    # may take longer than any sleep to get there.
    target = _other(vendor)
    faults = sandboxes[target].state.faults
    faults.inject(FaultPlan("delay", delay_seconds=1.0, method="POST", path_contains="/carts"))

    async def add_meanwhile() -> dict[str, Any]:
        await faults.until_played()
        return await gateway.add_lines(source_id, [{"sku": "MUG-ORBIT", "quantity": 1}])

    moved, added = await asyncio.gather(
        gateway.execute(TRANSFER, {"id": source_id, "to": target.name}), add_meanwhile())
    payload = moved["cartTransfer"]
    assert added["userErrors"] == [] and "MUG-ORBIT" in _skus(added["cart"])
    assert payload["userErrors"] == []
    # The target holds what was read; the source, changed since, is kept and says so.
    assert _skus(payload["cart"]) == {"PENCIL-HB"}
    assert [w["code"] for w in payload["warnings"]] == ["SOURCE_CHANGED"]
    assert _skus(payload["sourceCart"]) == {"PENCIL-HB", "MUG-ORBIT"}
    assert _skus(await gateway.cart(source_id)) == {"PENCIL-HB", "MUG-ORBIT"}


async def test_an_unchanged_source_is_still_deleted(
    gateway: GraphQLClient, vendor: Backend
) -> None:
    created = await gateway.create({"backend": vendor.name, "currencyCode": "USD",
                                    "lines": [{"sku": "PENCIL-HB", "quantity": 2}]})
    source_id = created["cart"]["id"]
    payload = (await gateway.execute(
        TRANSFER, {"id": source_id, "to": _other(vendor).name}))["cartTransfer"]
    assert [w["code"] for w in payload["warnings"]] == ["CART_DELETED"]
    assert payload["sourceCart"] is None
    assert await gateway.cart(source_id) is None
