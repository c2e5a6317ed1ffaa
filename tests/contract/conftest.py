"""Every contract behaviour runs once per vendor; vendors differ only in these fixtures.

A behaviour that needs a capability one vendor lacks is marked
``@pytest.mark.capability(name)``; on that vendor the test asserts the contract's answer
for a missing capability (UNSUPPORTED_OPERATION, or the vendor's documented behaviour)
instead of being skipped.
"""

from __future__ import annotations

import pytest

from adapters.capabilities import Capability
from adapters.model import Backend
from adapters.registry import VENDORS as REGISTERED

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
