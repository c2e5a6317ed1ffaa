"""Drive one HTTP target with wrk and read back throughput and latency percentiles.

wrk runs a closed loop (every connection sends its next request when the answer
arrives). A Lua script sets the method, headers and body, checks that every answer
contains an expected string and not a rejected one (so a 200 carrying GraphQL
errors counts as a failure) and prints the figures as one JSON line from wrk's ``done()`` hook.
A target with ``variants`` sends each of its paths and bodies in turn (many carts).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx

from benchmarks.processes import cpu_spent

WRK = "wrk"  # the load generator's name among a result's CPU figures
RESULT_MARKER = "WRK_RESULT "
FAILURE_MARKER = "WRK_FAILURE "

_SCRIPT = """
wrk.method = {method}
wrk.body = {body}
{headers}
local expect = {expect}
local reject = {reject}
local threads = {{}}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
  first_failure = ""
end

function response(status, headers, body)
  if status < 200 or status > 299 or not string.find(body, expect, 1, true)
      or (reject and string.find(body, reject, 1, true)) then
    unexpected = unexpected + 1
    if first_failure == "" then
      first_failure = status .. " " .. string.gsub(string.sub(body, 1, 300), "\\n", " ")
    end
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("unexpected")
    local failure = thread:get("first_failure")
    if failure ~= "" then
      io.write("{failure_marker}" .. failure .. "\\n")
    end
  end
  local e = summary.errors
  io.write(string.format(
    '{marker}{{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"unexpected": %d, "socket_errors": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    bad, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True)
class Target:
    """One request, repeated: what wrk sends and what a good answer contains."""

    url: str
    expect: str
    reject: str | None = None
    method: str = "GET"
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    # (path with query, body) sent in turn instead of the url's own; the url's host serves all.
    variants: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LoadSettings:
    """How hard and how long wrk drives a target."""

    duration_s: int = 10
    warmup_s: int = 3
    threads: int = 1
    connections: int = 32
    timeout_s: int = 20


@dataclass(frozen=True)
class LoadResult:
    """What one measured wrk run saw."""

    requests: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    failures: int  # non-2xx, unexpected bodies, and socket errors
    first_failure: str = ""  # status and start of the first unexpected answer
    # CPU seconds each watched process spent in the measured run, wrk's under WRK.
    cpu_s: Mapping[str, float] = field(default_factory=dict)

    def cpu_per_request(self, name: str) -> float | None:
        """CPU seconds ``name`` spent per completed request (None: not watched, or none)."""
        if name not in self.cpu_s or self.requests == 0:
            return None
        return self.cpu_s[name] / self.requests


def ensure_wrk() -> str:
    """The wrk binary, installed from Debian's packages when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing it with apt-get (needs root)", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("apt-get installed wrk but it is not on PATH")
    return found


def _lua_string(text: str) -> str:
    level = 0
    # The closing bracket must not occur in the text, nor be completed by its last "]".
    while f"]{'=' * level}]" in text + "]":
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def lua_script(target: Target) -> str:
    headers = "\n".join(
        f"wrk.headers[ {_lua_string(name)} ] = {_lua_string(value)}"
        for name, value in target.headers.items()
    )
    script = _SCRIPT.format(
        method=_lua_string(target.method),
        body=_lua_string(target.body) if target.body else "nil",
        headers=headers,
        expect=_lua_string(target.expect),
        reject=_lua_string(target.reject) if target.reject else "nil",
        marker=RESULT_MARKER,
        failure_marker=FAILURE_MARKER,
    )
    if not target.variants:
        return script
    listed = ",\n".join(f"  {{ {_lua_string(path)}, {_lua_string(body)} }}"
                         for path, body in target.variants)
    return script + _TURNS.replace("VARIANTS", listed)


# Each request of a thread is the next variant; wrk's method and headers stay.
_TURNS = """
local variants = {
VARIANTS
}
local turn = 0

function request()
  turn = turn % #variants + 1
  return wrk.format(nil, variants[turn][1], nil, variants[turn][2])
end
"""


def _wrk(wrk: str, script: Path, target: Target, settings: LoadSettings,
         duration_s: int) -> LoadResult:
    command = [
        wrk, f"--threads={settings.threads}", f"--connections={settings.connections}",
        f"--duration={duration_s}s", f"--timeout={settings.timeout_s}s",
        f"--script={script}", target.url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next(
        (ln for ln in completed.stdout.splitlines() if ln.startswith(RESULT_MARKER)), None
    )
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{completed.stdout}\n{completed.stderr}")
    raw = json.loads(line[len(RESULT_MARKER):])
    failure = next((ln[len(FAILURE_MARKER):] for ln in completed.stdout.splitlines()
                    if ln.startswith(FAILURE_MARKER)), "")
    seconds = raw["duration_us"] / 1e6
    return LoadResult(
        requests=raw["requests"],
        requests_per_s=raw["requests"] / seconds,
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        failures=raw["unexpected"] + raw["socket_errors"],
        first_failure=failure,
    )


def check(target: Target) -> None:
    """One request before the load, so a wrong target fails with its answer shown."""
    response = httpx.request(target.method, target.url, headers=target.headers,
                             content=target.body or None, timeout=30)
    text = response.text
    if (not response.is_success or target.expect not in text
            or (target.reject is not None and target.reject in text)):
        raise RuntimeError(f"{target.method} {target.url} answered {response.status_code}, "
                           f"not containing {target.expect!r}:\n{text[:2000]}")


def measure(wrk: str, target: Target, settings: LoadSettings,
            servers: Mapping[str, int] | None = None) -> LoadResult:
    """A warm-up run, then the measured run with the same script.

    The result's ``cpu_s`` holds what wrk and each of ``servers`` (name to the pid leading
    its process group) spent in the measured run alone.
    """
    with tempfile.TemporaryDirectory(prefix="cartgate-bench-") as tmp:
        script = Path(tmp) / "target.lua"
        script.write_text(lua_script(target))
        if settings.warmup_s:
            _wrk(wrk, script, target, settings, settings.warmup_s)
        with cpu_spent(servers or {}, child=WRK) as spent:
            result = _wrk(wrk, script, target, settings, settings.duration_s)
        return replace(result, cpu_s=spent)
