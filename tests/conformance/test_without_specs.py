"""A checkout without the vendor specs says so in pytest's summary line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_summary_line_names_the_missing_specs(tmp_path: Path) -> None:
    env = {**os.environ, "CARTGATE_SPECS_DIR": str(tmp_path / "nowhere")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly",
         "tests/conformance/test_conformance.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout
    lines = run.stdout.strip().splitlines()
    assert lines[-2].endswith(f"conformance tests skipped: vendor specs not found at "
                              f"{tmp_path / 'nowhere'}: set CARTGATE_SPECS_DIR "
                              "(README: Vendor specs)")
    assert " skipped: no vendor specs in " in lines[-1]
