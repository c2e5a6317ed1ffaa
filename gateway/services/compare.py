"""cartCompare: price one cart on several vendors and list every difference by path."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from adapters.base import CartBackend
from adapters.errors import CartgateError, InvalidDiscountCode
from adapters.model import Backend, Cart, CartLine, NewCart
from adapters.money import Money
from gateway.services.landing import land


@dataclass
class Priced:
    """One vendor's answer: the priced cart (already deleted there) and its errors."""

    backend: Backend
    cart: Cart | None = None
    errors: list[CartgateError] = field(default_factory=list)


@dataclass(frozen=True)
class Difference:
    """One path where the priced carts disagree, with each vendor's value there."""

    path: str
    values: dict[Backend, str | None]


def _amount(money: Money | None) -> str | None:
    return None if money is None else str(money.amount)


def _line_key(line: CartLine) -> str:
    return f"lines[sku={line.sku}]" if line.sku else f"lines[name={line.name}]"


def flatten(cart: Cart) -> dict[str, str | None]:
    """Every comparable value of a cart, by path."""
    values: dict[str, str | None] = {
        "currencyCode": cart.currency,
        "totalQuantity": str(cart.total_quantity),
        "taxIncluded": str(cart.tax_included).lower(),
        "cost.subtotalAmount": _amount(cart.cost.subtotal),
        "cost.totalDiscountAmount": _amount(cart.cost.total_discount),
        "cost.totalShippingAmount": _amount(cart.cost.total_shipping),
        "cost.totalTaxAmount": _amount(cart.cost.total_tax),
        "cost.totalAmount": _amount(cart.cost.total),
    }
    for line in cart.lines:
        key = _line_key(line)
        values[f"{key}.kind"] = line.kind.value
        values[f"{key}.quantity"] = str(line.quantity)
        values[f"{key}.cost.amountPerQuantity"] = _amount(line.cost.amount_per_quantity)
        values[f"{key}.cost.subtotalAmount"] = _amount(line.cost.subtotal)
        values[f"{key}.cost.totalAmount"] = _amount(line.cost.total)
        discount = sum((a.amount.amount for a in line.discounts), start=0)
        values[f"{key}.discountAllocations.total"] = str(
            Money.of(discount, cart.currency).amount
        )
    for code in cart.discount_codes:
        values[f"discountCodes[{code.code}].applicable"] = str(code.applicable).lower()
    for allocation in cart.discounts:
        name = allocation.code or allocation.title or allocation.kind.value
        values[f"discountAllocations[{name}].discountedAmount"] = _amount(allocation.amount)
    return values


def differences(priced: Sequence[Priced]) -> list[Difference]:
    """The paths whose values are not the same on every vendor that priced the cart."""
    flat = {p.backend: flatten(p.cart) for p in priced if p.cart is not None}
    if len(flat) < 2:
        return []
    paths: dict[str, None] = {}
    for values in flat.values():
        paths.update(dict.fromkeys(values))
    result = []
    for path in paths:
        seen = {backend: values.get(path) for backend, values in flat.items()}
        if len(set(seen.values())) > 1:
            result.append(Difference(path=path, values=seen))
    return result


async def _price(backend: CartBackend, new: NewCart) -> Priced:
    result = Priced(backend=backend.backend)
    cart: Cart | None = None
    try:
        cart = await backend.create_cart(replace(new, discount_codes=()))
        accepted: list[str] = []
        for index, code in enumerate(new.discount_codes):
            try:
                cart = await backend.update_discount_codes(cart.id, [*accepted, code])
                accepted.append(code)
            except InvalidDiscountCode as error:
                error.field = ("input", "discountCodes", str(index))
                result.errors.append(error)
        result.cart = cart
        try:
            # The landed total: shipping and tax once the cart has an address and option.
            result.cart = cart = await land(backend, cart, new.delivery_address,
                                            new.delivery_option)
        except CartgateError as error:
            result.errors.append(error)
    except CartgateError as error:
        result.errors.append(error)
    finally:
        # The cart was only ever a price quote: it goes, whatever happened above.
        if cart is not None:
            await asyncio.shield(_delete_quietly(backend, cart.id))
    return result


async def _delete_quietly(backend: CartBackend, cart_id: str) -> None:
    try:
        await backend.delete_cart(cart_id)
    except CartgateError:
        pass


async def compare(backends: Sequence[CartBackend], new: NewCart) -> list[Priced]:
    """The cart priced on each backend, with temporary carts deleted afterwards."""
    return list(await asyncio.gather(*(_price(backend, new) for backend in backends)))
