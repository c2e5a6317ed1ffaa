"""Configuration: the only place that reads the environment (and a ``.env`` file)."""

from __future__ import annotations

from copy import copy
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from adapters.bounded_answers import DEFAULT_MAX_BODY
from adapters.model import Backend
from adapters.registry import VENDORS, vendor
from adapters.vendor_setup import VendorSettings


def _vendor_fields() -> dict[str, Any]:
    """Each registered vendor's own settings as flat fields: ``bigcommerce_store_hash``,
    read from ``CARTGATE_BIGCOMMERCE_STORE_HASH``, each checked by the vendor's model.
    """
    fields: dict[str, Any] = {"__validators__": {}}
    for entry in VENDORS.values():
        model = entry.settings_model()
        for name, info in model.model_fields.items():
            flat = f"{entry.name}_{name}"
            fields[flat] = (info.annotation, copy(info))
            fields["__validators__"][f"_check_{flat}"] = field_validator(flat)(
                _checked_by(model, name))
    return fields


def _checked_by(model: type[VendorSettings], name: str) -> Any:
    """A validator running the vendor model's own checks of one of its fields."""

    def check(cls: type, value: object) -> object:
        try:
            checked = model.__pydantic_validator__.validate_assignment(
                model.model_construct(), name, value)
        except ValidationError as error:
            raise ValueError("; ".join(e["msg"].removeprefix("Value error, ")
                                       for e in error.errors())) from None
        return getattr(checked, name)

    return classmethod(check)


if TYPE_CHECKING:
    _VendorFields = BaseSettings
else:
    _VendorFields = create_model("VendorFields", __base__=BaseSettings, **_vendor_fields())


class Settings(_VendorFields):
    """Every CARTGATE_* variable; secrets stay SecretStr so they never print."""

    model_config = SettingsConfigDict(
        env_prefix="CARTGATE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

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

    @model_validator(mode="after")
    def _only_production_vendors_in_production(self) -> Self:
        if self.production:
            for entry in VENDORS.values():
                if (not entry.settings_model().for_production
                        and self.has_credentials(entry.backend)):
                    raise ValueError(
                        f"the {entry.title} vendor is for tests and demos: it cannot be "
                        "enabled with CARTGATE_ENV=production")
        return self

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

    def vendor_settings(self, backend: Backend) -> VendorSettings:
        """The vendor's own settings (``CARTGATE_<VENDOR>_*``), as its package declares
        them; UnknownVendor for a backend the registry does not list.
        """
        model = vendor(backend).settings_model()
        # Checked once, when these settings were made: no second read of a rate table.
        return model.model_construct(**self._own_fields(backend, model))

    def _own_fields(self, backend: Backend, model: type[VendorSettings]) -> dict[str, Any]:
        return {name: getattr(self, f"{backend.value}_{name}") for name in model.model_fields}

    def has_credentials(self, backend: Backend) -> bool:
        return self.vendor_settings(backend).has_credentials()

    def uses_sandbox(self, backend: Backend) -> bool:
        return self.sandbox == "auto" and not self.has_credentials(backend)

    def sandbox_url(self, backend: Backend) -> str | None:
        return self.vendor_settings(backend).sandbox_url
