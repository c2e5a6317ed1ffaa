"""cartTransfer: rebuild a cart on another vendor by SKU, and say what could not be carried."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.base import CartBackend
from adapters.errors import (
    CartgateError,
    CartNotFound,
    CartUserError,
    InvalidDiscountCode,
    InvalidInput,
    MerchandiseNotFound,
)
from adapters.model import (
    BuyerIdentity,
    Cart,
    CartAttributes,
    CartLine,
    CustomLineToAdd,
    LineKind,
    LineToAdd,
    NewCart,
)


@dataclass
class Carried:
    """What a rebuild produced, and what it left behind."""

    cart: Cart | None = None
    source: Cart | None = None
    unmatched: list[CartLine] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    refused_codes: list[str] = field(default_factory=list)
    # The source changed while it was carried, so it was kept instead of deleted.
    source_changed: bool = False

    @property
    def complete(self) -> bool:
        return (self.cart is not None and not self.unmatched and not self.not_carried
                and not self.refused_codes)


@dataclass(frozen=True)
class _Plan:
    lines: list[tuple[CartLine, LineToAdd]]
    custom: list[tuple[CartLine, CustomLineToAdd]]


def _plan(source: Cart, result: Carried) -> _Plan:
    lines: list[tuple[CartLine, LineToAdd]] = []
    custom: list[tuple[CartLine, CustomLineToAdd]] = []
    for line in source.lines:
        if line.added_by_promotion:
            continue  # the target's own promotions add such lines again
        if line.kind is LineKind.CUSTOM:
            unit = line.cost.subtotal.amount / line.quantity
            custom.append((line, CustomLineToAdd(name=line.name, quantity=line.quantity,
                                                 list_price=unit, sku=line.sku)))
        elif line.kind is not LineKind.GIFT_CERTIFICATE and line.sku:
            lines.append((line, LineToAdd(quantity=line.quantity, sku=line.sku)))
        else:
            result.unmatched.append(line)
    return _Plan(lines=lines, custom=custom)


def _unmatched_index(error: MerchandiseNotFound) -> int | None:
    field_path = error.field or ()
    if "lines" in field_path:
        position = field_path.index("lines") + 1
        if position < len(field_path) and field_path[position].isdigit():
            return int(field_path[position])
    return None


async def rebuild(source: Cart, target: CartBackend) -> Carried:
    """Create ``source`` again on ``target``: lines by SKU, custom lines, buyer, codes."""
    result = Carried(source=source)
    plan = _plan(source, result)
    attributes = CartAttributes(name=source.name, description=source.description)
    new = NewCart(currency=source.currency, locale=source.locale,
                  attributes=attributes if source.name or source.description else None)
    # A SKU the target does not sell is dropped and the creation tried again.
    while True:
        try:
            result.cart = await target.create_cart(
                NewCart(currency=new.currency, locale=new.locale, attributes=new.attributes,
                        lines=tuple(command for _, command in plan.lines),
                        custom_lines=tuple(command for _, command in plan.custom))
            )
            break
        except MerchandiseNotFound as error:
            index = _unmatched_index(error)
            if index is None or index >= len(plan.lines):
                raise
            result.unmatched.append(plan.lines.pop(index)[0])
        except CartUserError as error:
            if new.attributes is None or "attributes" not in (error.field or ()):
                raise
            result.not_carried.extend(f"attributes.{name}" for name, value in
                                      (("name", source.name),
                                       ("description", source.description)) if value)
            new = NewCart(currency=new.currency, locale=new.locale)
    assert result.cart is not None
    await _carry_buyer(source, target, result)
    await _carry_codes(source, target, result)
    await _carry_delivery(source, target, result)
    return result


async def _carry_delivery(source: Cart, target: CartBackend, result: Carried) -> None:
    """The delivery address, and the option selected there when the target offers it."""
    assert result.cart is not None
    for group in source.delivery_groups[:1]:
        try:
            result.cart = await target.update_delivery_address(result.cart.id, group.address)
        except CartUserError:
            result.not_carried.append("deliveryAddress")
            return
        if group.selected is None:
            return
        try:
            quoted = result.cart.delivery_groups[:1]
            if not quoted or group.selected.handle not in {o.handle for o in quoted[0].options}:
                raise InvalidInput("not offered", field=("selectedDeliveryOption",))
            result.cart = await target.select_delivery_option(
                result.cart.id, quoted[0].id, group.selected.handle)
        except CartUserError:
            result.not_carried.append("selectedDeliveryOption")


async def _carry_buyer(source: Cart, target: CartBackend, result: Carried) -> None:
    assert result.cart is not None
    for name, buyer in (("email", BuyerIdentity(email=source.email)),
                        ("customerId", BuyerIdentity(customer_id=source.customer_id))):
        if buyer == BuyerIdentity():
            continue
        try:
            result.cart = await target.update_buyer_identity(result.cart.id, buyer)
        except CartUserError:
            result.not_carried.append(f"buyerIdentity.{name}")


async def _carry_codes(source: Cart, target: CartBackend, result: Carried) -> None:
    assert result.cart is not None
    accepted: list[str] = []
    for code in (c.code for c in source.discount_codes):
        try:
            result.cart = await target.update_discount_codes(result.cart.id, [*accepted, code])
        except InvalidDiscountCode:
            result.refused_codes.append(code)
            continue
        accepted.append(code)


async def transfer(source_backend: CartBackend, source_id: str, target: CartBackend,
                   *, delete_source: bool) -> tuple[Cart | None, Carried]:
    """(the source cart, or None when it was deleted; what the target now holds)."""
    source = await source_backend.get_cart(source_id)
    if source is None:
        raise CartNotFound("no such cart", field=("cartId",))
    carried = await rebuild(source, target)
    if delete_source and carried.complete:
        # Deleted only while it is exactly what was carried: a write that landed in the
        # meantime (a line added by another tab) stays on the source.
        try:
            kept = await source_backend.delete_cart_if_at(source_id, source.version)
        except CartgateError:
            return source, carried
        if kept is not None:
            carried.source_changed = True
        return kept, carried
    return source, carried
