"""The gateway's own words for what a storefront can act on, the same on every vendor.

A vendor's wording never reaches ``CartUserError.message``: each vendor's error table
picks the typed error and a message from here, and the adapter that knows which input
was refused (a line's SKU, a discount code) words it with that input. Vendor detail is
kept on the error (``vendor_detail``) for logs, never for the storefront.
"""

from __future__ import annotations

from collections.abc import Sequence

# How a line named its product, as the GraphQL input field is called.
_NAMED_BY = {"sku": "SKU", "productId": "product id", "variantId": "variant id"}

CART_NOT_FOUND = "no such cart"
LINE_NOT_FOUND = "the cart has no such line"
VERSION_CONFLICT = "the cart changed since the version given"
NOT_ENOUGH_STOCK = "not enough stock for the quantity asked for"
NO_PRICE_IN_CURRENCY = "the item has no price in the cart's currency"
REFUSED = "the backend refused the request as invalid"
NOT_IN_CATALOG = "the catalog has no such product"
CODE_REFUSED = "the discount code does not exist or does not apply to this cart"


def not_in_catalog(named_by: str, value: str | None) -> str:
    """A line whose product the catalog does not have, named as the line named it."""
    label = _NAMED_BY.get(named_by)
    if label is None or not value:
        return NOT_IN_CATALOG
    return f"the catalog has no product with {label} {value!r}"


def code_refused(code: str) -> str:
    return f"the discount code {code!r} does not exist or does not apply to this cart"


def unsupported_currency(currency: str | None) -> str:
    return f"the store does not sell in {currency}" if currency else \
        "the store does not sell in that currency"


def needs_options(names: Sequence[str]) -> str:
    """A product that exists but cannot be added without choosing these options."""
    if not names:
        return "the product needs a variant or a value for each of its options"
    listed = ", ".join(repr(name) for name in names)
    plural = "options" if len(names) > 1 else "option"
    return f"the product needs a value for the {plural} {listed}"
