"""The gateway's CPU per request, and where it goes, for the requests `make bench` sends.

``python -m benchmarks.cpu_profile [--requests 400] [--rounds 5] [--top 25] [--only NAME]``
starts both sandboxes as their own processes (their CPU is not counted), builds cartgate
in this process in front of them as `make bench` configures it (logging into a file), and
sends each scenario's request straight into the ASGI app, ``--concurrency`` at a time. It
prints this process's CPU milliseconds per request, the least of ``--rounds`` rounds, and
with ``--top`` cProfile's most costly functions (``--sort``, ``--dump`` to keep them).
CPU per request hardly depends on how busy the machine is, unlike req/s; uvicorn's HTTP
parsing is not in it.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

import httpx
from starlette.types import ASGIApp, Message

from benchmarks import carts
from benchmarks.processes import Children, free_port
from benchmarks.run import SANDBOX_APPS, _uvicorn
from benchmarks.targets import CART_QUERY, HIVE_CART_QUERY, LINES_ADD, LINES_ADD_WITHOUT_ATTRIBUTES
from gateway.app import create_app
from gateway.observability.logs import configure_logging
from gateway.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SKU = carts.CATALOG_SKUS[0]
Send = Callable[[], Awaitable[tuple[int, bytes]]]


def _settings(sandboxes: dict[str, str], token: str) -> Settings:
    return Settings(
        _env_file=None,
        bigcommerce_sandbox_url=sandboxes["bigcommerce"],
        elasticpath_sandbox_url=sandboxes["elasticpath"],
        env="production", storefront_calls_per_second=0,
        cart_calls_per_second=0, server_tokens=token,
    )


async def _run(send: Send, requests: int, concurrency: int) -> None:
    left = requests

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            status, body = await send()
            if status != 200 or b'"errors"' in body:
                raise RuntimeError(f"{status} {body[:300]!r}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def _profile(sandboxes: dict[str, str], args: argparse.Namespace,
                   log: TextIO) -> None:
    token = secrets.token_urlsafe(32)
    settings = _settings(sandboxes, token)
    # Logging as a `make bench` gateway logs (create_app_from_env), into a file.
    original, sys.stderr = sys.stderr, log
    try:
        configure_logging(format=settings.effective_log_format, level=settings.log_level)
    finally:
        sys.stderr = original
    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway",
            timeout=60) as http:
        scenarios = await _scenarios(app, http, token)
        for name, send in scenarios.items():
            if not args.only or args.only in name:
                await _measure(name, send, args)


async def _scenarios(app: ASGIApp, http: httpx.AsyncClient, token: str) -> dict[str, Send]:
    """Each measured request, by name, on carts seeded through the gateway."""
    seeder = {"authorization": f"Bearer {token}"}
    scenarios: dict[str, Send] = {}
    for vendor in SANDBOX_APPS:
        response = await http.post("/graphql", headers=seeder, json={
            "query": carts._CREATE,
            "variables": {"input": carts.cart_input(vendor, 10)}})
        read_id = response.json()["data"]["cartCreate"]["cart"]["id"]
        response = await http.post("/graphql", headers=seeder, json={
            "query": carts._CREATE,
            "variables": {"input": carts.cart_input(vendor, 10)}})
        write_id = response.json()["data"]["cartCreate"]["cart"]["id"]
        scenarios[f"cart {vendor}"] = _poster(app, CART_QUERY, {"id": read_id})
        if vendor == "bigcommerce":
            scenarios[f"cart(hive fields) {vendor}"] = _poster(
                app, HIVE_CART_QUERY, {"id": read_id})
        adding = {"id": write_id, "lines": [{"sku": SKU, "quantity": 1}]}
        scenarios[f"cartLinesAdd {vendor}"] = _poster(app, LINES_ADD, adding)
        if vendor == "bigcommerce":
            scenarios[f"cartLinesAdd(no attributes) {vendor}"] = _poster(
                app, LINES_ADD_WITHOUT_ATTRIBUTES, adding)
    return scenarios


async def _measure(name: str, send: Send, args: argparse.Namespace) -> None:
    """Prints one scenario's CPU per request, and its profile when asked for."""
    await _run(send, 50, args.concurrency)  # warm caches, connections, memos
    profiler = cProfile.Profile() if args.top else None
    figures = []
    for _ in range(args.rounds):
        cpu = time.process_time()
        if profiler:
            profiler.enable()
        await _run(send, args.requests, args.concurrency)
        if profiler:
            profiler.disable()
        figures.append((time.process_time() - cpu) * 1000 / args.requests)
    # The least of several rounds: another process on the cores only adds to it.
    print(f"{name:42s} {min(figures):6.2f} ms CPU/request (least of {args.rounds} "
          f"rounds of {args.requests}; median {statistics.median(figures):.2f})",
          flush=True)
    if profiler and args.dump:
        profiler.dump_stats(f"{args.dump}.{name.replace(' ', '_')}.prof")
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


def _poster(app: ASGIApp, query: str, variables: dict[str, Any]) -> Send:
    """One POST /graphql straight into the ASGI app: no client library's CPU counted."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/graphql", "raw_path": b"/graphql",
             "query_string": b"", "root_path": "", "server": ("127.0.0.1", 8000),
             "client": ("127.0.0.1", 50000),
             "headers": [(b"host", b"gateway"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode())]}

    async def send() -> tuple[int, bytes]:
        sent = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> Message:
            nonlocal sent
            if sent:
                await asyncio.Event().wait()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def reply(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await app(dict(scope), receive, reply)
        return status, b"".join(chunks)

    return send


def start_sandboxes(children: Children) -> dict[str, str]:
    """Both vendor sandboxes, each its own process (its CPU not counted): URLs by vendor."""
    sandboxes: dict[str, str] = {}
    for vendor, app in SANDBOX_APPS.items():
        port = free_port()
        child = children.start(f"sandbox-{vendor}", _uvicorn(app, port), cwd=ROOT)
        sandboxes[vendor] = f"http://127.0.0.1:{port}"
        children.wait_ready(f"sandbox-{vendor}", child, f"{sandboxes[vendor]}/healthz")
    return sandboxes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cpu_profile",
                                     description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--top", type=int, default=0, help="cProfile rows to print (0: none)")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--dump", default="",
                        help="also write each profile to DUMP.<scenario>.prof")
    parser.add_argument("--only", default="", help="run scenarios whose name contains this")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cartgate-profile-") as logs, \
            Children(Path(logs)) as children:
        sandboxes = start_sandboxes(children)
        with open(Path(logs) / "gateway.log", "w") as log:
            asyncio.run(_profile(sandboxes, args, log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
