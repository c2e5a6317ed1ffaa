"""How long each string and list argument may be: refused as INVALID before any vendor call.

Where a vendor's spec states a limit the gateway uses it; elsewhere the cap is documented
here and far above what a real storefront sends.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.errors import InvalidInput
from adapters.request_budget import charge_lines

Path = tuple[str, ...]

MAX_LINES_PER_MUTATION = 250
# Neither vendor's spec caps a quantity; a million of one item is no shopping cart.
MAX_QUANTITY = 1_000_000
# Native ids go into vendor URLs (see gateway.graphql.ids): BigCommerce ids are integers,
# Elastic Path ids UUIDs, so 128 characters leave room for both.
MAX_ID_LENGTH = 128
# The BigCommerce catalog's limit for a SKU.
MAX_SKU_LENGTH = 255
# BigCommerce custom items: a name of 1 to 250 characters (carts.v3.yml).
MAX_CUSTOM_NAME_LENGTH = 250
MAX_OPTIONS_PER_LINE = 50
MAX_OPTION_VALUE_LENGTH = 255
# RFC 5321: a forward path holds at most 256 octets, brackets included.
MAX_EMAIL_LENGTH = 254
# Elastic Path: a cart name (and description) of 1 to 255 characters (cart_checkout.yaml).
MAX_CART_TEXT_LENGTH = 255
# RFC 5646 section 4.4.1: language tags of up to 35 characters must be supported.
MAX_LOCALE_LENGTH = 35
MAX_VERSION_LENGTH = 128
# A unit price of a billion in the currency's major units: no real line costs more, and
# every vendor amount the gateway computes from it stays far inside Decimal's context.
MAX_PRICE = 1_000_000_000
# Cart attributes: BigCommerce metafield keys have 1 to 64 characters (carts.v3.yml);
# Elastic Path keeps at most 20 custom_attributes a cart, three of which the gateway
# reserves (the locale, an empty cart's currency and the note).
MAX_ATTRIBUTES = 17
MAX_ATTRIBUTE_KEY_LENGTH = 64
MAX_ATTRIBUTE_VALUE_LENGTH = 1000
MAX_NOTE_LENGTH = 5000
# BigCommerce keeps a gift certificate's message to 200 characters.
MAX_GIFT_MESSAGE_LENGTH = 200
MAX_DISCOUNT_CODES = 20
# Elastic Path keeps at most 5 custom discounts per cart and per item.
MAX_MANUAL_DISCOUNTS = 5
MAX_GIFT_WRAP_MESSAGES = 50
# BigCommerce's limit for a coupon code.
MAX_CODE_LENGTH = 50


def text(value: str, field: Path, *, maximum: int, what: str) -> str:
    """``value`` when it has at most ``maximum`` characters."""
    if len(value) > maximum:
        raise InvalidInput(f"{what} has at most {maximum} characters", field=field)
    return value


def optional_text(value: str | None, field: Path, *, maximum: int, what: str) -> str | None:
    return None if value is None else text(value, field, maximum=maximum, what=what)


def count(items: Sequence[object] | None, field: Path, *, maximum: int, what: str) -> None:
    """Refuses a list argument with more than ``maximum`` items."""
    if items is not None and len(items) > maximum:
        raise InvalidInput(f"at most {maximum} {what} per mutation", field=field)


def line_count(items: Sequence[object] | None, field: Path) -> None:
    """Refuses more than MAX_LINES_PER_MUTATION lines, line ids or custom lines, and
    charges them to the request's budget (``adapters.request_budget``).
    """
    count(items, field, maximum=MAX_LINES_PER_MUTATION, what="lines")
    if items:
        charge_lines(len(items), field)


def version(value: str | None) -> str | None:
    """An ``expectedVersion`` argument of a plausible length."""
    return optional_text(value, ("expectedVersion",), maximum=MAX_VERSION_LENGTH,
                         what="a version")
