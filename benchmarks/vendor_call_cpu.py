"""The gateway's CPU per vendor call over the real wire, three ways, in one process.

``python -m benchmarks.vendor_call_cpu [--calls 400] [--rounds 8]`` starts the BigCommerce
sandbox as its own process, makes a 1-line cart, and reads it through ``JsonTransport``
(adapters/http.py, 8 at a time) three ways, the rounds taking turns so that the machine's
load falls on each alike:

- ``gateway``: as the gateway sends (the request straight to ``BoundedAiohttp``);
- ``wrapped wire``: the generic ``BoundedAnswers`` over httpx-aiohttp's transport, with
  its timeouts per phase, as every vendor call went before;
- ``httpx client``: the same, through ``httpx.AsyncClient.request``.

It prints CPU milliseconds per call (this process only; the sandbox's are not counted).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from adapters.bounded_answers import BoundedAnswers
from adapters.http import VENDOR_LIMITS, JsonTransport
from benchmarks.processes import Children, free_port
from benchmarks.run import ROOT, SANDBOX_APPS, _uvicorn
from benchmarks.targets import BIGCOMMERCE_INCLUDE, BIGCOMMERCE_TOKEN

CONCURRENCY = 8


class _CookielessAiohttp(AiohttpTransport):
    def get_client(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(keepalive_timeout=VENDOR_LIMITS.keepalive_expiry,
                                         limit=VENDOR_LIMITS.max_connections or 100)
        return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())


def _wires(url: str) -> dict[str, JsonTransport]:
    def wire(transport: httpx.AsyncBaseTransport | None = None) -> JsonTransport:
        return JsonTransport(vendor="BigCommerce", base_url=url, timeout=10,
                             headers=BIGCOMMERCE_TOKEN, transport=transport)

    wrapped = wire(BoundedAnswers(_CookielessAiohttp(limits=VENDOR_LIMITS)))
    wrapped._extensions = {"timeout": httpx.Timeout(10).as_dict()}
    client = wire(BoundedAnswers(_CookielessAiohttp(limits=VENDOR_LIMITS)))
    inner = client._client

    async def through_client(method: str, target: httpx.URL, content: bytes | None,
                             headers: dict[str, str]) -> httpx.Response:
        return await inner.request(method, target, content=content, headers=headers)

    client._exchange = through_client  # type: ignore[method-assign, assignment]
    return {"gateway": wire(), "wrapped wire": wrapped, "httpx client": client}


async def _measure(url: str, cart_id: str, calls: int, rounds: int) -> None:
    params = dict(pair.split("=", 1) for pair in BIGCOMMERCE_INCLUDE.split("&"))
    path = f"/stores/sandbox/v3/carts/{cart_id}"
    wires = _wires(url)

    async def run(wire: JsonTransport, count: int) -> None:
        async def worker() -> None:
            for _ in range(count // CONCURRENCY):
                answer = await wire.request("GET", path, params=params)
                if answer.status_code != 200:
                    raise RuntimeError(f"{answer.status_code} {answer.text[:200]}")

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))

    figures: dict[str, list[float]] = {name: [] for name in wires}
    for wire in wires.values():
        await run(wire, 80)  # connections open, caches warm
    for _ in range(rounds):
        for name, wire in wires.items():
            cpu = time.process_time()
            await run(wire, calls)
            figures[name].append((time.process_time() - cpu) * 1000 / calls)
    for wire in wires.values():
        await wire.aclose()
    for name, values in figures.items():
        print(f"{name:14s} {min(values):.3f} ms CPU/call (least of {rounds} rounds of "
              f"{calls}; median {statistics.median(values):.3f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.vendor_call_cpu",
                                     description=__doc__)
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cartgate-wire-") as logs, \
            Children(Path(logs)) as children:
        port = free_port()
        child = children.start("sandbox", _uvicorn(SANDBOX_APPS["bigcommerce"], port), cwd=ROOT)
        url = f"http://127.0.0.1:{port}"
        children.wait_ready("sandbox", child, f"{url}/healthz")
        created = httpx.post(f"{url}/stores/sandbox/v3/carts", headers=BIGCOMMERCE_TOKEN,
                             json={"line_items": [{"product_id": 111, "quantity": 1}]})
        cart_id = created.raise_for_status().json()["data"]["id"]
        asyncio.run(_measure(url, cart_id, args.calls, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
