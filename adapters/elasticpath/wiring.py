"""Elastic Path's own settings and how the gateway builds its backend from them."""

from __future__ import annotations

from typing import Self

from pydantic import SecretStr, field_validator

from adapters.base import CartBackend
from adapters.shared_state.state import namespace
from adapters.vendor_setup import BuildContext, VendorSettings


class ElasticPathSettings(VendorSettings):
    """``CARTGATE_ELASTICPATH_*``: one store, reached with a client_credentials grant."""

    client_id: str | None = None
    client_secret: SecretStr | None = None
    api_url: str = "https://useast.api.elasticpath.com"
    # A JSON rate table (zones by country, price per option per currency) that prices
    # Elastic Path delivery options; checked at start. None: the sandbox's own table when
    # Elastic Path is served by its sandbox, else no delivery options.
    shipping_rates: str | None = None

    @field_validator("shipping_rates")
    @classmethod
    def _readable_rate_table(cls, value: str | None) -> str | None:
        if value:
            from adapters.elasticpath.rates import load_rate_table

            load_rate_table(value)  # RateTableError (a ValueError) names what is wrong
        return value

    def has_credentials(self) -> bool:
        return bool(self.client_id and self.client_secret)

    def for_sandbox(self, url: str) -> Self:
        from sandboxes.elasticpath import (
            SANDBOX_CLIENT_ID,
            SANDBOX_CLIENT_SECRET,
            SANDBOX_SHIPPING_RATES,
        )

        return self.model_copy(update={
            "api_url": url, "client_id": SANDBOX_CLIENT_ID,
            "client_secret": SecretStr(SANDBOX_CLIENT_SECRET),
            # The operator's table wins; else the sandbox's, which prices its catalog.
            "shipping_rates": self.shipping_rates or str(SANDBOX_SHIPPING_RATES)})


def build(settings: ElasticPathSettings, context: BuildContext) -> CartBackend:
    """The backend of the store the settings name."""
    from adapters.elasticpath.adapter import ElasticPathBackend
    from adapters.elasticpath.rates import EMPTY, load_rate_table

    assert settings.client_id and settings.client_secret, "built only with credentials"
    api_url, client_id, shared = settings.api_url, settings.client_id, context.shared
    return ElasticPathBackend(
        api_url=api_url,
        client_id=client_id,
        client_secret=settings.client_secret.get_secret_value(),
        timeout=context.timeout,
        sandbox=context.sandbox,
        transport=context.transport,
        shared=shared,
        observer=context.observer,
        rates=load_rate_table(settings.shipping_rates) if settings.shipping_rates else EMPTY,
        catalog=shared.cache(namespace("elasticpath", api_url.rstrip("/"), client_id),
                             ttl=context.catalog_cache_ttl),
    )
