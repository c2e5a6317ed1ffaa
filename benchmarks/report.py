"""The benchmark's one table, as aligned text for the terminal and as Markdown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from benchmarks.load import WRK, LoadResult

NA = "n/a"
# Names of the servers among a result's CPU figures; SANDBOX is the row's vendor's.
SANDBOX, GATEWAY, HIVE = "sandbox", "cartgate", "hive"
# The CPU columns, in order: (name in LoadResult.cpu_s, heading).
CPU_COLUMNS = ((WRK, "CPU ms: wrk"), (SANDBOX, "sandbox"), (GATEWAY, "cartgate"), (HIVE, "Hive"))


@dataclass(frozen=True)
class Row:
    """One load scenario; ``result`` is None when it could not run (a backend missing)."""

    scenario: str
    result: LoadResult | None
    vs_direct: float | None = None  # req/s of this row over the direct REST floor
    vs_hive: float | None = None  # req/s of this row over Hive Gateway's
    ceiling: float | None = None  # req/s the others' CPU allows, the gateway's left out
    ceiling_vs_direct: float | None = None  # a cartgate row's ceiling over its floor's


@dataclass(frozen=True)
class Machine:
    """What bounds req/s once the gateway's CPU is left out: cores, and cores per process."""

    cores: int
    # Processes that cannot use more cores than this (CPU seconds per second), by name:
    # the sandbox runs one Python thread at a time, wrk one event loop per thread.
    core_limits: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Goal:
    """A target from the issue and whether this run met it (None: not measurable)."""

    text: str
    met: bool | None


@dataclass(frozen=True)
class Report:
    """Everything one `make bench` prints."""

    rows: list[Row]
    memory: list[tuple[str, str]]  # (what, figure)
    goals: list[Goal]
    notes: list[str] = field(default_factory=list)


HEADER = ["scenario", "req/s", "p50 ms", "p99 ms", "failed", "vs direct", "ours/Hive",
          *(heading for _, heading in CPU_COLUMNS), "ceiling req/s", "ceiling/direct"]


def ratio(numerator: LoadResult | None, denominator: LoadResult | None) -> float | None:
    if numerator is None or denominator is None or denominator.requests_per_s == 0:
        return None
    return numerator.requests_per_s / denominator.requests_per_s


def ceiling(result: LoadResult | None, machine: Machine) -> float | None:
    """The req/s the measured run would allow if the gateway spent no CPU.

    Every other watched process keeps its measured CPU per request: together they fit in
    the machine's cores, and each one limited to fewer cores (the single-threaded sandbox)
    fits in those. None when nothing else was measured.
    """
    if result is None:
        return None
    others = {name: result.cpu_per_request(name) or 0.0 for name in result.cpu_s
              if name != GATEWAY}
    if sum(others.values()) <= 0:
        return None
    bounds = [machine.cores / sum(others.values())]
    bounds += [limit / others[name] for name, limit in machine.core_limits.items()
               if others.get(name, 0.0) > 0]
    return min(bounds)


def floor_row(scenario: str, result: LoadResult | None, machine: Machine) -> Row:
    """A direct REST row: no gateway in its path, so its ceiling is its own CPU bound."""
    return Row(scenario, result, ceiling=ceiling(result, machine))


def gateway_row(scenario: str, result: LoadResult | None, direct: LoadResult | None,
                machine: Machine, hive: LoadResult | None = None) -> Row:
    """A cartgate row: its ratios to the direct floor (and Hive), and its CPU ceiling.

    The ceiling is compared with the direct row's own ceiling, not its req/s: both come
    from CPU per request alone, so the ratio holds while other work slows the machine.
    """
    allowed, floor = ceiling(result, machine), ceiling(direct, machine)
    return Row(scenario, result, vs_direct=ratio(result, direct), vs_hive=ratio(result, hive),
               ceiling=allowed,
               ceiling_vs_direct=None if allowed is None or not floor else allowed / floor)


def _times(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def _cpu_ms(result: LoadResult, name: str) -> str:
    seconds = result.cpu_per_request(name)
    return "" if seconds is None else f"{seconds * 1000:.2f}"


def _cells(row: Row) -> list[str]:
    if row.result is None:
        return [row.scenario, NA, NA, NA, NA] + [""] * (len(HEADER) - 5)
    r = row.result
    return [row.scenario, f"{r.requests_per_s:,.0f}", f"{r.p50_ms:.1f}", f"{r.p99_ms:.1f}",
            str(r.failures), _times(row.vs_direct), _times(row.vs_hive),
            *(_cpu_ms(r, name) for name, _ in CPU_COLUMNS),
            "" if row.ceiling is None else f"{row.ceiling:,.0f}", _times(row.ceiling_vs_direct)]


def _goal(goal: Goal) -> str:
    verdict = {True: "met", False: "NOT met", None: NA}[goal.met]
    return f"{verdict}: {goal.text}"


def text(report: Report) -> str:
    """Aligned columns for a terminal."""
    table = [HEADER] + [_cells(row) for row in report.rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    out = [line(table[0]), "  ".join("-" * w for w in widths)]
    out += [line(cells) for cells in table[1:]]
    out += [""] + [f"{what}: {figure}" for what, figure in report.memory]
    out += [""] + [_goal(goal) for goal in report.goals]
    out += [""] + report.notes
    return "\n".join(out)


def markdown(report: Report) -> str:
    """The same figures as a Markdown table, to paste into benchmarks/RESULTS.md."""
    out = ["| " + " | ".join(HEADER) + " |",
           "|" + "|".join(["---"] + ["---:"] * (len(HEADER) - 1)) + "|"]
    out += ["| " + " | ".join(_cells(row)) + " |" for row in report.rows]
    out += ["", "| memory | |", "|---|---:|"]
    out += [f"| {what} | {figure} |" for what, figure in report.memory]
    out += [""] + [f"- {_goal(goal)}" for goal in report.goals]
    out += [""] + [f"{note}  " for note in report.notes]
    return "\n".join(out).rstrip() + "\n"
