"""Every contract behaviour runs once per vendor; vendors differ only in these fixtures.

A behaviour that needs a capability one vendor lacks is marked
``@pytest.mark.capability(name)``; on that vendor the test asserts the contract's answer
for a missing capability (UNSUPPORTED_OPERATION, or the vendor's documented behaviour)
instead of being skipped. ``vendor_traffic`` shows what reached every vendor: the HTTP
vendors' requests, and the calls the in-memory vendor reports for its store operations.
Only three things are skipped, on a vendor where they cannot apply: breaking a vendor's
HTTP wire (``sandboxes``: faults, hostile answers) where there is none (the in-memory
vendor), delivery where the vendor takes no address (``test_without_delivery.py`` checks
that refusal instead), and granting manual discounts where it takes none. Every
registered vendor runs, one that is off by default too.
"""

from __future__ import annotations

from inspect import signature

import pytest

from adapters.base import CartBackend
from adapters.capabilities import Capability
from adapters.model import Backend
from adapters.registry import VENDORS as REGISTERED
from tests.support import CallRecorder, VendorTraffic

VENDORS = list(REGISTERED)

# The markers' names for the capabilities each backend publishes (adapters/capabilities.py),
# so a test's expectation follows what ``backends { capabilities }`` tells a storefront.
_MARKERS = {
    "catalog_list_price": Capability.CATALOG_LIST_PRICE,
    "cart_attributes": Capability.CART_NAME,
    "buyer_email": Capability.BUYER_EMAIL,
    "custom_line_update": Capability.CUSTOM_LINE_UPDATE,
    "cart_settings": Capability.CART_SETTINGS,
    "manual_discount_titles": Capability.MANUAL_DISCOUNT_TITLES,
    "gift_certificates": Capability.GIFT_CERTIFICATES,
    "gift_wrapping": Capability.GIFT_WRAPPING,
    "channels": Capability.CHANNELS,
}


def _markers(capabilities: frozenset[Capability]) -> frozenset[str]:
    names = {name for name, cap in _MARKERS.items() if cap in capabilities}
    if Capability.EMPTY_CART not in capabilities:
        names.add("deletes_emptied_cart")
    return frozenset(names)


CAPABILITIES: dict[Backend, frozenset[str]] = {
    backend: _markers(entry.capabilities()) for backend, entry in REGISTERED.items()
}
# The GraphQL enum's member names are the model's (gateway/graphql/types.py).
GRAPHQL_NAME = {backend: backend.name for backend in REGISTERED}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "capability(name): the behaviour depends on a vendor capability"
    )
    config.addinivalue_line(
        "markers", "delivers: the behaviour is delivery's, on a vendor that takes an address"
    )


def delivers(backend: Backend) -> bool:
    """Whether the vendor takes a delivery address: its adapter overrides the base class's
    default, which refuses one (tests/contract/test_without_delivery.py).
    """
    adapter = REGISTERED[backend].adapter_class()
    return adapter.update_delivery_address is not CartBackend.update_delivery_address


def grants_manual_discounts(backend: Backend) -> bool:
    """Whether the vendor takes manual discounts: its adapter overrides the base class's
    default, which refuses them (tests/adapters/test_memory_backend.py checks that).
    """
    adapter = REGISTERED[backend].adapter_class()
    return adapter.update_manual_discounts is not CartBackend.update_manual_discounts


@pytest.fixture(autouse=True)
def every_vendor_served(monkeypatch: pytest.MonkeyPatch) -> None:
    """A vendor that is off unless enabled (``CARTGATE_<NAME>_ENABLED``) is on here."""
    for entry in REGISTERED.values():
        if "enabled" in entry.settings_model().model_fields:
            monkeypatch.setenv(f"CARTGATE_{entry.name.upper()}_ENABLED", "true")


@pytest.fixture
def vendor_traffic(
    vendor_traffic: dict[Backend, VendorTraffic],
) -> dict[Backend, VendorTraffic]:
    """The HTTP vendors' recorded wires, and for each vendor without one (in memory) a
    recorder of the calls it reports (``tests/conftest.py`` ``record_calls``).
    """
    return {**vendor_traffic, **{entry.backend: CallRecorder() for entry in REGISTERED.values()
                                 if entry.sandbox is None}}


@pytest.fixture(autouse=True)
def skipped_where_it_cannot_apply(request: pytest.FixtureRequest) -> None:
    """A test that breaks the vendor's HTTP traffic (``sandboxes``: faults, hostile
    answers) has no wire to break on a vendor without a sandbox, a delivery test nothing
    to deliver on a vendor that takes no address, nor a manual discounts test anything to
    grant on one that takes none: skipped there. Watching the
    traffic (``vendor_traffic``) applies to every vendor: one without HTTP reports its calls.
    """
    callspec = getattr(request.node, "callspec", None)
    backend = callspec.params.get("vendor") if callspec is not None else None
    if backend is None:
        return
    entry = REGISTERED[backend]
    if entry.sandbox is None and "sandboxes" in signature(request.function).parameters:
        pytest.skip(f"{entry.title} has no HTTP wire to break (faults, hostile answers)")
    if request.node.get_closest_marker("delivers") and not delivers(backend):
        pytest.skip(f"{entry.title} takes no delivery address")
    # Granting them is the module's subject; a refusal before I/O never asks the vendor.
    if (request.node.module.__name__.endswith(".test_manual_discounts")
            and not request.node.name.split("[")[0].endswith("_before_io")
            and not grants_manual_discounts(backend)):
        pytest.skip(f"{entry.title} takes no manual discounts")


@pytest.fixture(params=VENDORS, ids=lambda b: b.value)
def vendor(request: pytest.FixtureRequest) -> Backend:
    backend: Backend = request.param
    return backend


@pytest.fixture
def supports(request: pytest.FixtureRequest, vendor: Backend) -> bool:
    """Whether the vendor has the capability the test is marked with."""
    marker = request.node.get_closest_marker("capability")
    assert marker is not None, "use `supports` only in tests marked with a capability"
    return marker.args[0] in CAPABILITIES[vendor]


@pytest.fixture
def backend_name(vendor: Backend) -> str:
    return GRAPHQL_NAME[vendor]


# A customer of each vendor's sandbox in the vendor's form: BigCommerce numbers its
# customers, Elastic Path names them by UUID, which a vendor taking any text takes too.
_CUSTOMERS = {Backend.BIGCOMMERCE: "42"}
_CUSTOMER_UUID = "b3f2b6de-8fd4-4cdf-a9d9-c5f7cecccdfe"


@pytest.fixture
def customer_id(vendor: Backend) -> str:
    return _CUSTOMERS.get(vendor, _CUSTOMER_UUID)
