"""The servers a benchmark starts: spawning, readiness waits, memory, and cleanup."""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import httpx


class ChildFailed(RuntimeError):
    """A server exited or never became ready."""


class Children:
    """Every process the benchmark started; leaving the ``with`` block stops them all.

    Each child gets a session of its own, so Ctrl-C reaches only this program, which
    then stops the children in reverse order of starting (SIGTERM, then SIGKILL).
    """

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self._started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def __enter__(self) -> Children:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop_all()

    def start(self, name: str, argv: Sequence[str], *, env: Mapping[str, str] | None = None,
              cwd: Path | None = None) -> subprocess.Popen[bytes]:
        with open(self.log_path(name), "wb") as log:
            child = subprocess.Popen(
                list(argv), cwd=cwd, env={**os.environ, **(env or {})},
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._started.append((name, child))
        return child

    def pids(self) -> list[int]:
        return [child.pid for _, child in self._started if child.poll() is None]

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_path(name)
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop_all(self) -> None:
        for _, child in reversed(self._started):
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _, child in reversed(self._started):
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.wait()
        self._started.clear()

    def wait_ready(self, name: str, child: subprocess.Popen[bytes], url: str,
                   *, timeout_s: float = 60) -> None:
        """Poll ``url`` until it answers 200; fail early if the child exits."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if child.poll() is not None:
                raise ChildFailed(f"{name} exited with {child.returncode}:\n"
                                  f"{self.log_tail(name)}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise ChildFailed(f"{name} was not ready at {url} after {timeout_s:.0f} s:\n"
                          f"{self.log_tail(name)}")


def _signal_group(child: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    if child.poll() is None:
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def peak_rss_mb(pid: int) -> float | None:
    """The process's high-water mark of resident memory (VmHWM), in MiB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/PID/stat's fields after the command name (state first), None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _cpu_of(fields: list[str]) -> float:
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a live process has used so far."""
    fields = _stat_fields(pid)
    return 0.0 if fields is None else _cpu_of(fields)


def group_cpu_seconds(groups: Mapping[str, int]) -> dict[str, float]:
    """User plus system CPU time each named process group's live members have used so far.

    A child of ``Children.start`` leads a session, hence a group, of its own: its group id
    is its pid, and a server that forks workers (uvicorn --workers, Hive Gateway --fork)
    is counted whole.
    """
    names = {pgid: name for name, pgid in groups.items()}
    spent = dict.fromkeys(groups, 0.0)
    for entry in Path("/proc").iterdir():
        fields = _stat_fields(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and int(fields[2]) in names:
            spent[names[int(fields[2])]] += _cpu_of(fields)
    return spent


def reaped_children_cpu_seconds() -> float:
    """User plus system CPU time of every child this program has waited for so far.

    getrusage counts a child once it is reaped, to the microsecond (os.times() rounds to
    clock ticks); the live servers are reaped only when the benchmark stops them.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def cpu_spent(servers: Mapping[str, int], *, child: str) -> Iterator[dict[str, float]]:
    """CPU seconds spent inside the block by each server's group and by ``child``.

    ``child`` names the one process the block starts and reaps (the load generator): its
    CPU is the growth of the reaped children's total, which holds nothing else as long as
    every other child of this program is a live server. The dict is filled on leaving.
    """
    spent: dict[str, float] = {}
    servers_before, reaped_before = group_cpu_seconds(servers), reaped_children_cpu_seconds()
    yield spent
    servers_after, reaped_after = group_cpu_seconds(servers), reaped_children_cpu_seconds()
    spent[child] = reaped_after - reaped_before
    spent.update((name, servers_after[name] - servers_before[name]) for name in servers)


def own_cpu_seconds(children: Children) -> float:
    """CPU time of this program, the children it reaped (wrk) and the live servers."""
    times = os.times()
    return (times.user + times.system + times.children_user + times.children_system
            + sum(cpu_seconds(pid) for pid in children.pids()))


def machine_busy_seconds() -> float:
    """CPU time every core of the machine has spent busy since boot."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
