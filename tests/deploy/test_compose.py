"""The Dockerfile, compose.yaml and the load balancer's config say what the README
promises: no Docker engine runs here, so the files themselves are checked.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GATEWAY_PORT = "8000"
SANDBOX_PORTS = {"bigcommerce": "8100", "elasticpath": "8200"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    # Instructions, with continuation lines joined and comments dropped.
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in joined.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def instruction(lines: list[str], name: str) -> list[str]:
    return [line[len(name) + 1:] for line in lines if line.split()[0] == name]


def test_the_image_runs_the_gateway_as_a_user_with_a_health_check(dockerfile: list[str]) -> None:
    assert instruction(dockerfile, "FROM") == ["python:3.11-slim"]
    assert any("pip install ." in run for run in instruction(dockerfile, "RUN"))
    (user,) = instruction(dockerfile, "USER")
    assert user not in ("root", "0")
    (healthcheck,) = instruction(dockerfile, "HEALTHCHECK")
    assert f"http://127.0.0.1:{GATEWAY_PORT}/healthz" in healthcheck
    (cmd,) = instruction(dockerfile, "CMD")
    assert cmd == f'["cartgate", "serve", "--host", "0.0.0.0", "--port", "{GATEWAY_PORT}"]'
    assert instruction(dockerfile, "EXPOSE") == [GATEWAY_PORT]
    for copy in instruction(dockerfile, "COPY"):
        *sources, _ = copy.split()
        assert all((ROOT / source).exists() for source in sources), copy


def test_compose_runs_replicas_of_the_gateway_behind_a_load_balancer_with_redis(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert set(services) == {"redis", "bigcommerce-sandbox", "elasticpath-sandbox",
                             "gateway", "lb"}
    gateway = services["gateway"]
    assert gateway["build"] == "."
    assert gateway["deploy"]["replicas"] >= 2
    assert gateway["command"][:2] == ["cartgate", "serve"]
    assert gateway["command"][gateway["command"].index("--port") + 1] == GATEWAY_PORT
    assert "ports" not in gateway  # reached through the load balancer only
    assert set(gateway["depends_on"]) == {"redis", "bigcommerce-sandbox", "elasticpath-sandbox"}
    assert services["lb"]["ports"] == ["8080:8080"]
    assert services["redis"]["image"].startswith("redis:")


def test_the_gateway_environment_names_only_real_settings(compose: dict[str, Any]) -> None:
    environment: dict[str, str] = compose["services"]["gateway"]["environment"]
    known = {f"CARTGATE_{name.upper()}" for name in Settings.model_fields}
    known.add("OTEL_EXPORTER_OTLP_ENDPOINT")
    assert set(environment) <= known, set(environment) - known
    assert environment["CARTGATE_REDIS_URL"] == "redis://redis:6379/0"
    # Credentials come from the operator's environment; none is written down here.
    for secret in ("CARTGATE_BIGCOMMERCE_ACCESS_TOKEN", "CARTGATE_ELASTICPATH_CLIENT_SECRET",
                   "CARTGATE_BIGCOMMERCE_STORE_HASH", "CARTGATE_ELASTICPATH_CLIENT_ID"):
        assert environment[secret] == f"${{{secret}:-}}"


def test_every_replica_shares_one_sandbox_per_vendor(compose: dict[str, Any]) -> None:
    services = compose["services"]
    environment = services["gateway"]["environment"]
    for vendor, port in SANDBOX_PORTS.items():
        command = services[f"{vendor}-sandbox"]["command"]
        assert command == ["cartgate", "sandbox", vendor, "--host", "0.0.0.0", "--port", port]
        assert environment[f"CARTGATE_{vendor.upper()}_SANDBOX_URL"] == \
            f"http://{vendor}-sandbox:{port}"
        check = " ".join(services[f"{vendor}-sandbox"]["healthcheck"]["test"])
        assert f"http://127.0.0.1:{port}/healthz" in check


def test_the_load_balancer_spreads_over_the_gateway_replicas(compose: dict[str, Any]) -> None:
    (mount,) = compose["services"]["lb"]["volumes"]
    source, target, _ = mount.split(":")
    assert target == "/etc/nginx/conf.d/default.conf"
    config = (ROOT / source).read_text()
    assert re.findall(r"^\s*server\s+([^\s{;]+)\s*;", config, re.MULTILINE) == \
        [f"gateway:{GATEWAY_PORT}"]
    assert "listen 8080;" in config
    assert "proxy_pass http://cartgate;" in config
    assert re.search(r"location = /metrics \{\s*return 404;", config)
    assert "proxy_set_header X-Request-ID" in config
    # nginx must never resend a mutation a replica may have started.
    assert "non_idempotent" not in config


def test_the_readme_promises_what_compose_serves() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "docker compose up --build" in readme
    assert "http://localhost:8080/graphql" in readme
    for route in ("/healthz", "/readyz", "/metrics"):
        assert route in readme
    commands = [shlex.split(line.strip().lstrip("$ ")) for line in readme.splitlines()
                if line.strip().startswith("$ docker compose")]
    assert commands, "the README shows how to start the stack"
