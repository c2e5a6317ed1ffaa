"""Every vendor the gateway fronts, and everything each one brings: one table.

Settings, backend building, the sandboxes, metrics, query cost and the test fixtures all
read ``VENDORS``; nothing else lists the vendors. Adding one is a ``Backend`` member and
one entry here, naming the vendor's own package. The table names a vendor's code by
``"module:attribute"`` strings, imported on first use: importing the registry costs
nothing and makes no cycle.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from adapters.model import Backend

if TYPE_CHECKING:
    from adapters.base import CartBackend
    from adapters.capabilities import Capability
    from adapters.vendor_setup import BuildContext, VendorSettings


def load(reference: str) -> Any:
    """The object a ``"module:attribute"`` reference names, imported now."""
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True, slots=True)
class EndpointWords:
    """The fixed words a vendor's client puts in a path; any other segment is a value
    (a store hash, a cart, item or coupon id, a discount code) and becomes ``{id}`` in
    metrics, so templates stay few whatever the ids are.
    """

    words: frozenset[str]
    # Collections whose next segment is always a value, even one that spells a word.
    value_follows: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Sandbox:
    """The vendor's simulator, served over real HTTP when the vendor has no credentials."""

    app: str  # "module:factory": the simulator's ASGI app with its default credentials
    port: int  # where `cartgate sandbox <name>` listens unless told
    faults: str  # "module:attribute": how the simulator words an injected error


@dataclass(frozen=True, slots=True)
class Vendor:
    """One vendor: its name, settings, adapter, sandbox, metric words and error style."""

    backend: Backend
    title: str  # for people: "BigCommerce"
    settings: str  # "module:class": its VendorSettings, unprefixed field names
    build: str  # "module:function": (its settings, BuildContext) -> CartBackend
    adapter: str  # "module:class": its CartBackend, which declares its capabilities
    # The words of its paths; none for a vendor reached without HTTP (in memory).
    endpoints: EndpointWords = EndpointWords(words=frozenset())
    # "module:function": a vendor's error answer -> our typed error; None without HTTP.
    errors: str | None = None
    sandbox: Sandbox | None = None  # None: the vendor needs no simulator

    @property
    def name(self) -> str:
        """Its name in ids, configuration (``CARTGATE_<NAME>_*``) and the command line."""
        return self.backend.value

    def settings_model(self) -> type[VendorSettings]:
        model: type[VendorSettings] = load(self.settings)
        return model

    def builder(self) -> Callable[[Any, BuildContext], CartBackend]:
        build: Callable[[Any, BuildContext], CartBackend] = load(self.build)
        return build

    def adapter_class(self) -> type[CartBackend]:
        adapter: type[CartBackend] = load(self.adapter)
        return adapter

    def capabilities(self) -> frozenset[Capability]:
        return self.adapter_class().capabilities


class UnknownVendor(KeyError):
    """A backend the registry has no entry for: never served as another vendor."""

    def __str__(self) -> str:
        return (f"no vendor is registered as {self.args[0]!r} in adapters/registry.py "
                f"(registered: {', '.join(v.name for v in VENDORS.values())})")


_BIGCOMMERCE = Vendor(
    backend=Backend.BIGCOMMERCE,
    title="BigCommerce",
    settings="adapters.bigcommerce.wiring:BigCommerceSettings",
    build="adapters.bigcommerce.wiring:build",
    adapter="adapters.bigcommerce.adapter:BigCommerceBackend",
    errors="adapters.bigcommerce.errors:error_for",
    endpoints=EndpointWords(
        words=frozenset({"stores", "v3", "carts", "items", "metafields", "checkouts",
                         "coupons", "discounts", "catalog", "variants"}),
        value_follows=frozenset({"stores", "carts", "items", "checkouts", "coupons",
                                 "metafields"}),
    ),
    sandbox=Sandbox(app="sandboxes.bigcommerce:create_sandbox_app", port=8100,
                    faults="sandboxes.bigcommerce.errors:ERROR_STYLE"),
)
_ELASTIC_PATH = Vendor(
    backend=Backend.ELASTIC_PATH,
    title="Elastic Path",
    settings="adapters.elasticpath.wiring:ElasticPathSettings",
    build="adapters.elasticpath.wiring:build",
    adapter="adapters.elasticpath.adapter:ElasticPathBackend",
    errors="adapters.elasticpath.errors:error_for",
    endpoints=EndpointWords(
        words=frozenset({"v2", "carts", "items", "discounts", "relationships", "customers",
                         "settings", "cart", "oauth", "access_token", "catalog",
                         "products"}),
        value_follows=frozenset({"carts", "items", "discounts"}),
    ),
    sandbox=Sandbox(app="sandboxes.elasticpath:create_sandbox_app", port=8100,
                    faults="sandboxes.elasticpath.errors:ERROR_STYLE"),
)
_MEMORY = Vendor(
    backend=Backend.MEMORY, title="In-memory", settings="adapters.memory.wiring:MemorySettings",
    build="adapters.memory.wiring:build", adapter="adapters.memory.adapter:MemoryBackend",
)

VENDORS: Mapping[Backend, Vendor] = MappingProxyType(
    {entry.backend: entry for entry in (_BIGCOMMERCE, _ELASTIC_PATH, _MEMORY)}
)


def vendor(backend: Backend | str) -> Vendor:
    """The registry's entry for a backend (or its name); UnknownVendor when none."""
    try:
        return VENDORS[Backend(backend)]
    except (KeyError, ValueError):
        raise UnknownVendor(str(backend)) from None


def with_sandbox() -> Iterator[Vendor]:
    """Each vendor that brings a simulator, in the table's order."""
    return (entry for entry in VENDORS.values() if entry.sandbox is not None)
