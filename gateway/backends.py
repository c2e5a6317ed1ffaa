"""Which backend serves each vendor: real credentials, a sandbox, or none."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from adapters.base import CartBackend
from adapters.bounded_answers import BoundedAnswers
from adapters.http import vendor_transport
from adapters.model import Backend
from adapters.observer import BackendObserver
from adapters.registry import VENDORS
from adapters.shared_state.state import SharedState
from adapters.vendor_setup import BuildContext
from gateway.settings import Settings


def build_backends(
    settings: Settings,
    *,
    sandbox_urls: dict[Backend, str],
    transports: dict[Backend, httpx.AsyncBaseTransport],
    shared: SharedState | None = None,
    observers: Mapping[Backend, BackendObserver] | None = None,
) -> dict[Backend, CartBackend]:
    """The enabled backends, each built by its vendor's registry entry; a vendor without
    credentials uses the sandbox at its URL, and without either is not served.

    ``shared`` holds what several gateway processes must agree on (Elastic Path's cart
    locks and token, BigCommerce's held empty carts) or may share (the catalog cache); by
    default this process keeps its own. ``observers`` are told about every call to their
    vendor (metrics and spans).
    """
    observers = observers or {}
    shared = shared or SharedState()
    backends: dict[Backend, CartBackend] = {}
    for backend, entry in VENDORS.items():
        own = settings.vendor_settings(backend)
        sandbox = not own.has_credentials()
        if sandbox:
            if backend not in sandbox_urls:
                continue  # neither credentials nor a sandbox: the vendor is disabled
            own = own.for_sandbox(sandbox_urls[backend])
        # Every vendor wire, a test's in-process one too, reads answers within the cap.
        inner = transports.get(backend)
        transport = (BoundedAnswers(inner, max_body=settings.vendor_max_body)
                     if inner is not None else vendor_transport(settings.vendor_max_body))
        context = BuildContext(
            timeout=settings.backend_timeout, catalog_cache_ttl=settings.catalog_cache_ttl,
            transport=transport, shared=shared, observer=observers.get(backend),
            sandbox=sandbox)
        backends[backend] = entry.builder()(own, context)
    return backends
