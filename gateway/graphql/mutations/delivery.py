"""Delivery address, delivery option, billing address and tax item mutations.

One delivery address per cart (``cartDeliveryAddressUpdate``) rather than Shopify's
``cartDeliveryAddressesAdd/Update/Remove``: both vendors price one consignment or
shipping group per cart here, so a list would promise split shipments neither is
asked to quote. ``address: null`` removes it.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from adapters import model
from adapters.errors import InvalidInput
from gateway.access.trusted_only import TRUSTED_ONLY
from gateway.graphql import ids, types
from gateway.graphql.context import gateway_context
from gateway.graphql.delivery_inputs import (
    CartAddressInput,
    CartSelectedDeliveryOptionInput,
    CartTaxItemInput,
    address_command,
    tax_item_commands,
)
from gateway.graphql.limits import input_limits as limits
from gateway.graphql.payloads import cart_payload


@strawberry.type
class DeliveryMutations:
    """Where the cart goes, how, and the taxes on it."""

    @strawberry.mutation(description="Deliver the cart to this address (null: to none); the "
                                     "vendor quotes its delivery options afresh")
    async def cart_delivery_address_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        address: CartAddressInput | None,
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            command = address_command(address, ("address",)) if address else None
            return await backend.update_delivery_address(
                native, command, expected_version=limits.version(expected_version))

        return await cart_payload(ctx, action)

    @strawberry.mutation(description="Choose a delivery option of each delivery group")
    async def cart_selected_delivery_options_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        selected_delivery_options: list[CartSelectedDeliveryOptionInput],
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            if len(selected_delivery_options) != 1:
                raise InvalidInput("a cart has one delivery group: select exactly one option",
                                   field=("selectedDeliveryOptions",))
            choice = selected_delivery_options[0]
            at = ("selectedDeliveryOptions", "0")
            group_backend, group_id = ids.decode(
                choice.delivery_group_id, "CartDeliveryGroup", field=(*at, "deliveryGroupId"))
            if group_backend is not backend.backend:
                raise InvalidInput("the delivery group belongs to a cart on another backend",
                                   field=(*at, "deliveryGroupId"))
            handle = limits.text(choice.delivery_option_handle, (*at, "deliveryOptionHandle"),
                                 maximum=limits.MAX_ID_LENGTH, what="a handle")
            return await backend.select_delivery_option(
                native, group_id, handle, expected_version=limits.version(expected_version))

        return await cart_payload(ctx, action)

    @strawberry.mutation(description="Set the address the shopper is billed at, where the "
                                     "vendor keeps one")
    async def cart_billing_address_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        billing_address: CartAddressInput,
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            command = address_command(billing_address, ("billingAddress",))
            return await backend.update_billing_address(
                native, command, expected_version=limits.version(expected_version))

        return await cart_payload(ctx, action)

    @strawberry.mutation(description="Replace every line's tax items with these: taxes the "
                                     "store's own tax service calculated (Elastic Path)",
                         directives=TRUSTED_ONLY)
    async def cart_tax_items_set(
        self,
        info: Info,
        cart_id: strawberry.ID,
        tax_items: list[CartTaxItemInput],
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            line_ids = [
                ctx.line_id(item.line_id, backend.backend, field=("taxItems", str(i), "lineId"))
                for i, item in enumerate(tax_items)
            ]
            commands = tax_item_commands(tax_items, line_ids)
            return await backend.set_tax_items(
                native, commands, expected_version=limits.version(expected_version))

        return await cart_payload(ctx, action)
