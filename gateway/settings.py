"""Configuration: the only place that reads the environment (and a ``.env`` file)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from adapters.bounded_answers import DEFAULT_MAX_BODY
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
    # A JSON rate table (zones by country, price per option per currency) that prices
    # Elastic Path delivery options; checked at start. None: the sandbox's own table when
    # Elastic Path is served by its sandbox, else no delivery options.
    elasticpath_shipping_rates: str | None = None
    default_backend: Backend = Backend.BIGCOMMERCE
    sandbox: Literal["auto", "off"] = "auto"
    backend_timeout: float = Field(default=10.0, gt=0)
    default_locale: str = "en-US"
    env: Literal["development", "production"] = "development"
    # Origins allowed to call the gateway from a browser; none means no CORS headers.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Several gateway processes share locks, tokens and idempotency records here; a URL
    # may carry a password, so it is a secret too. None: each process keeps its own.
    redis_url: SecretStr | None = None
    idempotency_ttl: float = Field(default=24 * 3600.0, gt=0)
    # None: three backend timeouts, the longest gap between two writes of one change
    # (a read with its retries, then a write), after which a crashed holder's lock expires.
    cart_lock_ttl: float | None = Field(default=None, gt=0)
    # How long a write waits for a cart another process holds before SERVICE_UNAVAILABLE;
    # by default long enough to outlast a crashed holder's lock.
    cart_lock_wait: float | None = Field(default=None, gt=0)
    # Seconds an idle client connection stays open. Longer than the idle timeout of the
    # clients and proxies in front (nginx 60 s, httpx 5 s), so that the gateway never
    # closes a connection at the instant a client reuses it.
    keep_alive_timeout: int = Field(default=75, gt=0)
    # Seconds a client has to send a request's headers, then its body, before the
    # connection is closed (408 for a body): slow senders cannot hold connections open.
    client_header_timeout: float = Field(default=10.0, gt=0)
    client_body_timeout: float = Field(default=10.0, gt=0)
    # Connections and requests `cartgate serve` handles at once; past it, 503.
    max_connections: int = Field(default=1000, gt=0)
    # Bytes of one vendor answer the gateway reads, after decompression; more is
    # SERVICE_UNAVAILABLE, refused while it streams in.
    vendor_max_body: int = Field(default=DEFAULT_MAX_BODY, ge=64 * 1024)
    # Seconds a catalog fact (the variant a SKU names) is remembered, saving a vendor call
    # per add-to-cart; 0 asks the vendor every time.
    catalog_cache_ttl: float = Field(default=300.0, ge=0)
    # False: every operation takes graphql-core's executor and nothing built is remembered
    # (gateway/graphql/fastpath/README.md); the answers are the same, only slower.
    fast_path: bool = True
    # Set by `cartgate serve` so that every worker shares one running sandbox per vendor.
    bigcommerce_sandbox_url: str | None = None
    elasticpath_sandbox_url: str | None = None
    # None: JSON lines in production, text otherwise.
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Bearer tokens of trusted server callers (comma-separated); secrets, never printed.
    server_tokens: SecretStr | None = None
    # HS256 secret verifying storefront customer tokens (JWT); None refuses every token.
    customer_token_secret: SecretStr | None = None
    # Checked only when set: the JWT's ``aud`` and ``iss`` claims.
    customer_token_audience: str | None = None
    customer_token_issuer: str | None = None
    # A JSON manifest {sha256 hex: document}: storefront callers run only these.
    trusted_documents: str | None = None
    # Peers whose X-Forwarded-For is believed (addresses or CIDR ranges, comma-separated).
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Vendor calls per second a caller may cause; 0 turns that limit off.
    storefront_calls_per_second: float = Field(default=20.0, ge=0)
    cart_calls_per_second: float = Field(default=10.0, ge=0)
    server_calls_per_second: float = Field(default=1000.0, ge=0)
    # Seconds of calls a quiet caller may spend at once (the bucket's size).
    rate_limit_burst: float = Field(default=5.0, gt=0)
    otel_enabled: bool = False
    otel_service_name: str = "cartgate"
    # OpenTelemetry's own variable, read here like every other: where OTLP/HTTP spans go.
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT",
                                      "otel_exporter_otlp_endpoint"),
    )

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("elasticpath_shipping_rates")
    @classmethod
    def _readable_rate_table(cls, value: str | None) -> str | None:
        if value:
            from adapters.elasticpath.rates import load_rate_table

            load_rate_table(value)  # RateTableError (a ValueError) names what is wrong
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def server_token_list(self) -> list[str]:
        """Each configured server token (revealed only for the caller check)."""
        if self.server_tokens is None:
            return []
        raw = self.server_tokens.get_secret_value()
        return [token.strip() for token in raw.split(",") if token.strip()]

    @property
    def everyone_trusted(self) -> bool:
        """Development without server tokens: every caller is trusted."""
        return not self.production and not self.server_token_list

    @property
    def effective_log_format(self) -> Literal["json", "text"]:
        return self.log_format or ("json" if self.production else "text")

    @property
    def lock_ttl(self) -> float:
        return self.cart_lock_ttl or 3 * self.backend_timeout

    @property
    def lock_wait(self) -> float:
        return self.cart_lock_wait or self.lock_ttl + max(1.0, self.lock_ttl / 2)

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
