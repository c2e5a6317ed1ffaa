"""BigCommerce's own settings and how the gateway builds its backend from them."""

from __future__ import annotations

from typing import Self

from pydantic import SecretStr

from adapters.base import CartBackend
from adapters.shared_state.state import namespace
from adapters.vendor_setup import BuildContext, VendorSettings


class BigCommerceSettings(VendorSettings):
    """``CARTGATE_BIGCOMMERCE_*``: one store, reached with an API account's token."""

    store_hash: str | None = None
    access_token: SecretStr | None = None  # sent as X-Auth-Token
    api_url: str = "https://api.bigcommerce.com"

    def has_credentials(self) -> bool:
        return bool(self.store_hash and self.access_token)

    def for_sandbox(self, url: str) -> Self:
        from sandboxes.bigcommerce import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH

        return self.model_copy(update={"api_url": url, "store_hash": SANDBOX_STORE_HASH,
                                       "access_token": SecretStr(SANDBOX_ACCESS_TOKEN)})


def build(settings: BigCommerceSettings, context: BuildContext) -> CartBackend:
    """The backend of the store the settings name."""
    from adapters.bigcommerce.adapter import BigCommerceBackend
    from adapters.bigcommerce.delivery import CONSIGNED_TTL

    assert settings.store_hash and settings.access_token, "built only with credentials"
    api_url, store_hash, shared = settings.api_url, settings.store_hash, context.shared
    return BigCommerceBackend(
        api_url=api_url,
        store_hash=store_hash,
        access_token=settings.access_token.get_secret_value(),
        timeout=context.timeout,
        sandbox=context.sandbox,
        transport=context.transport,
        observer=context.observer,
        shared=shared,
        # Keyed by the store, so that carts of two stores never share a variant.
        catalog=shared.cache(namespace("bigcommerce", api_url.rstrip("/"), store_hash),
                             ttl=context.catalog_cache_ttl),
        # Which carts have a consignment: shared, so every process reads them alike.
        consignments=shared.cache(
            namespace("bigcommerce-consignments", api_url.rstrip("/"), store_hash),
            ttl=CONSIGNED_TTL),
    )
