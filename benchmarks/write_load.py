"""cartLinesAdd under load without wrk: cartgate against the vendor's own REST call.

``python -m benchmarks.write_load [--requests 600] [--concurrency 16]`` starts both
sandboxes (no delay) and cartgate as their own processes, seeds one 10-line cart per
path, and sends the same add-one-item request through cartgate and straight to the
vendor from an asyncio httpx client. It prints req/s, cartgate/direct, and the CPU
each server process spent per request (from /proc), which does not depend on how busy
the machine is. The client runs on the same cores, so compare figures within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks import carts, latency
from benchmarks.processes import Children, cpu_seconds
from benchmarks.targets import (
    BIGCOMMERCE_INCLUDE,
    BIGCOMMERCE_TOKEN,
    ELASTICPATH_CREDENTIALS,
    LINES_ADD,
)

SKU = carts.CATALOG_SKUS[0]


def _direct_request(vendor: str, sandbox: str, cart_id: str) -> tuple[str, dict[str, Any],
                                                                       dict[str, str]]:
    if vendor == "bigcommerce":
        cart = httpx.get(f"{sandbox}/stores/sandbox/v3/carts/{cart_id}",
                         headers=BIGCOMMERCE_TOKEN).raise_for_status().json()["data"]
        item = cart["line_items"]["physical_items"][0]
        body = {"line_items": [{"product_id": item["product_id"],
                                "variant_id": item["variant_id"], "quantity": 1}]}
        return (f"{sandbox}/stores/sandbox/v3/carts/{cart_id}/items?{BIGCOMMERCE_INCLUDE}",
                body, BIGCOMMERCE_TOKEN)
    token = httpx.post(f"{sandbox}/oauth/access_token",
                       data=ELASTICPATH_CREDENTIALS).raise_for_status().json()["access_token"]
    return (f"{sandbox}/v2/carts/{cart_id}/items",
            {"data": {"type": "cart_item", "sku": SKU, "quantity": 1}},
            {"Authorization": f"Bearer {token}"})


async def _drive(url: str, body: dict[str, Any], headers: dict[str, str], requests: int,
                 concurrency: int, graphql: bool) -> float:
    """Seconds to send ``requests`` POSTs, ``concurrency`` at a time; every answer checked."""
    left = requests
    limits = httpx.Limits(max_connections=concurrency)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal left
        while left > 0:
            left -= 1
            response = await client.post(url, json=body, headers=headers)
            if response.status_code >= 300 or (graphql and (
                    b'"errors"' in response.content or b'"userErrors":[]' not in
                    response.content.replace(b" ", b""))):
                raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")

    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.write_load",
                                     description=__doc__)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    rows = [["vendor", "path", "req/s", "cartgate/direct", "gateway CPU ms/req",
             "vendor CPU ms/req"]]
    with tempfile.TemporaryDirectory(prefix="cartgate-write-") as logs, \
            Children(Path(logs)) as children:
        token = secrets.token_urlsafe(32)
        sandboxes, gateway = latency.start_servers(children, rtt_ms=0, server_token=token)
        pids = dict(zip(["bigcommerce", "elasticpath", "gateway"], children.pids(),
                        strict=True))
        # Seeding uses custom lines, which only a trusted server caller may add; the
        # measured adds are a storefront's.
        with httpx.Client(base_url=gateway, timeout=60,
                          headers={"authorization": f"Bearer {token}"}) as client:
            seeded = {vendor: (carts.create_cart(client, vendor, 10),
                               carts.create_cart(client, vendor, 10))
                      for vendor in latency.VENDORS}
        for vendor, (name, _) in latency.VENDORS.items():
            ours, theirs = seeded[vendor]
            url, body, headers = _direct_request(vendor, sandboxes[vendor], theirs.vendor_id)
            paths = {
                "cartgate": (f"{gateway}/graphql", {"query": LINES_ADD, "variables": {
                    "id": ours.gid, "lines": [{"sku": SKU, "quantity": 1}]}}, {}, True),
                "direct": (url, body, headers, False),
            }
            rates: dict[str, float] = {}
            for path, (target, payload, extra, graphql) in paths.items():
                asyncio.run(_drive(target, payload, extra, 50, args.concurrency, graphql))
                before = {key: cpu_seconds(pid) for key, pid in pids.items()}
                seconds = asyncio.run(_drive(target, payload, extra, args.requests,
                                             args.concurrency, graphql))
                spent = {key: (cpu_seconds(pid) - before[key]) * 1000 / args.requests
                         for key, pid in pids.items()}
                rates[path] = args.requests / seconds
                rows.append([name, path, f"{rates[path]:,.0f}",
                             f"{rates['cartgate'] / rates['direct']:.2f}x"
                             if path == "direct" else "",
                             f"{spent['gateway']:.2f}", f"{spent[vendor]:.2f}"])
    print(f"\ncartLinesAdd on a 10-line cart, {args.requests} requests per path, "
          f"{args.concurrency} at a time\n", file=sys.stderr)
    print(latency.aligned(rows))
    print("\n" + latency.markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
