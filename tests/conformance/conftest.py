"""A run without the vendor specs says so in its summary line, not only in `-rs`."""

from __future__ import annotations

import pytest

from tests.conformance.specs import NO_SPECS

CATEGORY = "skipped: no vendor specs"


def pytest_report_teststatus(report: pytest.TestReport,
                             config: pytest.Config) -> tuple[str, str, str] | None:
    if report.skipped and isinstance(report.longrepr, tuple) and \
            report.longrepr[2].endswith(NO_SPECS):
        return CATEGORY, "s", "SKIPPED (no vendor specs)"
    return None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if skipped := terminalreporter.stats.get(CATEGORY):
        terminalreporter.write_line(f"{len(skipped)} conformance tests skipped: {NO_SPECS}",
                                    yellow=True)
