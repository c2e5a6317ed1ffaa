"""Delivery, tax and billing on BigCommerce: checkout consignments and the billing address.

A cart read stays one call: the Carts API knows nothing of delivery, so a cart the
gateway gave a consignment is read from its checkout instead (one call too, carrying
the cart, consignments, taxes and grand total). Which carts have one is kept in a JSON
cache: this process's own, or Redis shared by every process when configured, for as
long as BigCommerce keeps an untouched cart (30 days).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from adapters.base import at_version
from adapters.bigcommerce.bodies import native_version, put_version
from adapters.bigcommerce.checkout_mapping import address_body, checkout_to_cart
from adapters.bigcommerce.client import BigCommerceClient
from adapters.delivery import Address, DeliveryGroup
from adapters.errors import InvalidInput, VersionConflict
from adapters.model import Cart, LineKind
from adapters.shared_state.json_cache import JsonCache, LocalJsonCache

# BigCommerce deletes a cart 30 days after its last change.
CONSIGNED_TTL = 30 * 24 * 3600.0


class ConsignedCarts:
    """Which carts have a consignment, with each one's locale (a checkout states none), in
    a JSON cache (in process, or Redis). Locales of carts the Carts API answered with are
    kept in process until a cart gets its consignment.
    """

    def __init__(self, cache: JsonCache | None = None, kept: int = 10_000) -> None:
        self._cache = cache if cache is not None else LocalJsonCache(ttl=CONSIGNED_TTL)
        self._locales: OrderedDict[str, str | None] = OrderedDict()
        self._kept = kept

    def saw(self, cart: Cart) -> None:
        """A cart as the Carts API answered with it: its locale is remembered."""
        self._locales[cart.id] = cart.locale
        self._locales.move_to_end(cart.id)
        while len(self._locales) > self._kept:
            self._locales.popitem(last=False)

    async def entry(self, cart_id: str) -> dict[str, Any] | None:
        """What is kept of a cart with a consignment; None for any other cart."""
        found = await self._cache.get(cart_id)
        return found if isinstance(found, dict) else None

    async def locale(self, cart_id: str) -> str | None:
        entry = await self.entry(cart_id)
        locale = entry.get("locale") if entry is not None else None
        return locale if isinstance(locale, str) else self._locales.get(cart_id)

    async def note(self, cart: Cart) -> None:
        """Remember the cart when it has a delivery group, forget it when not."""
        if cart.delivery_groups:
            await self._cache.put(cart.id, {"locale": cart.locale or
                                            self._locales.get(cart.id)})
        else:
            await self._cache.evict(cart.id)


class BigCommerceDelivery:
    """The delivery half of BigCommerceBackend."""

    _client: BigCommerceClient
    _consigned: ConsignedCarts

    async def _checkout(self, cart_id: str, expected_version: str | None) -> Cart:
        """The cart read through its checkout, version checked (VersionConflict carries it)."""
        cart = checkout_to_cart(await self._client.get_checkout(cart_id),
                                await self._consigned.locale(cart_id))
        await self._consigned.note(cart)
        return at_version(cart, expected_version)

    async def _changed(self, cart_id: str, call: Any) -> Cart:
        """The cart after a checkout write; a conflict carries the cart as it is now."""
        locale = await self._consigned.locale(cart_id)
        try:
            cart = checkout_to_cart(await call, locale)
        except VersionConflict as error:
            error.current = checkout_to_cart(await self._client.get_checkout(cart_id), locale)
            raise
        await self._consigned.note(cart)
        return cart

    async def update_delivery_address(
        self, cart_id: str, address: Address | None, *, expected_version: str | None = None
    ) -> Cart:
        cart = await self._checkout(cart_id, expected_version)
        version = native_version(cart)
        group = cart.delivery_groups[0] if cart.delivery_groups else None
        if address is None:
            if group is None:
                return cart
            return await self._changed(cart_id, self._client.delete_consignment(
                cart_id, group.id, put_version({}, version)))
        email = address.email or cart.email
        if not email:
            raise InvalidInput("BigCommerce needs an email with a delivery address",
                               field=("address", "email"))
        physical = [line for line in cart.lines if line.kind is LineKind.PHYSICAL]
        if not physical:
            raise InvalidInput("the cart has no physical line to deliver", field=("address",))
        body: dict[str, Any] = {
            "address": address_body(address, email),
            "line_items": [{"item_id": line.id, "quantity": line.quantity} for line in physical],
        }
        if group is None:
            return await self._changed(cart_id, self._client.add_consignments(
                cart_id, [put_version(body, version)]))
        return await self._changed(cart_id, self._client.update_consignment(
            cart_id, group.id, put_version(body, version)))

    async def select_delivery_option(
        self, cart_id: str, group_id: str, handle: str, *, expected_version: str | None = None
    ) -> Cart:
        cart = await self._checkout(cart_id, expected_version)
        group = _group(cart, group_id)
        if handle not in {option.handle for option in group.options}:
            raise InvalidInput("no such delivery option for this delivery group",
                               field=("selectedDeliveryOptions", "0", "deliveryOptionHandle"))
        body = put_version({"shipping_option_id": handle}, native_version(cart))
        return await self._changed(
            cart_id, self._client.update_consignment(cart_id, group.id, body))

    async def update_billing_address(
        self, cart_id: str, address: Address, *, expected_version: str | None = None
    ) -> Cart:
        cart = await self._checkout(cart_id, expected_version)
        email = address.email or cart.email
        if not email:
            raise InvalidInput("BigCommerce needs an email with a billing address",
                               field=("billingAddress", "email"))
        body = {k: v for k, v in address_body(address, email).items()
                if k not in ("state_or_province",) or v}
        return await self._changed(cart_id, self._client.set_billing_address(
            cart_id, put_version(body, native_version(cart))))


def _group(cart: Cart, group_id: str) -> DeliveryGroup:
    group = next((g for g in cart.delivery_groups if g.id == group_id), None)
    if group is None:
        raise InvalidInput("the cart has no such delivery group",
                           field=("selectedDeliveryOptions", "0", "deliveryGroupId"))
    return group
