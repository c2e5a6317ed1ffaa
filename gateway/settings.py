"""Configuration: the only place that reads the environment (and a ``.env`` file)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.model import Backend


class Settings(BaseSettings):
    """Every CARTGATE_* variable; secrets stay SecretStr so they never print."""

    model_config = SettingsConfigDict(
        env_prefix="CARTGATE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    bigcommerce_store_hash: str | None = None
    bigcommerce_access_token: SecretStr | None = None
    bigcommerce_api_url: str = "https://api.bigcommerce.com"
    elasticpath_client_id: str | None = None
    elasticpath_client_secret: SecretStr | None = None
    elasticpath_api_url: str = "https://useast.api.elasticpath.com"
    default_backend: Backend = Backend.BIGCOMMERCE
    sandbox: Literal["auto", "off"] = "auto"
    backend_timeout: float = Field(default=10.0, gt=0)
    default_locale: str = "en-US"
    env: Literal["development", "production"] = "development"
    # Set by `cartgate serve` so that every worker shares one running sandbox per vendor.
    bigcommerce_sandbox_url: str | None = None
    elasticpath_sandbox_url: str | None = None

    def has_credentials(self, backend: Backend) -> bool:
        if backend is Backend.BIGCOMMERCE:
            return bool(self.bigcommerce_store_hash and self.bigcommerce_access_token)
        return bool(self.elasticpath_client_id and self.elasticpath_client_secret)

    def uses_sandbox(self, backend: Backend) -> bool:
        return self.sandbox == "auto" and not self.has_credentials(backend)

    def sandbox_url(self, backend: Backend) -> str | None:
        if backend is Backend.BIGCOMMERCE:
            return self.bigcommerce_sandbox_url
        return self.elasticpath_sandbox_url
