"""The carts the load runs read and write, created through the gateway's GraphQL API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

# The sandbox catalogs' SKUs (both vendors share them); EBOOK-FIELD is a digital item.
CATALOG_SKUS = [
    "MUG-ORBIT", "TEE-TRAIL-S", "TEE-TRAIL-M", "TEE-TRAIL-L", "PENCIL-HB", "TOTE-CANVAS",
    "EBOOK-FIELD", "SOCKS-WOOL-GRY", "SOCKS-WOOL-NVY", "BEANS-ESP-1KG", "LAMP-DESK",
]
GRAPHQL_BACKENDS = {"bigcommerce": "BIGCOMMERCE", "elasticpath": "ELASTIC_PATH"}

_CREATE = """
mutation($input: CartCreateInput!) {
  cartCreate(input: $input) {
    cart { id totalQuantity lines { id } }
    userErrors { code field message }
  }
}
"""


@dataclass(frozen=True)
class SeededCart:
    """A cart made for the benchmark: its GraphQL id and the vendor's own id."""

    gid: str
    vendor_id: str
    lines: int

# Carts an add row spreads its load over, as many shoppers do: one per wrk connection.
MANY_CARTS = 32

def graphql(client: httpx.Client, query: str, variables: dict[str, Any] | None = None
            ) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    data: dict[str, Any] = body["data"]
    return data


def available_backends(client: httpx.Client) -> set[str]:
    """The vendors the gateway serves, as config names (``bigcommerce``, ``elasticpath``)."""
    data = graphql(client, "{ backends { backend } }")
    names = {entry["backend"] for entry in data["backends"]}
    return {vendor for vendor, name in GRAPHQL_BACKENDS.items() if name in names}


def cart_input(vendor: str, lines: int) -> dict[str, Any]:
    """Catalog lines for half the cart (the catalog has 11 SKUs), custom lines for the rest."""
    catalog = CATALOG_SKUS[: min(len(CATALOG_SKUS), max(1, lines // 2))]
    custom = [
        {"sku": f"BENCH-{i:03d}", "name": f"Bench item {i}", "quantity": 1, "listPrice": "1.25"}
        for i in range(1, lines - len(catalog) + 1)
    ]
    return {
        "backend": GRAPHQL_BACKENDS[vendor], "currencyCode": "USD",
        "lines": [{"sku": sku, "quantity": 1} for sku in catalog], "customLines": custom,
    }


def create_cart(client: httpx.Client, vendor: str, lines: int) -> SeededCart:
    payload = graphql(client, _CREATE, {"input": cart_input(vendor, lines)})["cartCreate"]
    cart = payload["cart"]
    if payload["userErrors"] or cart is None:
        raise RuntimeError(f"cartCreate on {vendor} failed: {payload['userErrors']}")
    if len(cart["lines"]) != lines:
        raise RuntimeError(f"a {lines}-line cart on {vendor} came back with "
                           f"{len(cart['lines'])} lines")
    return SeededCart(gid=cart["id"], vendor_id=cart["id"].rsplit("/", 1)[-1], lines=lines)


def create_carts(client: httpx.Client, vendor: str, lines: int, count: int
                 ) -> list[SeededCart]:
    return [create_cart(client, vendor, lines) for _ in range(count)]
