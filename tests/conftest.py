"""Fixtures shared by every test: sandboxes, a gateway in front of them, a GraphQL client."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from adapters.memory import MemoryBackend
from adapters.model import Backend
from adapters.registry import with_sandbox
from gateway.app import create_app
from gateway.settings import Settings
from sandboxes.loopback import LoopbackServer, sandbox_app
from tests.support import CallRecorder, CountingTransport, GraphQLClient, VendorTraffic


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--validate-specs", metavar="PATH", default=None,
        help="check every vendor exchange against shared/specs; write the counts to PATH",
    )
    parser.addoption(
        "--screenshots", metavar="DIR", default=None,
        help="save the browser tests' screenshots in DIR (docs/ holds the committed ones)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if path := config.getoption("validate_specs"):
        # Imported only when asked for: it loads and compiles the vendors' documents.
        from tests.conformance.plugin import SpecValidation

        config.pluginmanager.register(SpecValidation(path), SpecValidation.NAME)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No developer's CARTGATE_* variables leak into a test."""
    import os

    for name in list(os.environ):
        if name.startswith("CARTGATE_"):
            monkeypatch.delenv(name)
    yield


def gateway_settings(**overrides: Any) -> Settings:
    # Any: each override is validated by the Settings model itself, as the environment is.
    return Settings(_env_file=None, **overrides)


@pytest.fixture
def sandboxes() -> dict[Backend, Starlette]:
    """One fresh simulator per vendor; ``.state.faults`` makes it misbehave on demand."""
    return {entry.backend: sandbox_app(entry.backend) for entry in with_sandbox()}


@pytest.fixture
def vendor_traffic(
    sandboxes: dict[Backend, Starlette], pytestconfig: pytest.Config
) -> dict[Backend, CountingTransport]:
    """Each vendor's sandbox behind an ASGI transport that records every request."""
    transports: dict[Backend, httpx.AsyncBaseTransport] = {
        backend: httpx.ASGITransport(app=app) for backend, app in sandboxes.items()
    }
    if validation := pytestconfig.pluginmanager.get_plugin("spec-validation"):
        transports = validation.wrap(transports, sandboxes)
    return {backend: CountingTransport(inner) for backend, inner in transports.items()}


def record_calls(app: Starlette, vendor_traffic: Mapping[Backend, VendorTraffic]) -> None:
    """A vendor without HTTP (in memory) reports its calls to observers, not over a wire:
    its ``CallRecorder`` in ``vendor_traffic`` is told of each, once the app has built it.
    """
    backends = app.state.gateway.backends
    for backend, traffic in vendor_traffic.items():
        if isinstance(traffic, CallRecorder) and isinstance(backends.get(backend), MemoryBackend):
            backends[backend].calls.also_tell(traffic)


@pytest.fixture
def backend_timeout() -> float:
    """Seconds the gateway waits for one backend request; tests of timeouts lower it."""
    return 10.0


@pytest.fixture
async def gateway(
    vendor_traffic: dict[Backend, VendorTraffic], backend_timeout: float
) -> AsyncIterator[GraphQLClient]:
    """The gateway app in process, in front of both sandboxes."""
    transports: dict[Backend, httpx.AsyncBaseTransport] = {
        backend: wire for backend, wire in vendor_traffic.items()
        if isinstance(wire, CountingTransport)}
    app = create_app(gateway_settings(backend_timeout=backend_timeout), transports=transports)
    async with app.router.lifespan_context(app):
        record_calls(app, vendor_traffic)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway"
        ) as http:
            yield GraphQLClient(http)


@contextlib.contextmanager
def gateway_on_loopback() -> Iterator[str]:
    """The gateway and both sandboxes as uvicorn servers on 127.0.0.1; yields its URL."""
    sandboxes = {entry.backend: LoopbackServer(sandbox_app(entry.backend)).start()
                 for entry in with_sandbox()}
    settings = gateway_settings(**{f"{backend.value}_sandbox_url": sandbox.url
                                   for backend, sandbox in sandboxes.items()})
    server = LoopbackServer(create_app(settings), lifespan="on").start()
    try:
        yield server.url
    finally:
        server.stop()
        for sandbox in sandboxes.values():
            sandbox.stop()


@pytest.fixture
async def loopback_gateway() -> AsyncIterator[GraphQLClient]:
    """The gateway and both sandboxes as uvicorn servers on 127.0.0.1: the real wire."""
    with gateway_on_loopback() as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            yield GraphQLClient(http)
