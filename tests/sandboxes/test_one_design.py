"""Both sandboxes share one design: each app is its own store, faults know no vendor."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from .test_faults import BIGCOMMERCE, ELASTICPATH, Vendor

pytestmark = pytest.mark.anyio

# A setting each vendor lets a store change, and a value other than its default.
SETTINGS: dict[str, tuple[str, dict[str, Any], str]] = {
    "bigcommerce": ("/stores/sandbox/v3/carts/settings", {"allow_purchasing": False},
                    "allow_purchasing"),
    "elasticpath": ("/v2/settings/cart", {"data": {"cart_expiry_days": 3}},
                    "cart_expiry_days"),
}


@asynccontextmanager
async def _client(vendor: Vendor) -> AsyncIterator[httpx.AsyncClient]:
    """An authorised client of a fresh sandbox app of the vendor."""
    transport = httpx.ASGITransport(app=vendor.make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        await vendor.authorize(client)
        yield client


@pytest.mark.parametrize("vendor", [BIGCOMMERCE, ELASTICPATH], ids=lambda v: v.name)
async def test_a_store_setting_changed_on_one_app_is_not_seen_by_another(vendor: Vendor) -> None:
    path, change, name = SETTINGS[vendor.name]
    async with _client(vendor) as first, _client(vendor) as second:
        before = (await second.get(path)).json()["data"][name]
        changed = await first.put(path, json=change)
        assert changed.status_code == 200
        assert (await first.get(path)).json()["data"][name] != before
        assert (await second.get(path)).json()["data"][name] == before


async def test_bigcommerce_metafields_are_numbered_per_store() -> None:
    metafield = {"permission_set": "app_only", "namespace": "cartgate", "key": "note",
                 "value": "hello"}
    ids = []
    for _ in range(2):
        async with _client(BIGCOMMERCE) as client:
            cart = await client.post(BIGCOMMERCE.create_path, json=BIGCOMMERCE.create_body)
            cart_id = cart.json()["data"]["id"]
            made = await client.post(f"/stores/sandbox/v3/carts/{cart_id}/metafields",
                                     json=metafield)
            assert made.status_code == 200
            ids.append(made.json()["data"]["id"])
    assert ids == ["1", "1"]


def test_the_fault_machinery_imports_no_vendor_sandbox() -> None:
    # The vendor packages import sandboxes.faults while they load; the reverse would be
    # an import cycle.
    probe = ("import sys, sandboxes.faults; "
             "print(sorted(m for m in sys.modules if m.startswith('sandboxes.')))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "['sandboxes.fault_plans', 'sandboxes.faults']"
