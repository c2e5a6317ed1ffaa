"""What `make bench` concludes: its goals, met or not, and the notes under its table."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Iterable

from benchmarks.carts import MANY_CARTS
from benchmarks.load import LoadSettings
from benchmarks.report import Goal, Machine, Row

RSS_GOAL_MB = 150


def _reach(row: Row) -> str:
    """What the row's CPU ceiling says of a goal over direct REST: reachable here at all?"""
    if row.ceiling_vs_direct is None:
        return ""
    return f" (with no gateway CPU: {row.ceiling_vs_direct:.2f}x of direct's ceiling)"


def _passthrough(by_name: dict[str, Row], name: str) -> str:
    """The do-nothing proxy's ratio on the same add: what any gateway on this stack reaches."""
    row = next((row for scenario, row in by_name.items()
                if scenario.startswith("pass-through proxy POST") and name in scenario), None)
    if row is None or row.vs_direct is None:
        return ""
    return f" (a pass-through proxy making the same vendor calls: {row.vs_direct:.2f}x)"


def goals(rows: list[Row], rss_mb: float | None, vendors: Iterable[str]) -> list[Goal]:
    """Each throughput and memory goal of the issue, met or not, with what bounds it."""
    by_name = {row.scenario: row for row in rows}
    ten = by_name["cartgate cart(id) on BigCommerce, 10 lines"]
    hundred = by_name["cartgate cart(id) on BigCommerce, 100 lines"]
    goals = [
        Goal("cart(id), 10 lines, BigCommerce: at least 2x Hive Gateway's req/s",
             None if ten.vs_hive is None else ten.vs_hive >= 2),
        Goal("cart(id), 100 lines, BigCommerce: at least Hive Gateway's req/s",
             None if hundred.vs_hive is None else hundred.vs_hive >= 1),
    ]
    for name in vendors:
        row = by_name[f"cartgate cart(id) on {name}, 10 lines"]
        goals.append(Goal(f"cart(id), 10 lines, {name}: at least 30% of direct REST req/s"
                          f"{_reach(row)}",
                          None if row.vs_direct is None else row.vs_direct >= 0.3))
        add = by_name[f"cartgate cartLinesAdd on {name}, 10 lines"]
        goals.append(Goal(f"cartLinesAdd, 10 lines, {name}: at least 50% of direct REST req/s"
                          f"{_reach(add)}{_passthrough(by_name, name)}",
                          None if add.vs_direct is None else add.vs_direct >= 0.5))
        spread = by_name.get(f"cartgate cartLinesAdd on {name}, {MANY_CARTS} carts of 10 lines")
        if spread is not None:
            goals.append(Goal(
                f"cartLinesAdd over {MANY_CARTS} carts of 10 lines, {name}: at least 50% of "
                f"direct REST req/s over as many carts{_reach(spread)}",
                None if spread.vs_direct is None else spread.vs_direct >= 0.5))
    goals.append(Goal(f"gateway peak RSS at most {RSS_GOAL_MB} MB",
                      None if rss_mb is None else rss_mb <= RSS_GOAL_MB))
    return goals


def megabytes(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} MB"


def notes(settings: LoadSettings, machine: Machine, hive_version: str,
          foreign_share: float) -> list[str]:
    """What the table's columns and rows mean, and how this run was made."""
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
        "pass-through proxy: benchmarks/passthrough.py, a proxy with no logic on cartgate's "
        "server and client (uvicorn with uvloop and httptools, one worker; aiohttp), "
        "forwarding the direct REST request and answering the vendor's bytes: the one "
        "vendor call cartgate makes for an add. Its 'cartgate' CPU column is the proxy's. Its "
        "ratio to direct REST is about the most any gateway built this way reaches here.",
        f"cartgate: one uvicorn worker, Python {platform.python_version()}. "
        f"Hive Gateway {hive_version}: one process (--fork 1), Node {_node_version()}, "
        "supergraph composed with @graphql-mesh/compose-cli and @omnigraph/openapi from the "
        "BigCommerce Carts v3 spec. Peak RSS is VmHWM from /proc.",
    ]


def _node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True,
                          check=True).stdout.strip()
