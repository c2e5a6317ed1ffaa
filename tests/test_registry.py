"""The vendor registry is the one list of vendors, and everything that branches on a
vendor reads it: settings, backend building, sandboxes, metrics, query cost, the CLI.
"""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from adapters.base import CartBackend
from adapters.model import Backend
from adapters.observer import endpoint_template
from adapters.registry import VENDORS, UnknownVendor, load, vendor, with_sandbox
from adapters.vendor_setup import VendorSettings
from gateway.backends import build_backends
from gateway.cli import main
from gateway.graphql.limits.query_shape import LIST_SIZES
from sandboxes.faults import ErrorStyle
from sandboxes.loopback import sandbox_app
from tests.conftest import gateway_settings


def test_every_backend_has_exactly_one_entry() -> None:
    assert list(VENDORS) == list(Backend)
    for backend, entry in VENDORS.items():
        assert entry.backend is backend
        assert entry.name == backend.value
        assert vendor(backend) is entry and vendor(backend.value) is entry
    assert len({entry.title for entry in VENDORS.values()}) == len(VENDORS)


@pytest.mark.parametrize("backend", list(VENDORS), ids=lambda b: b.value)
def test_every_reference_names_what_it_says(backend: Backend) -> None:
    entry = vendor(backend)
    assert issubclass(entry.settings_model(), VendorSettings)
    assert callable(entry.builder())
    # A vendor reached over HTTP names the words of its paths and maps its errors.
    assert (entry.errors is None) == (not entry.endpoints.words)
    if entry.errors is not None:
        assert callable(load(entry.errors))
    adapter = entry.adapter_class()
    assert issubclass(adapter, CartBackend)
    assert adapter.backend is backend
    assert entry.capabilities() == adapter.capabilities
    if entry.sandbox is not None:
        assert isinstance(sandbox_app(backend), Starlette)
        assert isinstance(load(entry.sandbox.faults), ErrorStyle)
        assert 0 < entry.sandbox.port < 65536


def test_an_unknown_vendor_fails_loudly() -> None:
    with pytest.raises(UnknownVendor) as caught:
        vendor("commercetools")
    assert isinstance(caught.value, KeyError)
    assert "commercetools" in str(caught.value)
    assert "bigcommerce" in str(caught.value)  # what is registered, to compare with
    settings = gateway_settings()
    for ask in (settings.has_credentials, settings.uses_sandbox, settings.sandbox_url):
        with pytest.raises(UnknownVendor, match="commercetools"):
            ask("commercetools")  # type: ignore[arg-type]
    with pytest.raises(UnknownVendor, match="commercetools"):
        sandbox_app("commercetools")  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", list(VENDORS), ids=lambda b: b.value)
def test_settings_read_each_vendors_own_fields(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = vendor(backend).settings_model().model_fields
    assert "sandbox_url" in fields
    assert not gateway_settings().has_credentials(backend)
    # The variable is CARTGATE_<VENDOR>_<FIELD>; the keyword <vendor>_<field>.
    monkeypatch.setenv(f"CARTGATE_{backend.value.upper()}_SANDBOX_URL", "http://from-env")
    assert gateway_settings().sandbox_url(backend) == "http://from-env"
    keyword = gateway_settings(**{f"{backend.value}_sandbox_url": "http://from-keyword"})
    assert keyword.sandbox_url(backend) == "http://from-keyword"
    assert keyword.vendor_settings(backend).sandbox_url == "http://from-keyword"
    for other in VENDORS:
        if other is not backend:  # one vendor's setting never answers for another
            assert keyword.sandbox_url(other) is None


def test_credentials_are_each_vendors_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARTGATE_BIGCOMMERCE_STORE_HASH", "abc123")
    monkeypatch.setenv("CARTGATE_BIGCOMMERCE_ACCESS_TOKEN", "s3cr3t-value")
    settings = gateway_settings()
    assert settings.has_credentials(Backend.BIGCOMMERCE)
    assert not settings.uses_sandbox(Backend.BIGCOMMERCE)
    assert not settings.has_credentials(Backend.ELASTIC_PATH)  # no fall-through
    assert settings.uses_sandbox(Backend.ELASTIC_PATH)
    assert "s3cr3t-value" not in repr(settings.vendor_settings(Backend.BIGCOMMERCE))


@pytest.mark.anyio
async def test_backends_are_built_by_each_entry(sandboxes: dict[Backend, Starlette]) -> None:
    transports: dict[Backend, httpx.AsyncBaseTransport] = {
        backend: httpx.ASGITransport(app=app) for backend, app in sandboxes.items()}
    backends = build_backends(
        gateway_settings(), transports=transports,
        sandbox_urls={backend: f"http://{backend.value}.sandbox" for backend in sandboxes})
    try:
        assert set(backends) == {entry.backend for entry in with_sandbox()}
        for backend, built in backends.items():
            assert isinstance(built, vendor(backend).adapter_class())
            assert built.sandbox
            await built.ping()  # over the sandbox's HTTP
    finally:
        for built in backends.values():
            await built.aclose()
    # Without credentials and without a sandbox, a vendor is not served at all.
    assert build_backends(gateway_settings(), sandbox_urls={}, transports={}) == {}


@pytest.mark.parametrize("backend", list(VENDORS), ids=lambda b: b.value)
def test_metrics_keep_each_entrys_endpoint_words(backend: Backend) -> None:
    endpoints = vendor(backend).endpoints
    assert endpoints.value_follows <= endpoints.words
    for word in endpoints.words:
        assert endpoint_template(f"/{word}/a1b2") == f"/{word}/{{id}}"
    for word in endpoints.value_follows:
        # After a collection the next segment is a value even when it spells a word.
        assert endpoint_template(f"/{word}/{word}") == f"/{word}/{{id}}"
    assert endpoint_template("/not-a-word") == "/{id}"


def test_query_cost_counts_one_entry_per_vendor() -> None:
    assert LIST_SIZES[("Query", "backends")] == len(VENDORS)
    assert LIST_SIZES[("CartComparisonPayload", "results")] == len(VENDORS)


def test_the_sandbox_command_offers_the_registered_simulators(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["sandbox", "commercetools"])
    assert exited.value.code == 2
    choices = ",".join(entry.name for entry in with_sandbox())
    assert f"{{{choices}}}" in capsys.readouterr().err
