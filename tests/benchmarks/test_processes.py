"""The CPU a benchmark reads: a server's whole process group, and the load generator's."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.processes import Children, cpu_seconds, cpu_spent, group_cpu_seconds

# Spends ``argv[1]`` seconds of CPU, then (with a second argument) sleeps on.
BURN = ("import sys, time\n"
        "start = time.process_time()\n"
        "while time.process_time() - start < float(sys.argv[1]):\n"
        "    pass\n"
        "if len(sys.argv) > 2:\n"
        "    time.sleep(60)\n")


def test_a_server_group_counts_the_workers_it_forked(tmp_path: Path) -> None:
    with Children(tmp_path) as children:
        # The leader only waits; its forked worker burns 0.3 s of CPU and stays alive.
        leader = children.start("server", ["sh", "-c", f'"{sys.executable}" -c "$0" 0.3 sleep '
                                           "& wait", BURN])
        deadline = time.monotonic() + 30
        while group_cpu_seconds({"server": leader.pid})["server"] < 0.3:
            assert time.monotonic() < deadline, "the worker never burnt its CPU"
            time.sleep(0.05)

        assert cpu_seconds(leader.pid) < 0.1  # the leader alone misses the worker


def test_cpu_spent_splits_the_reaped_load_generator_from_an_idle_server(
        tmp_path: Path) -> None:
    with Children(tmp_path) as children:
        idle = children.start("idle", ["sleep", "60"])
        with cpu_spent({"idle": idle.pid}, child="load") as spent:
            subprocess.run([sys.executable, "-c", BURN, "0.3"], check=True)

    assert spent["load"] >= 0.3
    assert 0 <= spent["idle"] < 0.05
