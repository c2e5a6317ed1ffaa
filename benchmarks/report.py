"""The benchmark's one table, as aligned text for the terminal and as Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.load import LoadResult

NA = "n/a"


@dataclass(frozen=True)
class Row:
    """One load scenario; ``result`` is None when it could not run (a backend missing)."""

    scenario: str
    result: LoadResult | None
    vs_direct: float | None = None  # req/s of this row over the direct REST floor
    vs_hive: float | None = None  # req/s of this row over Hive Gateway's


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


HEADER = ["scenario", "req/s", "p50 ms", "p99 ms", "failed", "vs direct", "ours/Hive"]


def ratio(numerator: LoadResult | None, denominator: LoadResult | None) -> float | None:
    if numerator is None or denominator is None or denominator.requests_per_s == 0:
        return None
    return numerator.requests_per_s / denominator.requests_per_s


def _times(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def _cells(row: Row) -> list[str]:
    if row.result is None:
        return [row.scenario, NA, NA, NA, NA, "", ""]
    r = row.result
    return [row.scenario, f"{r.requests_per_s:,.0f}", f"{r.p50_ms:.1f}", f"{r.p99_ms:.1f}",
            str(r.failures), _times(row.vs_direct), _times(row.vs_hive)]


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
