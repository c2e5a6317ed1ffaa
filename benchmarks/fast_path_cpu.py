"""The gateway's CPU per request with the fast path on and off (``CARTGATE_FAST_PATH``).

``python -m benchmarks.fast_path_cpu [--requests 300] [--rounds 3] [--lines 10 100]``
starts both sandboxes as their own processes (their CPU is not counted), builds one
gateway app in this process per setting, and sends each request straight into the ASGI
app, one at a time: a `cart(id)` of an N-line cart, and a `cartLinesAdd` of one more of a
SKU the cart holds. It prints this process's CPU milliseconds per request, the least of
``--rounds`` rounds, and the ratio off/on.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks import carts
from benchmarks.processes import Children, free_port
from benchmarks.run import ROOT, SANDBOX_APPS, _uvicorn
from benchmarks.targets import CART_QUERY, LINES_ADD
from gateway.app import create_app
from gateway.settings import Settings

Send = Callable[[], Awaitable[None]]
# A trusted server caller, as in `make bench`: the seeded carts carry custom lines.
TOKEN = secrets.token_urlsafe(32)


def _settings(sandboxes: dict[str, str], fast_path: bool) -> Settings:
    return Settings(
        _env_file=None,
        bigcommerce_sandbox_url=sandboxes["bigcommerce"],
        elasticpath_sandbox_url=sandboxes["elasticpath"],
        env="production", storefront_calls_per_second=0, cart_calls_per_second=0,
        server_tokens=TOKEN, fast_path=fast_path,
    )


async def _cpu_ms(send: Send, requests: int, rounds: int) -> float:
    """The least CPU milliseconds per request over ``rounds`` rounds."""
    await send()  # the first run of a document compiles it
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(requests):
            await send()
        best = min(best, (time.process_time() - started) * 1000 / requests)
    return best


def _sender(http: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Send:
    body = {"query": query, "variables": variables}

    async def send() -> None:
        response = await http.post("/graphql", json=body)
        if response.status_code != 200 or b'"errors"' in response.content:
            raise RuntimeError(f"{response.status_code} {response.content[:300]!r}")

    return send


async def _measure(sandboxes: dict[str, str], fast_path: bool,
                   args: argparse.Namespace) -> dict[str, float]:
    app = create_app(_settings(sandboxes, fast_path))
    figures: dict[str, float] = {}
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway",
            headers={"authorization": f"Bearer {TOKEN}"}) as http:
        for vendor in ("bigcommerce", "elasticpath"):
            for lines in args.lines:
                created = await http.post("/graphql", json={
                    "query": carts._CREATE, "variables": {
                        "input": carts.cart_input(vendor, lines)}})
                gid = created.json()["data"]["cartCreate"]["cart"]["id"]
                read = _sender(http, CART_QUERY, {"id": gid})
                figures[f"{vendor} cart(id), {lines} lines"] = await _cpu_ms(
                    read, args.requests, args.rounds)
            add = _sender(http, LINES_ADD, {"id": gid, "lines": [
                {"sku": carts.CATALOG_SKUS[0], "quantity": 1}]})
            figures[f"{vendor} cartLinesAdd, {args.lines[-1]} lines"] = await _cpu_ms(
                add, max(1, args.requests // 5), args.rounds)
    return figures


async def _main(args: argparse.Namespace) -> None:
    logging.disable(logging.WARNING)  # a refused request would print; none is expected
    with tempfile.TemporaryDirectory() as logs, Children(Path(logs)) as children:
        sandboxes = {}
        for vendor, sandbox_app in SANDBOX_APPS.items():
            port = free_port()
            child = children.start(f"sandbox-{vendor}", _uvicorn(sandbox_app, port), cwd=ROOT)
            sandboxes[vendor] = f"http://127.0.0.1:{port}"
            children.wait_ready(f"sandbox-{vendor}", child, f"{sandboxes[vendor]}/healthz")
        on = await _measure(sandboxes, True, args)
        off = await _measure(sandboxes, False, args)
    width = max(len(name) for name in on)
    print(f"{'CPU ms per request':<{width}}  {'on':>7}  {'off':>7}  off/on")
    for name, cpu in on.items():
        print(f"{name:<{width}}  {cpu:7.2f}  {off[name]:7.2f}  {off[name] / cpu:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lines", type=int, nargs="+", default=[10, 100])
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
