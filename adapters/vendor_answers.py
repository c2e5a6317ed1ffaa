"""What a vendor's cart must look like before the gateway believes it.

The mappers build a ``Cart`` from whatever JSON a vendor sent. Anything the storefront's
schema cannot carry (a text field that is an object, a quantity that is zero, negative
or beyond GraphQL's ``Int``) would otherwise surface late, while the answer is written,
as an internal error. ``checked`` refuses such a cart at the boundary with ValueError,
which each mapper turns into ``ServiceUnavailable`` like any other malformed answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sized

from adapters.errors import InvalidInput
from adapters.model import NATIVE_ID, Cart, CartLine, DiscountAllocation

# GraphQL's Int is a signed 32-bit integer: the largest quantity and totalQuantity.
MAX_INT = 2**31 - 1
# Far past any shopping cart (Elastic Path holds at most 100 unique items): a vendor
# answer with more entries is refused before one of them is mapped, so it cannot hold
# the event loop while the gateway builds it.
MAX_LINES_PER_CART = 1000
# An addition of this many items or more reads the cart first (where the vendor would
# not need it) to refuse a total past MAX_INT; a smaller one cannot get there soon.
LARGE_ADDITION = 100_000
_CART_TEXT = ("locale", "customer_id", "email", "name", "description", "checkout_url")
_LINE_TEXT = ("product_id", "variant_id", "sku", "image_url")


def _text(value: object, required: bool, what: str) -> None:
    if not (isinstance(value, str) or (value is None and not required)):
        raise ValueError(f"{what} is a {type(value).__name__}, not text")


def checked_line(line: CartLine) -> CartLine:
    """The line itself when the schema can carry every field of it; else ValueError."""
    _line(line)
    return line


def _id(value: object, what: str) -> None:
    _text(value, True, what)
    if not NATIVE_ID.fullmatch(str(value)):
        raise ValueError(f"{what} is not an id the gateway can send back")


def _line(line: CartLine) -> None:
    _id(line.id, "a line id")
    _text(line.name, True, "a line name")
    for name in _LINE_TEXT:
        _text(getattr(line, name), False, f"a line's {name}")
    for option in line.options:
        _text(option.name, True, "an option's name")
        _text(option.value, True, "an option's value")
    _discounts(line.discounts, "a line's discount")
    if line.gift_certificate is not None:
        _text(line.gift_certificate.theme, True, "a gift certificate's theme")
        _text(line.gift_certificate.message, False, "a gift certificate's message")
    quantity = line.quantity
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not (
        1 <= quantity <= MAX_INT
    ):
        raise ValueError(f"a line quantity of {quantity!r} is not from 1 to {MAX_INT}")


def checked(cart: Cart) -> Cart:
    """The cart itself when the schema can carry every field of it; else ValueError."""
    _cart_text(cart)
    for line in cart.lines:
        _line(line)
    return _total(cart)


def checked_without_lines(cart: Cart) -> Cart:
    """``checked`` for a cart whose every line went through ``checked_line`` (a mapper
    that checks each line as it builds it, once, and reuses it unchanged).
    """
    _cart_text(cart)
    return _total(cart)


def _cart_text(cart: Cart) -> None:
    _id(cart.id, "the cart id")
    _text(cart.version, True, "the cart version")
    for name in _CART_TEXT:
        _text(getattr(cart, name), False, f"the cart's {name}")
    for code in cart.discount_codes:
        _text(code.code, True, "a discount code")
    _discounts(cart.discounts, "a cart discount")


def _discounts(allocations: Iterable[DiscountAllocation], what: str) -> None:
    for allocation in allocations:
        _text(allocation.code, False, f"{what}'s code")
        _text(allocation.title, False, f"{what}'s title")


def _total(cart: Cart) -> Cart:
    if cart.total_quantity > MAX_INT:
        raise ValueError(f"the cart holds more than {MAX_INT} items")
    return cart


def ensure_room(cart: Cart, added: Iterable[int], field: tuple[str, ...]) -> None:
    """Refuse, before any write, an addition that would take the cart past ``MAX_INT``
    items: the vendor would keep it, and no answer could show the cart again.
    """
    if cart.total_quantity + sum(added) > MAX_INT:
        raise InvalidInput(f"a cart holds at most {MAX_INT} items", field=field)


def few_enough(entries: Sized) -> None:
    """ValueError for a cart answer with more than ``MAX_LINES_PER_CART`` entries."""
    if len(entries) > MAX_LINES_PER_CART:
        raise ValueError(f"a cart of more than {MAX_LINES_PER_CART} lines")
