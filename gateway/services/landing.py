"""A new cart's delivery: its address, then the option named, as one step after creation.

Used where a cart is made from a CartCreateInput (cartCreate, cartCompare) and where a
cart is rebuilt on another vendor (cartTransfer). Errors name the input's fields.
"""

from __future__ import annotations

from adapters.base import CartBackend
from adapters.delivery import Address
from adapters.errors import CartgateError, InvalidInput
from adapters.model import Cart


async def land(backend: CartBackend, cart: Cart, address: Address | None,
               handle: str | None, prefix: tuple[str, ...] = ("input",)) -> Cart:
    """The cart delivered to ``address`` with option ``handle`` selected (when given)."""
    if address is None:
        return cart
    try:
        cart = await backend.update_delivery_address(cart.id, address)
    except CartgateError as error:
        error.field = (*prefix, "deliveryAddress", *(error.field or ())[1:])
        raise
    if handle is None:
        return cart
    group = cart.delivery_groups[0] if cart.delivery_groups else None
    if group is None or handle not in {option.handle for option in group.options}:
        raise InvalidInput(f"{backend.backend.value} offers no delivery option {handle!r} "
                           "to that address", field=(*prefix, "deliveryOptionHandle"))
    return await backend.select_delivery_option(cart.id, group.id, handle)
