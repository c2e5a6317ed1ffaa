"""What Python's cyclic garbage collector costs the gateway, with its defaults and as
``gateway/collector.py`` sets it for serving.

``python -m benchmarks.gc_cost [--requests 2000] [--only NAME]`` starts both sandboxes,
builds cartgate in this process as ``benchmarks/cpu_profile.py`` does, and sends each
scenario's requests twice per setting, in turns: the collector's defaults (threshold 700,
nothing frozen), then ``tune_for_serving()``. It prints collections per generation, the
time spent collecting (measured by ``gc.callbacks``) and CPU per request.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.cpu_profile import Send, _run, _scenarios, _settings, start_sandboxes
from benchmarks.processes import Children
from gateway.app import create_app
from gateway.collector import tune_for_serving

DEFAULTS = (700, 10, 10)


class CollectorClock:
    """Time spent in collections while installed as a ``gc`` callback."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started


def _defaults() -> None:
    gc.unfreeze()
    gc.set_threshold(*DEFAULTS)


async def _measure(name: str, send: Send, requests: int) -> None:
    await _run(send, 100, 8)
    for setting, apply in (("defaults", _defaults), ("tuned", tune_for_serving)) * 2:
        apply()
        before = [stats["collections"] for stats in gc.get_stats()]
        clock = CollectorClock()
        gc.callbacks.append(clock)
        cpu = time.process_time()
        await _run(send, requests, 8)
        cpu = time.process_time() - cpu
        gc.callbacks.remove(clock)
        after = [stats["collections"] for stats in gc.get_stats()]
        counts = "/".join(str(a - b) for a, b in zip(after, before, strict=True))
        print(f"{name:40s} {setting:8s} collections {counts:>9s}  collecting "
              f"{clock.seconds * 1000:6.0f} ms of {cpu * 1000:6.0f} ms CPU "
              f"({clock.seconds / cpu:5.1%}), {cpu * 1000 / requests:.2f} ms CPU/request",
              flush=True)
    _defaults()


async def _main(sandboxes: dict[str, str], args: argparse.Namespace) -> None:
    token = secrets.token_urlsafe(32)
    app = create_app(_settings(sandboxes, token))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway",
            timeout=60) as http:
        for name, send in (await _scenarios(app, http, token)).items():
            if not args.only or args.only in name:
                await _measure(name, send, args.requests)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gc_cost", description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--only", default="", help="run scenarios whose name contains this")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cartgate-gc-") as logs, \
            Children(Path(logs)) as children:
        asyncio.run(_main(start_sandboxes(children), args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
