"""`make bench`'s table: CPU per request of each process, and the ceiling it allows."""

from __future__ import annotations

import pytest

from benchmarks.load import WRK, LoadResult
from benchmarks.report import (
    GATEWAY,
    HEADER,
    HIVE,
    SANDBOX,
    Machine,
    Report,
    Row,
    ceiling,
    floor_row,
    gateway_row,
    markdown,
    text,
)

TWO_CORES = Machine(cores=2, core_limits={SANDBOX: 1, WRK: 1})


def _result(requests_per_s: float, **cpu_s: float) -> LoadResult:
    """A 10-second run of ``requests_per_s``; ``cpu_s`` is each process's CPU seconds in it."""
    return LoadResult(requests=int(requests_per_s * 10), requests_per_s=requests_per_s,
                      p50_ms=10.0, p99_ms=20.0, failures=0,
                      cpu_s=cpu_s)


def test_cpu_per_request_is_the_measured_cpu_over_the_completed_requests() -> None:
    result = _result(500, wrk=2.5, sandbox=3.0, cartgate=7.5)

    assert result.cpu_per_request(WRK) == pytest.approx(0.0005)
    assert result.cpu_per_request(GATEWAY) == pytest.approx(0.0015)
    assert result.cpu_per_request(HIVE) is None  # not watched
    assert LoadResult(0, 0.0, 0.0, 0.0, 0, cpu_s={WRK: 1.0}).cpu_per_request(WRK) is None


def test_the_two_cores_bound_the_sum_of_everyone_but_the_gateway() -> None:
    # Per request: wrk 0.5 ms, sandbox 0.6 ms, Hive 0.3 ms: 1.4 ms fit 2 cores 1,428.6 times
    # a second, below the sandbox's own bound (1,666.7) and wrk's (2,000).
    result = _result(1000, wrk=5.0, sandbox=6.0, hive=3.0, cartgate=15.0)

    assert ceiling(result, TWO_CORES) == pytest.approx(2 / 0.0014)


def test_the_single_threaded_sandbox_bounds_at_one_over_its_cpu() -> None:
    # Sandbox 0.8 ms a request: one core allows 1,250/s, the sum (1.0 ms on 2 cores) 2,000/s.
    result = _result(1000, wrk=2.0, sandbox=8.0, hive=0.0, cartgate=20.0)

    assert ceiling(result, TWO_CORES) == pytest.approx(1250)
    assert ceiling(result, Machine(cores=2)) == pytest.approx(2000)  # were it not limited


def test_the_ceiling_does_not_depend_on_the_gateways_own_cpu() -> None:
    cheap = _result(1000, wrk=5.0, sandbox=6.0, cartgate=1.0)
    costly = _result(1000, wrk=5.0, sandbox=6.0, cartgate=40.0)

    assert ceiling(cheap, TWO_CORES) == pytest.approx(ceiling(costly, TWO_CORES) or 0)
    assert ceiling(_result(1000, cartgate=5.0), TWO_CORES) is None  # nothing else measured
    assert ceiling(None, TWO_CORES) is None


def test_a_gateway_row_carries_its_ratios_and_its_ceiling_over_the_floors() -> None:
    # The floor: 0.2 + 0.4 ms a request, 3,333/s on 2 cores; its sandbox alone 2,500/s.
    direct = _result(2400, wrk=4.8, sandbox=9.6)
    hive = _result(500, wrk=1.0, sandbox=2.0, hive=9.0)
    # Through the gateway: 0.5 + 1.0 ms, 1,333/s on 2 cores; the sandbox alone 1,000/s.
    ours = _result(800, wrk=4.0, sandbox=8.0, hive=0.0, cartgate=15.0)

    row = gateway_row("cartgate cart(id)", ours, direct, TWO_CORES, hive=hive)

    assert row.vs_direct == pytest.approx(1 / 3)
    assert row.vs_hive == pytest.approx(1.6)
    assert row.ceiling == pytest.approx(1000)
    assert floor_row("floor", direct, TWO_CORES).ceiling == pytest.approx(2500)
    assert row.ceiling_vs_direct == pytest.approx(0.4)
    assert gateway_row("missing", None, direct, TWO_CORES).ceiling_vs_direct is None
    assert gateway_row("no floor", ours, None, TWO_CORES).ceiling_vs_direct is None


def test_ceiling_over_direct_holds_when_other_work_slows_both_rows() -> None:
    quiet = gateway_row("quiet", _result(800, wrk=4.0, sandbox=8.0, cartgate=15.0),
                        _result(2400, wrk=4.8, sandbox=9.6), TWO_CORES)
    # A loaded machine: half the req/s, the same CPU per request.
    loaded = gateway_row("loaded", _result(400, wrk=2.0, sandbox=4.0, cartgate=7.5),
                         _result(1200, wrk=2.4, sandbox=4.8), TWO_CORES)

    assert loaded.ceiling == pytest.approx(quiet.ceiling or 0)
    assert loaded.ceiling_vs_direct == pytest.approx(quiet.ceiling_vs_direct or 0)


def _report() -> Report:
    direct = _result(4000, wrk=8.0, sandbox=16.0, cartgate=0.0, hive=0.1)
    ours = _result(800, wrk=4.0, sandbox=8.0, hive=0.0, cartgate=15.0)
    return Report(rows=[floor_row("direct floor", direct, TWO_CORES),
                        gateway_row("cartgate add", ours, direct, TWO_CORES),
                        Row("not run", None)],
                  memory=[], goals=[])


def test_the_markdown_table_shows_each_process_cpu_ms_per_request_and_the_ceiling() -> None:
    lines = markdown(_report()).splitlines()

    assert lines[0] == ("| scenario | req/s | p50 ms | p99 ms | failed | vs direct | ours/Hive "
                        "| CPU ms: wrk | sandbox | cartgate | Hive | ceiling req/s "
                        "| ceiling/direct |")
    assert lines[2] == ("| direct floor | 4,000 | 10.0 | 20.0 | 0 |  |  "
                        "| 0.20 | 0.40 | 0.00 | 0.00 | 2,500 |  |")
    assert lines[3] == ("| cartgate add | 800 | 10.0 | 20.0 | 0 | 0.20x |  "
                        "| 0.50 | 1.00 | 1.88 | 0.00 | 1,000 | 0.40x |")
    assert lines[4].count("|") == len(HEADER) + 1
    assert lines[4].startswith("| not run | n/a | n/a | n/a | n/a |")


def test_the_text_table_aligns_the_same_cells() -> None:
    lines = text(_report()).splitlines()

    assert lines[0].split()[-4:] == ["Hive", "ceiling", "req/s", "ceiling/direct"]
    ours = lines[3]
    assert ours.split() == ["cartgate", "add", "800", "10.0", "20.0", "0", "0.20x",
                            "0.50", "1.00", "1.88", "0.00", "1,000", "0.40x"]
    assert ours.endswith("0.40x") and len(lines[0]) == len(ours)
