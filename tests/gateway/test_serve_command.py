"""`cartgate serve` and `make run`: where it listens, and one line when it cannot."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CARTGATE = [sys.executable, "-m", "gateway.cli"]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_busy_port_is_one_line_before_anything_else(busy_port: int) -> None:
    run = subprocess.run([*CARTGATE, "serve", "--port", str(busy_port)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 4
    assert run.stdout == ""
    other = busy_port + 1
    assert run.stderr == (f"cartgate: port {busy_port} on 127.0.0.1 is already in use; "
                          f"choose another with --port {other} (make run PORT={other})\n")


def test_unknown_host_is_one_line() -> None:
    run = subprocess.run([*CARTGATE, "serve", "--host", "no-such-host.invalid"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 4
    assert run.stderr.count("\n") == 1
    assert "no-such-host.invalid" in run.stderr


def _make_run(*args: str) -> list[str]:
    run = subprocess.run(["make", "--no-print-directory", "-n", "run", *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=True)
    return run.stdout.splitlines()


def test_make_run_takes_port_and_host() -> None:
    assert _make_run("PORT=8123", "HOST=0.0.0.0")[-1] == (
        ".venv/bin/cartgate serve --host 0.0.0.0 --port 8123")
    assert _make_run()[-1] == ".venv/bin/cartgate serve --host 127.0.0.1 --port 8000"


def test_make_run_installs_the_runtime_dependencies_only(tmp_path: Path) -> None:
    # A .venv that does not exist yet: make lists every step it would take to set it up.
    steps = _make_run(f"VENV={tmp_path / 'venv'}")
    installs = [step for step in steps if "pip install" in step and "--upgrade" not in step]
    assert installs == [f"{tmp_path / 'venv'}/bin/python -m pip install --quiet -e ."]
