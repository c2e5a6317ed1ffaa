"""`make bench`: cartgate against its vendors' REST APIs and against Hive Gateway.

Starts both sandboxes, the gateway and Hive Gateway as separate processes on loopback,
seeds carts through the gateway's GraphQL API, drives every target with wrk, and prints
one table (aligned text, then the same as Markdown): per row req/s, latency, the CPU each
process spent per request, and for cartgate the req/s ceiling the others' CPU allows.
Then the latency of a storefront session at a real vendor's round-trip time
(``benchmarks/latency.py``, its own servers).
Every child is stopped on exit, on an error and on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NoReturn

import httpx

from benchmarks import carts, latency, targets
from benchmarks.load import WRK, LoadResult, LoadSettings, Target, check, ensure_wrk, measure
from benchmarks.processes import (
    Children,
    free_port,
    machine_busy_seconds,
    own_cpu_seconds,
    peak_rss_mb,
)
from benchmarks.report import (
    GATEWAY,
    HIVE,
    SANDBOX,
    Goal,
    Machine,
    Report,
    Row,
    floor_row,
    gateway_row,
    markdown,
    ratio,
    text,
)

ROOT = Path(__file__).resolve().parent.parent
HIVE_DIR = ROOT / "benchmarks" / "hive"
BIN = Path(sys.executable).parent
SIZES = (1, 10, 100)
VENDORS = {"bigcommerce": "BigCommerce", "elasticpath": "Elastic Path"}
SANDBOX_APPS = {
    "bigcommerce": "sandboxes.bigcommerce:create_sandbox_app",
    "elasticpath": "sandboxes.elasticpath:create_sandbox_app",
}
RSS_GOAL_MB = 150


def _uvicorn(app: str, port: int) -> list[str]:
    # No access log: neither Hive Gateway nor a production deployment logs every request.
    return [str(BIN / "uvicorn"), app, "--factory", "--host", "127.0.0.1", "--port", str(port),
            "--no-access-log", "--log-level", "warning"]


def _npm_ci() -> None:
    """Installs Hive Gateway from the committed lock when node_modules is missing or stale."""
    installed = HIVE_DIR / "node_modules" / ".package-lock.json"
    lock = HIVE_DIR / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    print("installing Hive Gateway (npm ci)", file=sys.stderr, flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=HIVE_DIR, check=True, stdout=sys.stderr)


def _hive_version() -> str:
    package = HIVE_DIR / "node_modules" / "@graphql-hive" / "gateway" / "package.json"
    version: str = json.loads(package.read_text())["version"]
    return version


class Bench:
    """One run: the servers, the seeded carts, and every measured row."""

    def __init__(self, children: Children, settings: LoadSettings, wrk: str) -> None:
        self.children = children
        self.settings = settings
        self.wrk = wrk
        self.sandbox: dict[str, str] = {}
        self.gateway = ""
        self.hive = ""
        self.pids: dict[str, int] = {}
        self.server_token = secrets.token_urlsafe(32)

    def start_servers(self) -> None:
        for vendor, app in SANDBOX_APPS.items():
            port = free_port()
            child = self.children.start(f"sandbox-{vendor}", _uvicorn(app, port), cwd=ROOT)
            self.sandbox[vendor] = f"http://127.0.0.1:{port}"
            self.pids[f"sandbox-{vendor}"] = child.pid
            self.children.wait_ready(f"sandbox-{vendor}", child, f"{self.sandbox[vendor]}/healthz")

        port = free_port()
        env = {"CARTGATE_BIGCOMMERCE_SANDBOX_URL": self.sandbox["bigcommerce"],
               "CARTGATE_ELASTICPATH_SANDBOX_URL": self.sandbox["elasticpath"],
               "CARTGATE_ENV": "production",
               # The load comes from one address at far more than a storefront's rate:
               # measure the gateway, not its per-caller limits.
               "CARTGATE_STOREFRONT_CALLS_PER_SECOND": "0",
               "CARTGATE_CART_CALLS_PER_SECOND": "0",
               # Seeding uses custom lines, which only a trusted server caller may add.
               "CARTGATE_SERVER_TOKENS": self.server_token}
        child = self.children.start(
            "gateway", _uvicorn("gateway.app:create_app_from_env", port), env=env, cwd=ROOT)
        self.gateway = f"http://127.0.0.1:{port}"
        self.children.wait_ready("gateway", child, f"{self.gateway}/healthz")
        self.pids["gateway"] = child.pid

        supergraph = HIVE_DIR / "supergraph.graphql"
        subprocess.run(
            [str(HIVE_DIR / "node_modules" / ".bin" / "mesh-compose"), "-o", supergraph.name],
            cwd=HIVE_DIR, check=True, stdout=subprocess.DEVNULL,
            env={**os.environ, "BIGCOMMERCE_SANDBOX_URL": self.sandbox["bigcommerce"]})
        port = free_port()
        child = self.children.start(
            "hive", [str(HIVE_DIR / "node_modules" / ".bin" / "hive-gateway"), "supergraph",
                     supergraph.name, "--host", "127.0.0.1", "--port", str(port), "--fork", "1"],
            env={"NODE_ENV": "production"}, cwd=HIVE_DIR)
        self.hive = f"http://127.0.0.1:{port}"
        self.children.wait_ready("hive", child, f"{self.hive}/readiness")
        self.pids["hive"] = child.pid

    @property
    def machine(self) -> Machine:
        # One uvicorn process runs one Python thread at a time; wrk one loop per thread.
        return Machine(cores=len(os.sched_getaffinity(0)),
                       core_limits={SANDBOX: 1, WRK: self.settings.threads})

    def run(self, label: str, target: Target, vendor: str) -> LoadResult:
        """One row under wrk, with the CPU of wrk, ``vendor``'s sandbox, cartgate and Hive."""
        check(target)
        servers = {SANDBOX: self.pids[f"sandbox-{vendor}"], GATEWAY: self.pids["gateway"],
                   HIVE: self.pids["hive"]}
        result = measure(self.wrk, target, self.settings, servers)
        cpu = ", ".join(f"{name} {(result.cpu_per_request(name) or 0) * 1000:.2f}"
                        for name in (WRK, *servers))
        print(f"  {label}: {result.requests_per_s:,.0f} req/s, p50 {result.p50_ms:.1f} ms, "
              f"p99 {result.p99_ms:.1f} ms, {result.failures} failed; CPU ms/request: {cpu}",
              file=sys.stderr, flush=True)
        if result.first_failure:
            print(f"    first failed answer: {result.first_failure}", file=sys.stderr)
        return result

    def direct_read(self, vendor: str, cart: carts.SeededCart) -> Target:
        if vendor == "bigcommerce":
            return targets.bigcommerce_cart(self.sandbox[vendor], cart.vendor_id)
        token = targets.elasticpath_token(self.sandbox[vendor])
        return targets.elasticpath_items(self.sandbox[vendor], cart.vendor_id, token)

    def direct_write(self, vendor: str, cart: carts.SeededCart) -> Target:
        if vendor == "bigcommerce":
            return targets.bigcommerce_add_item(self.sandbox[vendor], cart.vendor_id)
        token = targets.elasticpath_token(self.sandbox[vendor])
        return targets.elasticpath_add_item(self.sandbox[vendor], cart.vendor_id, token,
                                            carts.CATALOG_SKUS[0])

    def measure_all(self) -> list[Row]:
        with httpx.Client(base_url=self.gateway, timeout=60, headers={
                "authorization": f"Bearer {self.server_token}"}) as client:
            served = carts.available_backends(client)
            seeded = {(vendor, size): carts.create_cart(client, vendor, size)
                      for vendor in VENDORS if vendor in served for size in SIZES}
            writes = {vendor: (carts.create_cart(client, vendor, 10),
                               carts.create_cart(client, vendor, 10))
                      for vendor in VENDORS if vendor in served}

        rows: list[Row] = []
        for size in SIZES:
            lines = f"{size} line" + ("s" if size > 1 else "")
            hive = None
            for vendor, name in VENDORS.items():
                cart = seeded.get((vendor, size))
                direct = self.run(f"{name} REST, {lines}",
                                  self.direct_read(vendor, cart), vendor) if cart else None
                # On BigCommerce the row set beside Hive Gateway selects what Hive's query
                # selects (no attributes or note: they cost a second vendor request there).
                query = targets.HIVE_CART_QUERY if vendor == "bigcommerce" else targets.CART_QUERY
                ours = self.run(f"cartgate cart(id) {name}, {lines}",
                                targets.gateway_cart(self.gateway, cart.gid, query), vendor
                                ) if cart else None
                if vendor == "bigcommerce" and cart:
                    hive = self.run(f"Hive getCart, {lines}",
                                    targets.hive_cart(self.hive, cart.vendor_id), vendor)
                rows.append(floor_row(f"{name} REST GET cart, {lines} (floor)", direct,
                                      self.machine))
                rows.append(gateway_row(f"cartgate cart(id) on {name}, {lines}", ours, direct,
                                        self.machine,
                                        hive=hive if vendor == "bigcommerce" else None))
                if vendor == "bigcommerce":
                    rows.append(Row(f"Hive Gateway getCart on {name}, {lines}", hive,
                                    vs_direct=ratio(hive, direct)))
                if vendor == "bigcommerce" and size == 10 and cart:
                    full = self.run(f"cartgate cart(id) with attributes, note {name}, {lines}",
                                    targets.gateway_cart(self.gateway, cart.gid), vendor)
                    rows.append(gateway_row(
                        f"cartgate cart(id) + attributes, note on {name}, {lines}", full,
                        direct, self.machine))

        for vendor, name in VENDORS.items():
            pair = writes.get(vendor)
            direct = self.run(f"{name} REST add item",
                              self.direct_write(vendor, pair[0]), vendor) if pair else None
            # The payload's cart as the vendor's own answer holds it: on BigCommerce
            # without attributes and note (metafields, a second request there).
            mutation = (targets.LINES_ADD_WITHOUT_ATTRIBUTES if vendor == "bigcommerce"
                        else targets.LINES_ADD)
            ours = self.run(
                f"cartgate cartLinesAdd {name}",
                targets.gateway_lines_add(self.gateway, pair[1].gid, carts.CATALOG_SKUS[0],
                                          mutation),
                vendor,
            ) if pair else None
            rows.append(floor_row(f"{name} REST POST cart item, 10 lines (floor)", direct,
                                  self.machine))
            rows.append(gateway_row(f"cartgate cartLinesAdd on {name}, 10 lines", ours, direct,
                                    self.machine))
            if vendor == "bigcommerce" and pair:
                full = self.run(f"cartgate cartLinesAdd with attributes, note {name}",
                                targets.gateway_lines_add(self.gateway, pair[1].gid,
                                                          carts.CATALOG_SKUS[0]), vendor)
                rows.append(gateway_row(
                    f"cartgate cartLinesAdd + attributes, note on {name}, 10 l.", full, direct,
                    self.machine))
        return rows


def _reach(row: Row) -> str:
    """What the row's CPU ceiling says of a goal over direct REST: reachable here at all?"""
    if row.ceiling_vs_direct is None:
        return ""
    return f" (with no gateway CPU: {row.ceiling_vs_direct:.2f}x of direct's ceiling)"


def _goals(rows: list[Row], rss_mb: float | None) -> list[Goal]:
    by_name = {row.scenario: row for row in rows}
    ten = by_name["cartgate cart(id) on BigCommerce, 10 lines"]
    hundred = by_name["cartgate cart(id) on BigCommerce, 100 lines"]
    goals = [
        Goal("cart(id), 10 lines, BigCommerce: at least 2x Hive Gateway's req/s",
             None if ten.vs_hive is None else ten.vs_hive >= 2),
        Goal("cart(id), 100 lines, BigCommerce: at least Hive Gateway's req/s",
             None if hundred.vs_hive is None else hundred.vs_hive >= 1),
    ]
    for name in VENDORS.values():
        row = by_name[f"cartgate cart(id) on {name}, 10 lines"]
        goals.append(Goal(f"cart(id), 10 lines, {name}: at least 30% of direct REST req/s"
                          f"{_reach(row)}",
                          None if row.vs_direct is None else row.vs_direct >= 0.3))
        add = by_name[f"cartgate cartLinesAdd on {name}, 10 lines"]
        goals.append(Goal(f"cartLinesAdd, 10 lines, {name}: at least 50% of direct REST req/s"
                          f"{_reach(add)}",
                          None if add.vs_direct is None else add.vs_direct >= 0.5))
    goals.append(Goal(f"gateway peak RSS at most {RSS_GOAL_MB} MB",
                      None if rss_mb is None else rss_mb <= RSS_GOAL_MB))
    return goals


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} MB"


def _notes(settings: LoadSettings, machine: Machine, hive_version: str,
           foreign_share: float) -> list[str]:
    return [
        f"Other processes used {max(0.0, foreign_share):.0%} of the machine's CPU during "
        "this run" + (" (expect lower figures)." if foreign_share > 0.05 else "."),
        f"wrk: {settings.threads} thread(s), {settings.connections} connections, "
        f"{settings.duration_s} s measured after a {settings.warmup_s} s warm-up per row; "
        f"wrk, both sandboxes, cartgate and Hive Gateway share this machine's "
        f"{os.cpu_count()} cores, so compare figures within one run only.",
        "vs direct: req/s over the same vendor's REST call for the same cart (BigCommerce "
        "GET /carts/{id} with the adapter's include; Elastic Path GET /v2/carts/{id}/items; "
        "for cartLinesAdd the REST POST of one item). ours/Hive: cartgate's req/s over "
        "Hive Gateway's on the same BigCommerce cart.",
        "Selections: cartgate cart(id) on BigCommerce selects the whole cart except "
        "attributes and note, as Hive Gateway's getCart selects the cart without its "
        "metafields (one vendor request each); '+ attributes, note' selects everything "
        "(tests/support.py CART_FIELDS), which on BigCommerce adds a concurrent "
        "GET /carts/{id}/metafields. cartLinesAdd on BigCommerce answers the same cart "
        "(without attributes and note), as BigCommerce's POST answers the cart without its "
        "metafields; its '+ attributes, note' row selects everything. Elastic Path rows "
        "select everything (attributes are part of its cart answer).",
        "failed: non-2xx answers, socket errors, and answers without the expected cart "
        "(GraphQL errors count).",
        "CPU ms: user plus system CPU per completed request in the measured run: wrk's from "
        "getrusage(RUSAGE_CHILDREN) around it (wrk is the only child reaped then), the row's "
        "vendor sandbox, cartgate and Hive Gateway from /proc (each server's process group) "
        "read before and after it; a server the row does not use shows its idle CPU. "
        "These move little under other load; req/s do not.",
        f"ceiling: the req/s the row's measured CPU would allow if cartgate's were zero: "
        f"everything else's CPU per request fits in the {machine.cores} cores, the sandbox's "
        f"in one (one Python thread at a time), wrk's in its {settings.threads} thread(s). "
        "An estimate: it keeps the CPU per request each process showed at the measured "
        "rate, and leaves out the idle other sandbox and kernel work charged to no process. "
        "A direct REST row has no gateway in its path: its ceiling is its own CPU bound, "
        "which its req/s should come close to on a quiet machine (a check of the estimate). "
        "ceiling/direct: a cartgate row's ceiling over its direct row's ceiling, both from "
        "CPU alone, so it holds under other load; on a quiet machine it is about the "
        "ceiling over the direct row's req/s.",
        f"cartgate: one uvicorn worker, Python {platform.python_version()}. "
        f"Hive Gateway {hive_version}: one process (--fork 1), Node {_node_version()}, "
        "supergraph composed with @graphql-mesh/compose-cli and @omnigraph/openapi from the "
        "BigCommerce Carts v3 spec. Peak RSS is VmHWM from /proc.",
    ]


def _node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True,
                          check=True).stdout.strip()


def _exit_on_sigterm(signum: int, frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per row")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per row")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rtt-ms", type=float, default=100.0,
                        help="vendor round-trip time of the latency part")
    parser.add_argument("--latency-sessions", type=int, default=20,
                        help="measured storefront sessions per path in the latency part")
    args = parser.parse_args(argv)
    settings = LoadSettings(duration_s=args.duration, warmup_s=args.warmup,
                            threads=args.threads, connections=args.connections)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)

    wrk = ensure_wrk()
    _npm_ci()
    with tempfile.TemporaryDirectory(prefix="cartgate-bench-") as logs, \
            Children(Path(logs)) as children:
        started, busy, own = time.monotonic(), machine_busy_seconds(), own_cpu_seconds(children)
        bench = Bench(children, settings, wrk)
        bench.start_servers()
        rows = bench.measure_all()
        gateway_rss = peak_rss_mb(bench.pids["gateway"])
        hive_rss = peak_rss_mb(bench.pids["hive"])
        # Others' work on the machine during the run (a test suite, a build) lowers figures.
        foreign = (machine_busy_seconds() - busy) - (own_cpu_seconds(children) - own)
        foreign_share = foreign / ((time.monotonic() - started) * (os.cpu_count() or 1))

    memory = [("cartgate peak RSS", _mb(gateway_rss)), ("Hive Gateway peak RSS", _mb(hive_rss))]
    if gateway_rss and hive_rss:
        memory.append(("ours/Hive RSS", f"{gateway_rss / hive_rss:.2f}x"))
    report = Report(rows=rows, memory=memory, goals=_goals(rows, gateway_rss),
                    notes=_notes(settings, bench.machine, _hive_version(), foreign_share))
    print()
    print(text(report))
    print("\n--- Markdown (for benchmarks/RESULTS.md) ---\n")
    print(markdown(report))
    return latency.main(["--rtt-ms", str(args.rtt_ms),
                         "--sessions", str(args.latency_sessions)])


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: every server was stopped", file=sys.stderr)
        raise SystemExit(130) from None
