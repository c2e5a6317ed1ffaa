"""Two gateway processes on loopback sharing one redis-server, in front of sandboxes
served once by this test process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from adapters.registry import with_sandbox
from sandboxes.loopback import LOOPBACK_KEEP_ALIVE, LoopbackServer, sandbox_app
from tests.redis_server import RedisServer, free_port, redis_server, redis_url

__all__ = ["redis_server", "redis_url"]

# Short, so that the expiry tests wait seconds; a write here takes milliseconds.
LOCK_TTL = 2.0
START_TIMEOUT = 30.0


class GatewayProcess:
    """``uvicorn gateway.app:create_app_from_env`` as a process of its own."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        self._home = tempfile.TemporaryDirectory(prefix=f"cartgate-{name}-")
        self._log = open(os.path.join(self._home.name, "stderr.log"), "w+b")
        # Started in an empty directory, so that no developer's .env is read.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "gateway.app:create_app_from_env", "--factory",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
             "--no-access-log", "--timeout-keep-alive", str(LOOPBACK_KEEP_ALIVE)],
            env=env, cwd=self._home.name, stdout=subprocess.DEVNULL, stderr=self._log,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"gateway {self.name} did not start: {self.stderr()}")

    def stderr(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a test may have frozen it
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        self._home.cleanup()


@pytest.fixture(scope="module")
def sandbox_servers() -> Iterator[dict[Backend, tuple[Starlette, LoopbackServer]]]:
    """Each vendor's sandbox, served once on loopback for every gateway process."""
    served = {}
    for entry in with_sandbox():
        app = sandbox_app(entry.backend)
        served[entry.backend] = (app, LoopbackServer(app).start())
    yield served
    for _, server in served.values():
        server.stop()


@pytest.fixture(scope="module")
def gateway_processes(
    redis_server: RedisServer,
    sandbox_servers: dict[Backend, tuple[Starlette, LoopbackServer]],
) -> Iterator[list[GatewayProcess]]:
    """Processes A and B: one Redis, one sandbox per vendor, nothing else in common."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARTGATE_")}
    env |= {
        "CARTGATE_REDIS_URL": redis_server.url,
        **{f"CARTGATE_{backend.value.upper()}_SANDBOX_URL": server.url
           for backend, (_, server) in sandbox_servers.items()},
        "CARTGATE_CART_LOCK_TTL": str(LOCK_TTL),
        # Twenty writers queue on one cart: a short lock must not make them give up.
        "CARTGATE_CART_LOCK_WAIT": "30",
    }
    processes = [GatewayProcess(name, env) for name in ("A", "B")]
    try:
        for process in processes:
            process.wait_ready()
        yield processes
    finally:
        for process in processes:
            process.stop()
