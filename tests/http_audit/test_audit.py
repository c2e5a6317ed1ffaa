"""The graphql-http audit suite (npm) against the gateway served by uvicorn on loopback."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.app import create_app
from sandboxes.loopback import LoopbackServer
from tests.conftest import gateway_settings

AUDIT_DIR = Path(__file__).parent


@pytest.fixture
def served_gateway() -> Iterator[str]:
    """The URL of /graphql on a real server, sandboxes started by its lifespan."""
    server = LoopbackServer(create_app(gateway_settings()), lifespan="on").start()
    try:
        yield f"{server.url}/graphql"
    finally:
        server.stop()


def test_every_graphql_over_http_audit_passes(served_gateway: str) -> None:
    node = shutil.which("node")
    assert node, "Node.js is missing: `make test` installs it"
    assert (AUDIT_DIR / "node_modules" / "graphql-http").is_dir(), \
        "graphql-http is missing: `make test` runs npm ci in tests/http_audit"
    run = subprocess.run([node, str(AUDIT_DIR / "audit.mjs"), served_gateway],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    print(f"graphql-http audits: {summary['ok']} ok, {summary['warn']} warn, "
          f"{summary['error']} error")
    assert summary["failures"] == []
    assert (summary["warn"], summary["error"]) == (0, 0)
    assert summary["ok"] >= 50
