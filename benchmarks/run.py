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
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import httpx

from benchmarks import carts, latency, targets, verdicts
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
        self.passthrough: dict[str, str] = {}
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
        self._start_passthroughs()

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

    def _start_passthroughs(self) -> None:
        """A do-nothing proxy per vendor (benchmarks/passthrough.py), making the one vendor
        call cartgate makes for an add.
        """
        for vendor in SANDBOX_APPS:
            port = free_port()
            env = {"PASSTHROUGH_UPSTREAM": self.sandbox[vendor]}
            child = self.children.start(
                f"passthrough-{vendor}", _uvicorn("benchmarks.passthrough:create_app", port),
                env=env, cwd=ROOT)
            self.passthrough[vendor] = f"http://127.0.0.1:{port}"
            # The proxy forwards /healthz too: ready when the sandbox answers through it.
            self.children.wait_ready(f"passthrough-{vendor}", child,
                                     f"{self.passthrough[vendor]}/healthz")
            self.pids[f"passthrough-{vendor}"] = child.pid

    def through_passthrough(self, vendor: str, direct: Target) -> Target:
        """The direct REST target, sent through the vendor's do-nothing proxy instead."""
        return replace(direct, url=direct.url.replace(self.sandbox[vendor],
                                                      self.passthrough[vendor], 1))

    @property
    def machine(self) -> Machine:
        # One uvicorn process runs one Python thread at a time; wrk one loop per thread.
        return Machine(cores=len(os.sched_getaffinity(0)),
                       core_limits={SANDBOX: 1, WRK: self.settings.threads})

    def run(self, label: str, target: Target, vendor: str, *,
            gateway: str = "gateway") -> LoadResult:
        """One row under wrk, with the CPU of wrk, ``vendor``'s sandbox, the gateway in the
        row's path (cartgate, or the pass-through proxy) and Hive.
        """
        check(target)
        servers = {SANDBOX: self.pids[f"sandbox-{vendor}"], GATEWAY: self.pids[gateway],
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

    def direct_write(self, vendor: str, cart: carts.SeededCart,
                     token: str | None = None) -> Target:
        if vendor == "bigcommerce":
            return targets.bigcommerce_add_item(self.sandbox[vendor], cart.vendor_id)
        token = token or targets.elasticpath_token(self.sandbox[vendor])
        return targets.elasticpath_add_item(self.sandbox[vendor], cart.vendor_id, token,
                                            carts.CATALOG_SKUS[0])

    def measure_all(self) -> list[Row]:
        with httpx.Client(base_url=self.gateway, timeout=60, headers={
                "authorization": f"Bearer {self.server_token}"}) as client:
            served = carts.available_backends(client)
            seeded = {(vendor, size): carts.create_cart(client, vendor, size)
                      for vendor in VENDORS if vendor in served for size in SIZES}
            writes, many = self._seed_writes(client, served)

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
                if size == 10 and cart:
                    rows.append(self._passthrough_row(
                        vendor, f"pass-through proxy GET cart on {name}, {lines}",
                        self.direct_read(vendor, cart), direct))
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
            if pair:
                rows.append(self._passthrough_row(
                    vendor, f"pass-through proxy POST cart item on {name}, 10 lines",
                    self.direct_write(vendor, pair[0]), direct))
            rows.append(gateway_row(f"cartgate cartLinesAdd on {name}, 10 lines", ours, direct,
                                    self.machine))
            if vendor == "bigcommerce" and pair:
                full = self.run(f"cartgate cartLinesAdd with attributes, note {name}",
                                targets.gateway_lines_add(self.gateway, pair[1].gid,
                                                          carts.CATALOG_SKUS[0]), vendor)
                rows.append(gateway_row(
                    f"cartgate cartLinesAdd + attributes, note on {name}, 10 l.", full, direct,
                    self.machine))
            rows += self._many_carts_rows(vendor, name, many.get(vendor), mutation)
        return rows

    @staticmethod
    def _seed_writes(client: httpx.Client, served: set[str]) -> tuple[
            dict[str, tuple[carts.SeededCart, carts.SeededCart]],
            dict[str, tuple[list[carts.SeededCart], list[carts.SeededCart]]]]:
        """By vendor, a 10-line cart for direct adds and one for cartgate's; and as many
        carts of each as an add row spreads its load over.
        """
        vendors = [vendor for vendor in VENDORS if vendor in served]
        writes = {vendor: (carts.create_cart(client, vendor, 10),
                           carts.create_cart(client, vendor, 10)) for vendor in vendors}
        many = {vendor: (carts.create_carts(client, vendor, 10, carts.MANY_CARTS),
                         carts.create_carts(client, vendor, 10, carts.MANY_CARTS))
                for vendor in vendors}
        return writes, many

    def _many_carts_rows(
        self, vendor: str, name: str,
        seeded: tuple[list[carts.SeededCart], list[carts.SeededCart]] | None, mutation: str,
    ) -> list[Row]:
        """Adds spread over MANY_CARTS carts, each request to the next cart: the load of
        many shoppers, where the rows above put every add on one cart.
        """
        if seeded is None:
            return []
        direct_carts, gateway_carts = seeded
        carts_of = f"{carts.MANY_CARTS} carts of 10 lines"
        expect = '"data":{"id":"' if vendor == "bigcommerce" else '{"data":['
        # One token for every cart: the requests differ only in their path and body.
        token = targets.elasticpath_token(self.sandbox[vendor]) if vendor != "bigcommerce" \
            else None
        direct = self.run(f"{name} REST add item, {carts_of}", targets.in_turn(
            [self.direct_write(vendor, cart, token) for cart in direct_carts], expect), vendor)
        ours = self.run(f"cartgate cartLinesAdd {name}, {carts_of}", targets.in_turn(
            [targets.gateway_lines_add(self.gateway, cart.gid, carts.CATALOG_SKUS[0], mutation)
             for cart in gateway_carts], '"userErrors":[]'), vendor)
        return [floor_row(f"{name} REST POST cart item, {carts_of} (floor)", direct,
                          self.machine),
                gateway_row(f"cartgate cartLinesAdd on {name}, {carts_of}", ours, direct,
                            self.machine)]


    def _passthrough_row(self, vendor: str, scenario: str, direct_target: Target,
                         direct: LoadResult | None) -> Row:
        proxied = self.through_passthrough(vendor, direct_target)
        result = self.run(scenario, proxied, vendor, gateway=f"passthrough-{vendor}")
        return gateway_row(scenario, result, direct, self.machine)


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

    memory = [("cartgate peak RSS", verdicts.megabytes(gateway_rss)),
              ("Hive Gateway peak RSS", verdicts.megabytes(hive_rss))]
    if gateway_rss and hive_rss:
        memory.append(("ours/Hive RSS", f"{gateway_rss / hive_rss:.2f}x"))
    report = Report(rows=rows, memory=memory,
                    goals=verdicts.goals(rows, gateway_rss, VENDORS.values()),
                    notes=verdicts.notes(settings, bench.machine, _hive_version(),
                                         foreign_share))
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
