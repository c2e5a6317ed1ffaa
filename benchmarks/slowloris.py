"""Slowloris against `cartgate serve`'s uvicorn options: how long slow connections live.

    .venv/bin/python -m benchmarks.slowloris [--connections 300] [--seconds 30]

Serves the gateway on loopback with the options `cartgate serve` uses (defaults:
CARTGATE_CLIENT_HEADER_TIMEOUT=10, CARTGATE_MAX_CONNECTIONS=1000), opens the connections,
and has each send a request line and then one header line a second, never finishing.
Prints how many are still open as time passes, and whether /healthz still answers.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx

from gateway.app import create_app
from gateway.http.slow_clients import serve_options
from gateway.settings import Settings
from sandboxes.loopback import LoopbackServer


async def _slow_client(host: str, port: int, open_until: list[float], index: int) -> None:
    started = time.monotonic()
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        while True:
            await writer.drain()
            try:
                if await asyncio.wait_for(reader.read(1), 1.0) == b"":
                    break  # the server hung up
            except TimeoutError:
                writer.write(b"X-Slow: 1\r\n")
    except (ConnectionError, OSError):
        pass
    finally:
        open_until[index] = time.monotonic() - started
        writer.close()


async def main(connections: int, seconds: float) -> None:
    settings = Settings(_env_file=None, sandbox="off")
    server = LoopbackServer(create_app(settings), lifespan="on",
                            options=serve_options(settings)).start()
    open_until = [float("inf")] * connections
    tasks = [asyncio.create_task(_slow_client(server.host, server.port, open_until, i))
             for i in range(connections)]
    started = time.monotonic()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=5) as http:
            while time.monotonic() - started < seconds:
                await asyncio.sleep(2)
                alive = sum(1 for t in open_until if t == float("inf"))
                health = (await http.get("/healthz")).status_code
                print(f"t={time.monotonic() - started:5.1f} s  slow connections open: "
                      f"{alive:4d} / {connections}  /healthz: {health}")
    finally:
        for task in tasks:
            task.cancel()
        server.stop()
    closed = [t for t in open_until if t != float("inf")]
    if closed:
        print(f"closed by the server after {min(closed):.1f} to {max(closed):.1f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=30)
    options = parser.parse_args()
    asyncio.run(main(options.connections, options.seconds))
