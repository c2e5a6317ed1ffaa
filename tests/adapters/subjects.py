"""The backends the ``CartBackend`` behaviour suite runs on, and what each one brings.

As in fsspec's abstract tests, a backend brings only this: how to build it (the vendors
over their sandboxes, in process through ``httpx.ASGITransport``; the in-memory vendor as
it is) and the few facts of its catalog that take its own form (ids).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from adapters.base import CartBackend
from adapters.bigcommerce.adapter import BigCommerceBackend
from adapters.elasticpath.adapter import ElasticPathBackend
from adapters.memory import DEFAULT_CATALOG, MemoryBackend
from adapters.model import Backend
from sandboxes import bigcommerce, elasticpath
from sandboxes.loopback import sandbox_app


@dataclass(frozen=True)
class Subject:
    """A backend under test and its catalog's ids for the products the suite uses."""

    backend: CartBackend
    # The product id of a SKU sold without variants (MUG-ORBIT), and of a product that
    # has variants (TEE-TRAIL): the backend's own form of id.
    mug_id: str
    shirt_id: str
    # A customer id of the form the backend takes.
    customer_id: str


def _catalog(package: object) -> dict[str, object]:
    path = Path(str(getattr(package, "__file__", ""))).with_name("catalog.json")
    loaded: dict[str, object] = json.loads(path.read_text())
    return loaded


def _id_by_sku(entries: object, sku: str) -> str:
    assert isinstance(entries, list)
    return str(next(entry["id"] for entry in entries if entry["sku"] == sku))


def _bigcommerce() -> Subject:
    products = _catalog(bigcommerce)["products"]
    backend = BigCommerceBackend(
        api_url="http://bigcommerce.sandbox", store_hash=bigcommerce.SANDBOX_STORE_HASH,
        access_token=bigcommerce.SANDBOX_ACCESS_TOKEN, timeout=10, sandbox=True,
        transport=httpx.ASGITransport(app=sandbox_app(Backend.BIGCOMMERCE)))
    return Subject(backend, mug_id=_id_by_sku(products, "MUG-ORBIT"),
                   shirt_id=_id_by_sku(products, "TEE-TRAIL"), customer_id="42")


def _elasticpath() -> Subject:
    catalog = _catalog(elasticpath)
    backend = ElasticPathBackend(
        api_url="http://elasticpath.sandbox", client_id=elasticpath.SANDBOX_CLIENT_ID,
        client_secret=elasticpath.SANDBOX_CLIENT_SECRET, timeout=10, sandbox=True,
        transport=httpx.ASGITransport(app=sandbox_app(Backend.ELASTIC_PATH)))
    return Subject(backend, mug_id=_id_by_sku(catalog["products"], "MUG-ORBIT"),
                   shirt_id=_id_by_sku(catalog["parents"], "TEE-TRAIL"),
                   customer_id="b3f2b6de-8fd4-4cdf-a9d9-c5f7cecccdfe")


def _memory() -> Subject:
    def product_id(sku: str) -> str:
        found = DEFAULT_CATALOG.by_sku(sku)
        assert found is not None
        return found[0].id

    return Subject(MemoryBackend(),
                   mug_id=product_id("MUG-ORBIT"), shirt_id=product_id("TEE-TRAIL"),
                   customer_id="customer-42")


BACKENDS: dict[str, Callable[[], Subject]] = {
    "bigcommerce": _bigcommerce, "elasticpath": _elasticpath, "memory": _memory,
}
