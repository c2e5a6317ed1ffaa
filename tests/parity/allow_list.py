"""Where the vendors differ, on purpose: every difference the parity suite allows.

Each entry is a pattern over the flattened paths of ``tests/parity/normalize.py``, the
scenarios it applies to, and why the vendors differ there; ``capability`` names the entry
of ``backends { capabilities }`` a storefront branches on. README's "Where the vendors
differ" publishes this list; a test keeps the two the same, and an entry no scenario uses
any more fails the suite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.capabilities import Capability


@dataclass(frozen=True)
class Allowed:
    key: str
    paths: str  # a regular expression matched against the whole path
    reason: str
    scenarios: frozenset[str] | None = None  # None: every scenario
    capability: Capability | None = None

    def allows(self, scenario: str, path: str) -> bool:
        return (self.scenarios is None or scenario in self.scenarios) and bool(
            re.fullmatch(self.paths, path))


_PERCENT = frozenset({"percentage code", "stacked codes", "codes at creation", "dinar",
                      "refused code later", "empty cart with a code"})
_FIXED = frozenset({"fixed amount off the order", "stacked codes", "de-DE"})

ALLOWED = [
    # BigCommerce allocates every code to the lines it reduces (item.discounts) and rounds
    # a percentage per line; Elastic Path takes a cart-level promotion once off the
    # subtotal. So the same code leaves line totals, allocations and, by rounding, the
    # cart's totals a few minor units apart.
    Allowed(
        "coupon-allocation",
        r".*(lines\[[^]]+\]\.(discountAllocations.*|cost\.totalAmount\.\w+)"
        r"|\.discountAllocations.*|cost\.(totalAmount|totalDiscountAmount)\.(amount|formatted))",
        "BigCommerce allocates a code to the lines it reduces and rounds a percentage per "
        "line; Elastic Path takes it once off the cart's subtotal",
        scenarios=_PERCENT | _FIXED | {"amount off each of a product"},
        capability=Capability.LINE_LEVEL_COUPON_ALLOCATION),
    Allowed(
        "vendor-ids", r"create\.userErrors\[0\]\.message",
        "Product ids have each vendor's own form (numbers on BigCommerce, UUIDs on Elastic "
        "Path), and the message names the id given",
        scenarios=frozenset({"unknown product id"})),
    Allowed(
        "checkout-url", r".*checkoutUrl",
        "BigCommerce answers a hosted checkout link; Elastic Path has no hosted checkout",
        capability=Capability.CHECKOUT_URL),
    Allowed(
        "list-price", r"(create\.cart.*|create\.userErrors.*)",
        "BigCommerce lets a trusted caller override a catalog line's price; Elastic Path "
        "prices catalog items from the catalog only (UNSUPPORTED_OPERATION)",
        scenarios=frozenset({"list price override"}),
        capability=Capability.CATALOG_LIST_PRICE),
    Allowed(
        "default-locale", r".*\.locale",
        "BigCommerce gives a cart created without a locale its store's (`en`); Elastic Path "
        "keeps none (amounts are then formatted in CARTGATE_DEFAULT_LOCALE on both)"),
    Allowed(
        "emptied-cart", r"update\.(cart.*|warnings.*)",
        "Removing a cart's last line: BigCommerce deletes the cart (`cart: null`, "
        "CART_DELETED), Elastic Path keeps it empty",
        scenarios=frozenset({"last line removed"}), capability=Capability.EMPTY_CART),
    Allowed(
        "cart-settings", r".*\.(snapshotAt|deferInventoryChecks|discountSettings.*)",
        "Elastic Path carts have settings of their own (preview date, deferred stock "
        "checks, discount rules); BigCommerce carts have none, so they read null there",
        capability=Capability.CART_SETTINGS),
]


def allowed_by(scenario: str, path: str) -> Allowed | None:
    return next((a for a in ALLOWED if a.allows(scenario, path)), None)
