"""What a shopper waits for: one storefront session per vendor at a real vendor's RTT.

``python -m benchmarks.latency [--rtt-ms 100] [--sessions 20]`` starts both vendor
sandboxes behind a delay (``benchmarks/delayed_vendor.py``: every request answered
after the RTT) and cartgate in front of them, each its own process on loopback. The
session (``benchmarks/sessions.py``) runs through cartgate and, as the floor, through
each vendor's REST API directly with the fewest calls, after one warm-up session of each
(the SKUs seen once, connections and tokens held). Per operation it prints the vendor
calls (counted by the delayed sandbox), p50 and p99 latency, and cartgate/direct.
Sessions run one after another, so the time is bounded: about sessions x 4 s at 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.delayed_vendor import CALLS_PATH, RTT_VARIABLE
from benchmarks.processes import Children, free_port
from benchmarks.sessions import (
    OPERATIONS,
    BigCommerceSession,
    ElasticPathSession,
    GatewaySession,
    Step,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VENDORS = {"bigcommerce": ("BigCommerce", "BIGCOMMERCE"),
           "elasticpath": ("Elastic Path", "ELASTIC_PATH")}


@dataclass
class Timings:
    """One operation of one path (cartgate or direct): seconds and vendor calls per run."""

    seconds: list[float] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)] * 1000

    def call_count(self) -> str:
        low, high = min(self.calls), max(self.calls)
        return str(low) if low == high else f"{low}-{high}"


def _uvicorn(app: str, port: int) -> list[str]:
    return [str(BIN / "uvicorn"), app, "--factory", "--host", "127.0.0.1", "--port", str(port),
            "--no-access-log", "--log-level", "warning"]


def start_servers(children: Children, rtt_ms: float, *, server_token: str | None = None,
                  ) -> tuple[dict[str, str], str]:
    """The delayed sandboxes and cartgate in front of them; their URLs. The session is a
    storefront caller's; ``server_token`` also lets a trusted caller in (for seeding).
    """
    sandboxes: dict[str, str] = {}
    for vendor in VENDORS:
        port = free_port()
        child = children.start(f"delayed-{vendor}",
                               _uvicorn(f"benchmarks.delayed_vendor:{vendor}", port),
                               env={RTT_VARIABLE: str(rtt_ms)}, cwd=ROOT)
        sandboxes[vendor] = f"http://127.0.0.1:{port}"
        children.wait_ready(f"delayed-{vendor}", child, f"{sandboxes[vendor]}/healthz")
    port = free_port()
    env = {"CARTGATE_BIGCOMMERCE_SANDBOX_URL": sandboxes["bigcommerce"],
           "CARTGATE_ELASTICPATH_SANDBOX_URL": sandboxes["elasticpath"],
           "CARTGATE_ENV": "production", "CARTGATE_LOG_LEVEL": "WARNING",
           # One address sends every session: measure the gateway, not its per-caller limits.
           "CARTGATE_STOREFRONT_CALLS_PER_SECOND": "0", "CARTGATE_CART_CALLS_PER_SECOND": "0"}
    if server_token is not None:
        env["CARTGATE_SERVER_TOKENS"] = server_token
    child = children.start("gateway", _uvicorn("gateway.app:create_app_from_env", port),
                           env=env, cwd=ROOT)
    gateway = f"http://127.0.0.1:{port}"
    children.wait_ready("gateway", child, f"{gateway}/healthz")
    return sandboxes, gateway


async def _calls(counter: httpx.AsyncClient) -> int:
    calls: int = (await counter.get(CALLS_PATH)).json()["calls"]
    return calls


async def run_session(steps: dict[str, Step], counter: httpx.AsyncClient,
                      into: dict[str, Timings] | None) -> None:
    ids: dict[str, Any] = {}
    for name in OPERATIONS:
        before = await _calls(counter)
        started = time.perf_counter()
        await steps[name](ids)
        elapsed = time.perf_counter() - started
        if into is not None:
            into[name].seconds.append(elapsed)
            into[name].calls.append(await _calls(counter) - before)


async def measure(sandboxes: dict[str, str], gateway: str, sessions: int,
                  deadline: float) -> tuple[dict[tuple[str, str], dict[str, Timings]], int]:
    """Timings by (vendor, "cartgate" | "direct"); and how many sessions each ran."""
    results = {(vendor, path): {name: Timings() for name in OPERATIONS}
               for vendor in VENDORS for path in ("cartgate", "direct")}
    ran = 0
    timeout = httpx.Timeout(60)
    async with httpx.AsyncClient(base_url=gateway, timeout=timeout) as graphql:
        paths: list[tuple[str, str, dict[str, Step], httpx.AsyncClient]] = []
        clients = []
        for vendor, (_, backend) in VENDORS.items():
            direct_http = httpx.AsyncClient(base_url=sandboxes[vendor], timeout=timeout)
            counter = httpx.AsyncClient(base_url=sandboxes[vendor], timeout=timeout)
            clients += [direct_http, counter]
            direct = BigCommerceSession(direct_http) if vendor == "bigcommerce" \
                else ElasticPathSession(direct_http)
            await direct.prepare()
            paths.append((vendor, "cartgate", GatewaySession(graphql, backend).steps(), counter))
            paths.append((vendor, "direct", direct.steps(), counter))
        try:
            for _, _, steps, counter in paths:  # warm-up: not measured
                await run_session(steps, counter, None)
            while ran < sessions and time.monotonic() < deadline:
                for vendor, path, steps, counter in paths:
                    await run_session(steps, counter, results[(vendor, path)])
                ran += 1
        finally:
            for client in clients:
                await client.aclose()
    return results, ran


def table(results: dict[tuple[str, str], dict[str, Timings]]) -> list[list[str]]:
    rows = [["vendor", "operation", "vendor calls (cartgate / direct)", "p50 cartgate ms",
             "p50 direct ms", "p50 cartgate/direct", "p99 cartgate ms", "p99 direct ms",
             "p99 cartgate/direct"]]
    for vendor, (name, _) in VENDORS.items():
        ours, floor = results[(vendor, "cartgate")], results[(vendor, "direct")]
        for operation in OPERATIONS:
            a, b = ours[operation], floor[operation]
            if not a.seconds or not b.seconds:
                continue
            rows.append([
                name, operation, f"{a.call_count()} / {b.call_count()}",
                f"{a.percentile(0.5):.0f}", f"{b.percentile(0.5):.0f}",
                f"{a.percentile(0.5) / b.percentile(0.5):.2f}x",
                f"{a.percentile(0.99):.0f}", f"{b.percentile(0.99):.0f}",
                f"{a.percentile(0.99) / b.percentile(0.99):.2f}x",
            ])
    return rows


def aligned(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                        strict=True))
                     for row in rows)


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency", description=__doc__)
    parser.add_argument("--rtt-ms", type=float, default=100.0,
                        help="each vendor request is answered after this long")
    parser.add_argument("--sessions", type=int, default=20, help="measured sessions per path")
    parser.add_argument("--max-seconds", type=float, default=300.0,
                        help="stop starting sessions after this long")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cartgate-latency-") as logs, \
            Children(Path(logs)) as children:
        sandboxes, gateway = start_servers(children, args.rtt_ms)
        results, ran = asyncio.run(measure(sandboxes, gateway, args.sessions,
                                           started + args.max_seconds))
    rows = table(results)
    print(f"\nLatency of one storefront session: vendor RTT {args.rtt_ms:.0f} ms, {ran} "
          f"measured sessions per path after one warm-up, "
          f"{time.monotonic() - started:.0f} s in all\n")
    print(aligned(rows))
    print("\n--- Markdown (for benchmarks/RESULTS.md) ---\n")
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
