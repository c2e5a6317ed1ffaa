"""A serving worker's garbage collector: the startup heap frozen, young collections rare.

Checked in a fresh interpreter: the collector's settings belong to the whole process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from gateway.collector import YOUNG_THRESHOLD

_PROBE = """
import gc, json
before = {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}
from gateway.app import create_app_from_env
create_app_from_env()
after = {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}
print(json.dumps({"before": before, "after": after}))
"""


def test_the_uvicorn_factory_tunes_the_collector_of_its_process() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CARTGATE_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])  # this checkout's gateway
    with tempfile.TemporaryDirectory() as home:  # no developer's .env is read
        probe = subprocess.run([sys.executable, "-c", _PROBE], env=env, cwd=home,
                               capture_output=True, text=True, timeout=120, check=True)
    figures = json.loads(probe.stdout.strip().splitlines()[-1])
    before, after = figures["before"], figures["after"]
    assert before["threshold"][0] == 700 and before["frozen"] == 0
    assert after["threshold"][0] == YOUNG_THRESHOLD
    assert after["threshold"][1:] == before["threshold"][1:]
    # Everything built before serving (modules, schema, types) is out of the collector's way.
    assert after["frozen"] > 50_000
