"""Which backend serves each vendor: real credentials, a sandbox, or none."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from adapters.base import CartBackend
from adapters.bounded_answers import BoundedAnswers
from adapters.http import vendor_transport
from adapters.model import Backend
from adapters.observer import BackendObserver
from adapters.shared_state.state import SharedState, namespace
from gateway.settings import Settings


def build_backends(
    settings: Settings,
    *,
    sandbox_urls: dict[Backend, str],
    transports: dict[Backend, httpx.AsyncBaseTransport],
    shared: SharedState | None = None,
    observers: Mapping[Backend, BackendObserver] | None = None,
) -> dict[Backend, CartBackend]:
    """The enabled backends; a vendor without credentials uses the sandbox at its URL.

    ``shared`` holds what several gateway processes must agree on (Elastic Path's cart
    locks and token, BigCommerce's held empty carts) or may share (the catalog cache); by
    default this process keeps its own. ``observers`` are told about every call to their
    vendor (metrics and spans).
    """
    observers = observers or {}
    # Every vendor wire, a test's in-process one too, reads answers within the cap.
    transports = {backend: BoundedAnswers(inner, max_body=settings.vendor_max_body)
                  if (inner := transports.get(backend)) is not None
                  else vendor_transport(settings.vendor_max_body)
                  for backend in Backend}
    backends: dict[Backend, CartBackend] = {}
    shared = shared or SharedState()
    bigcommerce = _bigcommerce(settings, sandbox_urls, transports, shared,
                               observers.get(Backend.BIGCOMMERCE))
    if bigcommerce is not None:
        backends[Backend.BIGCOMMERCE] = bigcommerce
    elasticpath = _elasticpath(settings, sandbox_urls, transports, shared,
                               observers.get(Backend.ELASTIC_PATH))
    if elasticpath is not None:
        backends[Backend.ELASTIC_PATH] = elasticpath
    return backends


def _bigcommerce(
    settings: Settings,
    sandbox_urls: dict[Backend, str],
    transports: dict[Backend, httpx.AsyncBaseTransport],
    shared: SharedState,
    observer: BackendObserver | None,
) -> CartBackend | None:
    from adapters.bigcommerce.adapter import BigCommerceBackend
    from adapters.bigcommerce.delivery import CONSIGNED_TTL

    backend = Backend.BIGCOMMERCE
    if settings.has_credentials(backend):
        assert settings.bigcommerce_store_hash and settings.bigcommerce_access_token
        api_url, store_hash = settings.bigcommerce_api_url, settings.bigcommerce_store_hash
        access_token = settings.bigcommerce_access_token.get_secret_value()
        sandbox = False
    elif backend in sandbox_urls:
        from sandboxes.bigcommerce import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH

        api_url, store_hash, access_token = (sandbox_urls[backend], SANDBOX_STORE_HASH,
                                             SANDBOX_ACCESS_TOKEN)
        sandbox = True
    else:
        return None
    return BigCommerceBackend(
        api_url=api_url,
        store_hash=store_hash,
        access_token=access_token,
        timeout=settings.backend_timeout,
        sandbox=sandbox,
        transport=transports.get(backend),
        observer=observer,
        shared=shared,
        # Keyed by the store, so that carts of two stores never share a variant.
        catalog=shared.cache(namespace("bigcommerce", api_url.rstrip("/"), store_hash),
                             ttl=settings.catalog_cache_ttl),
        # Which carts have a consignment: shared, so every process reads them alike.
        consignments=shared.cache(
            namespace("bigcommerce-consignments", api_url.rstrip("/"), store_hash),
            ttl=CONSIGNED_TTL),
    )


def _elasticpath(
    settings: Settings,
    sandbox_urls: dict[Backend, str],
    transports: dict[Backend, httpx.AsyncBaseTransport],
    shared: SharedState,
    observer: BackendObserver | None,
) -> CartBackend | None:
    from adapters.elasticpath.adapter import ElasticPathBackend

    backend = Backend.ELASTIC_PATH
    if settings.has_credentials(backend):
        assert settings.elasticpath_client_id and settings.elasticpath_client_secret
        api_url, client_id = settings.elasticpath_api_url, settings.elasticpath_client_id
        client_secret = settings.elasticpath_client_secret.get_secret_value()
        sandbox = False
    elif backend in sandbox_urls:
        from sandboxes.elasticpath import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

        api_url, client_id, client_secret = (sandbox_urls[backend], SANDBOX_CLIENT_ID,
                                             SANDBOX_CLIENT_SECRET)
        sandbox = True
    else:
        return None
    from adapters.elasticpath.rates import EMPTY, load_rate_table

    rates = EMPTY
    if settings.elasticpath_shipping_rates:
        rates = load_rate_table(settings.elasticpath_shipping_rates)
    elif sandbox:
        from sandboxes.elasticpath import SANDBOX_SHIPPING_RATES

        rates = load_rate_table(SANDBOX_SHIPPING_RATES)
    return ElasticPathBackend(
        api_url=api_url,
        client_id=client_id,
        client_secret=client_secret,
        timeout=settings.backend_timeout,
        sandbox=sandbox,
        transport=transports.get(backend),
        shared=shared,
        observer=observer,
        rates=rates,
        catalog=shared.cache(namespace("elasticpath", api_url.rstrip("/"), client_id),
                             ttl=settings.catalog_cache_ttl),
    )
