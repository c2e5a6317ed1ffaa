"""What the vendor client costs per request: the gateway's JsonTransport against the
HTTP clients it could be built on, side by side in one run.

    .venv/bin/python -m benchmarks.vendor_client [--lines 10] [--requests 3000]

Starts the BigCommerce sandbox as a separate uvicorn process, seeds one cart, then reads
it with each client in turn (16 concurrent requests on one uvloop event loop, twice each,
alternating) and prints requests per second and this process's CPU time per request. CPU
time is the steadier figure: the sandbox shares the machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import httpx
import uvloop
from httpx_aiohttp import AiohttpTransport

from adapters.bigcommerce.client import CART_INCLUDES
from adapters.http import JsonTransport
from benchmarks.processes import Children, free_port
from sandboxes.bigcommerce import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"X-Auth-Token": SANDBOX_ACCESS_TOKEN, "Accept": "application/json"}
Call = Callable[[], Awaitable[None]]
Client = Callable[[str, str], Awaitable[tuple[Call, Callable[[], Awaitable[None]]]]]


async def _seed(base: str, lines: int) -> str:
    async with httpx.AsyncClient(base_url=f"{base}/stores/{SANDBOX_STORE_HASH}/v3",
                                 headers=HEADERS) as client:
        items = [{"name": f"Item {i}", "sku": f"ITEM-{i}", "quantity": 1, "list_price": 1.25}
                 for i in range(lines)]
        created = await client.post("/carts", json={"custom_items": items})
        cart_id: str = created.raise_for_status().json()["data"]["id"]
        return cart_id


async def json_transport(base: str, path: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    transport = JsonTransport(vendor="bigcommerce", base_url=base, timeout=10,
                              headers={"X-Auth-Token": SANDBOX_ACCESS_TOKEN})

    async def call() -> None:
        response = await transport.request("GET", path, params=CART_INCLUDES)
        assert response.status_code == 200 and response.content

    return call, transport.aclose


async def httpx_over_aiohttp(base: str, path: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=50)
    client = httpx.AsyncClient(base_url=base, headers=HEADERS, limits=limits,
                               transport=AiohttpTransport(limits=limits))

    async def call() -> None:
        response = await client.get(path, params=CART_INCLUDES)
        assert response.status_code == 200 and response.content

    return call, client.aclose


async def aiohttp_alone(base: str, path: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    session = aiohttp.ClientSession(base_url=base, headers=HEADERS)

    async def call() -> None:
        async with session.get(path, params=CART_INCLUDES) as response:
            assert response.status == 200 and await response.read()

    return call, session.close


async def httpx_default(base: str, path: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    client = httpx.AsyncClient(base_url=base, headers=HEADERS)

    async def call() -> None:
        response = await client.get(path, params=CART_INCLUDES)
        assert response.status_code == 200 and response.content

    return call, client.aclose


CLIENTS: list[tuple[str, Client]] = [
    ("cartgate JsonTransport (httpx API, aiohttp transport)", json_transport),
    ("httpx over httpx-aiohttp, plain", httpx_over_aiohttp),
    ("aiohttp alone", aiohttp_alone),
    ("httpx with its default transport", httpx_default),
]


async def _measure(client: Client, base: str, path: str, requests: int,
                   concurrency: int = 16) -> tuple[float, float]:
    call, close = await client(base, path)
    try:
        for _ in range(50):  # connections open, pools warm
            await call()
        remaining = requests

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                await call()

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        return requests / wall, cpu / requests * 1e6
    finally:
        await close()


async def _run(base: str, lines: int, requests: int) -> None:
    cart_id = await _seed(base, lines)
    path = f"/stores/{SANDBOX_STORE_HASH}/v3/carts/{cart_id}"
    results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in CLIENTS}
    for _ in range(2):
        for name, client in CLIENTS:
            results[name].append(await _measure(client, base, path, requests))
    print(f"GET cart, {lines} lines, {requests} requests per measurement, 16 concurrent\n")
    print(f"{'client':<56} {'req/s':>14} {'CPU us/request':>16}")
    for name, runs in results.items():
        rates = " / ".join(f"{rate:,.0f}" for rate, _ in runs)
        cpus = " / ".join(f"{cpu:,.0f}" for _, cpu in runs)
        print(f"{name:<56} {rates:>14} {cpus:>16}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as logs, Children(Path(logs)) as children:
        sandbox = children.start("sandbox", [
            str(Path(sys.executable).parent / "uvicorn"),
            "sandboxes.bigcommerce:create_sandbox_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
            "--log-level", "warning"], cwd=ROOT)
        children.wait_ready("sandbox", sandbox, f"{base}/healthz")
        uvloop.run(_run(base, args.lines, args.requests))


if __name__ == "__main__":
    main()
