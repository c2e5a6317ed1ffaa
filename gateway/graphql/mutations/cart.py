"""The cart mutations of the contract: one vendor call sequence each, errors as userErrors."""

from __future__ import annotations

from contextlib import suppress

import strawberry
from strawberry.types import Info

from adapters import model
from adapters.errors import CartgateError, CartNotFound
from gateway.access.trusted_only import TRUSTED_ONLY
from gateway.graphql import inputs, types
from gateway.graphql.context import gateway_context
from gateway.graphql.error_answers import user_error
from gateway.graphql.limits import input_limits as limits
from gateway.graphql.payloads import cart_payload
from gateway.services.landing import land


@strawberry.type
class CartMutations:
    """The contract's cart mutations."""

    @strawberry.mutation
    async def cart_create(self, info: Info, input: inputs.CartCreateInput) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart:
            new = inputs.new_cart_command(input, ctx.customer_tokens)
            backend = ctx.backend(input.backend, field=("input", "backend"))
            cart = await backend.create_cart(new)
            try:
                return await land(backend, cart, new.delivery_address, new.delivery_option)
            except CartgateError:
                # Creation is all or nothing: a cart that could not be delivered goes.
                with suppress(CartgateError):
                    await backend.delete_cart(cart.id)
                raise

        return await cart_payload(ctx, action)

    @strawberry.mutation
    async def cart_lines_add(
        self,
        info: Info,
        cart_id: strawberry.ID,
        lines: list[inputs.CartLineInput] | None = None,
        custom_lines: list[inputs.CustomLineInput] | None = None,
        expected_version: str | None = None,
        gift_certificates: list[inputs.GiftCertificateInput] | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            commands = inputs.line_commands(lines, ())
            customs = inputs.custom_line_commands(custom_lines, ())
            gifts = inputs.gift_certificate_commands(gift_certificates, ())
            if not commands and not customs and not gifts:
                raise inputs.InvalidInput("give at least one line, custom line or gift "
                                          "certificate", field=("lines",))
            return await backend.add_lines(native, commands, customs,
                                           expected_version=limits.version(expected_version),
                                           gift_certificates=gifts)

        return await cart_payload(ctx, action)

    @strawberry.mutation
    async def cart_lines_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        lines: list[inputs.CartLineUpdateInput],
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart | None:
            limits.line_count(lines, ("lines",))
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            line_ids = [
                ctx.line_id(line.id, backend.backend, field=("lines", str(i), "id"))
                for i, line in enumerate(lines)
            ]
            commands = inputs.update_commands(lines, line_ids)
            return await backend.update_lines(native, commands,
                                              expected_version=limits.version(expected_version))

        return await cart_payload(ctx, action)

    @strawberry.mutation
    async def cart_lines_remove(
        self,
        info: Info,
        cart_id: strawberry.ID,
        line_ids: list[strawberry.ID],
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart | None:
            limits.line_count(line_ids, ("lineIds",))
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            natives = [
                ctx.line_id(line_id, backend.backend, field=("lineIds", str(i)))
                for i, line_id in enumerate(line_ids)
            ]
            return await backend.remove_lines(native, natives,
                                              expected_version=limits.version(expected_version))

        return await cart_payload(ctx, action)

    @strawberry.mutation
    async def cart_buyer_identity_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        buyer_identity: inputs.CartBuyerIdentityInput,
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            buyer = (inputs.buyer_command(buyer_identity, ctx.customer_tokens)
                     or model.BuyerIdentity())
            return await backend.update_buyer_identity(native, buyer,
                                                       expected_version=limits.version(expected_version))

        return await cart_payload(ctx, action)

    @strawberry.mutation
    async def cart_attributes_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        attributes: inputs.CartAttributesInput,
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            command = inputs.attributes_command(attributes) or model.CartAttributes()
            return await backend.update_attributes(native, command,
                                                   expected_version=limits.version(expected_version))

        return await cart_payload(ctx, action)

    @strawberry.mutation(description="Sets the cart's discount codes: the list replaces "
                                     "every code the cart has; [] removes them all")
    async def cart_discount_codes_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        discount_codes: list[str],
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            codes = inputs.discount_code_list(discount_codes)
            return await backend.update_discount_codes(native, codes,
                                                       expected_version=limits.version(expected_version))

        return await cart_payload(ctx, action)

    @strawberry.mutation(description="Sets the cart's manual discounts: the list replaces every "
                                     "one the cart has; [] removes them all",
                         directives=TRUSTED_ONLY)
    async def cart_manual_discounts_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        discounts: list[inputs.ManualDiscountInput],
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = gateway_context(info)

        async def action() -> model.Cart:
            limits.count(discounts, ("discounts",), maximum=limits.MAX_MANUAL_DISCOUNTS,
                         what="manual discounts")
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            line_ids = [
                ctx.line_id(d.line_id, backend.backend, field=("discounts", str(i), "lineId"))
                if d.line_id is not None else None
                for i, d in enumerate(discounts)
            ]
            commands = inputs.manual_discount_commands(discounts, line_ids)
            return await backend.update_manual_discounts(
                native, commands, expected_version=limits.version(expected_version))

        return await cart_payload(ctx, action)

    @strawberry.mutation
    async def cart_delete(self, info: Info, cart_id: strawberry.ID) -> types.CartDeletePayload:
        ctx = gateway_context(info)
        try:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            await backend.delete_cart(native)
        except CartNotFound as error:
            error.field = ("cartId",)
            return types.CartDeletePayload(deleted_cart_id=None, user_errors=[user_error(error)])
        except CartgateError as error:
            return types.CartDeletePayload(deleted_cart_id=None, user_errors=[user_error(error)])
        return types.CartDeletePayload(deleted_cart_id=cart_id, user_errors=[])
