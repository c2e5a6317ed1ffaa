"""Query and Mutation; the Schema is built once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.types import ExecutionContext, Info
from strawberry.utils.logging import StrawberryLogger

from adapters import model
from adapters.errors import CartgateError, CartNotFound
from gateway import inputs, types
from gateway.context import GatewayContext
from gateway.errors import log, query_error, user_error

READY_TIMEOUT = 3.0


def _ctx(info: Info) -> GatewayContext:
    context: GatewayContext = info.context["gateway"]
    return context


def _warnings(cart: model.Cart | None, *, deleted_ok: bool) -> list[types.CartWarning]:
    warnings = []
    if cart is None and deleted_ok:
        warnings.append(types.CartWarning(
            code=types.CartWarningCode.CART_DELETED,
            message="the backend deleted the cart when its last line was removed",
        ))
    for code in cart.discount_codes if cart else ():
        if not code.applicable:
            warnings.append(types.CartWarning(
                code=types.CartWarningCode.DISCOUNT_NOT_APPLICABLE,
                message=f"the discount code {code.code} does not apply to this cart",
            ))
    return warnings


async def _payload(
    ctx: GatewayContext, action: Callable[[], Awaitable[model.Cart | None]]
) -> types.CartPayload:
    """Run one cart mutation; domain errors become userErrors, never exceptions."""
    try:
        cart = await action()
    except CartgateError as error:
        # A conflict, or a change that failed part-way, shows the cart as it is now.
        current = types.cart(error.current, ctx.default_locale) if error.current else None
        return types.CartPayload(cart=current, user_errors=[user_error(error)], warnings=[])
    return types.CartPayload(
        cart=types.cart(cart, ctx.default_locale) if cart else None,
        user_errors=[],
        warnings=_warnings(cart, deleted_ok=True),
    )


@strawberry.type
class Query:
    @strawberry.field(description="The cart, or null when it does not exist")
    async def cart(self, info: Info, id: strawberry.ID) -> types.Cart | None:
        ctx = _ctx(info)
        try:
            backend, native = ctx.cart_backend(id, field=("id",))
            found = await backend.get_cart(native)
        except CartgateError as error:
            raise query_error(error) from None
        return types.cart(found, ctx.default_locale) if found else None

    @strawberry.field(description="Every enabled backend and whether it answers now")
    async def backends(self, info: Info) -> list[types.BackendInfo]:
        ctx = _ctx(info)

        async def ready(backend: model.Backend) -> bool:
            try:
                await asyncio.wait_for(ctx.backends[backend].ping(), READY_TIMEOUT)
            except (CartgateError, TimeoutError):
                return False
            return True

        order = sorted(ctx.backends, key=list(model.Backend).index)
        answers = await asyncio.gather(*(ready(b) for b in order))
        return [
            types.BackendInfo(backend=b, sandbox=ctx.backends[b].sandbox, ready=ok)
            for b, ok in zip(order, answers, strict=True)
        ]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def cart_create(self, info: Info, input: inputs.CartCreateInput) -> types.CartPayload:
        ctx = _ctx(info)

        async def action() -> model.Cart:
            new = inputs.new_cart_command(input)
            backend = ctx.backend(input.backend, field=("input", "backend"))
            return await backend.create_cart(new)

        return await _payload(ctx, action)

    @strawberry.mutation
    async def cart_lines_add(
        self,
        info: Info,
        cart_id: strawberry.ID,
        lines: list[inputs.CartLineInput] | None = None,
        custom_lines: list[inputs.CustomLineInput] | None = None,
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = _ctx(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            commands = inputs.line_commands(lines, ())
            customs = inputs.custom_line_commands(custom_lines, ())
            if not commands and not customs:
                raise inputs.InvalidInput("give at least one line or custom line",
                                          field=("lines",))
            return await backend.add_lines(native, commands, customs,
                                           expected_version=expected_version)

        return await _payload(ctx, action)

    @strawberry.mutation
    async def cart_lines_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        lines: list[inputs.CartLineUpdateInput],
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = _ctx(info)

        async def action() -> model.Cart | None:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            line_ids = [
                ctx.line_id(line.id, backend.backend, field=("lines", str(i), "id"))
                for i, line in enumerate(lines)
            ]
            commands = inputs.update_commands(lines, line_ids)
            return await backend.update_lines(native, commands, expected_version=expected_version)

        return await _payload(ctx, action)

    @strawberry.mutation
    async def cart_lines_remove(
        self,
        info: Info,
        cart_id: strawberry.ID,
        line_ids: list[strawberry.ID],
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = _ctx(info)

        async def action() -> model.Cart | None:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            if len(line_ids) > inputs.MAX_LINES_PER_MUTATION:
                raise inputs.InvalidInput("too many lines", field=("lineIds",))
            natives = [
                ctx.line_id(line_id, backend.backend, field=("lineIds", str(i)))
                for i, line_id in enumerate(line_ids)
            ]
            return await backend.remove_lines(native, natives, expected_version=expected_version)

        return await _payload(ctx, action)

    @strawberry.mutation
    async def cart_buyer_identity_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        buyer_identity: inputs.CartBuyerIdentityInput,
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = _ctx(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            buyer = inputs.buyer_command(buyer_identity) or model.BuyerIdentity()
            return await backend.update_buyer_identity(native, buyer,
                                                       expected_version=expected_version)

        return await _payload(ctx, action)

    @strawberry.mutation
    async def cart_attributes_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        attributes: inputs.CartAttributesInput,
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = _ctx(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            command = inputs.attributes_command(attributes) or model.CartAttributes()
            return await backend.update_attributes(native, command,
                                                   expected_version=expected_version)

        return await _payload(ctx, action)

    @strawberry.mutation
    async def cart_discount_codes_update(
        self,
        info: Info,
        cart_id: strawberry.ID,
        discount_codes: list[str],
        expected_version: str | None = None,
    ) -> types.CartPayload:
        ctx = _ctx(info)

        async def action() -> model.Cart:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            codes = inputs.discount_code_list(discount_codes)
            return await backend.update_discount_codes(native, codes,
                                                       expected_version=expected_version)

        return await _payload(ctx, action)

    @strawberry.mutation
    async def cart_delete(self, info: Info, cart_id: strawberry.ID) -> types.CartDeletePayload:
        ctx = _ctx(info)
        try:
            backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            await backend.delete_cart(native)
        except CartNotFound as error:
            error.field = ("cartId",)
            return types.CartDeletePayload(deleted_cart_id=None, user_errors=[user_error(error)])
        except CartgateError as error:
            return types.CartDeletePayload(deleted_cart_id=None, user_errors=[user_error(error)])
        return types.CartDeletePayload(deleted_cart_id=cart_id, user_errors=[])


def _is_unexpected(error: Exception) -> bool:
    # Errors we raised on purpose carry a contract code; anything else is masked.
    if not isinstance(error, GraphQLError):
        return True
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class GatewaySchema(strawberry.Schema):
    """Logs only what is unexpected: a coded error is an answer, not an incident."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if _is_unexpected(error):
                StrawberryLogger.error(error, execution_context)
            else:
                log.debug("answered with a GraphQL error: %s", error.message)


def build_schema() -> strawberry.Schema:
    """The one Schema of the gateway."""
    return GatewaySchema(
        query=Query,
        mutation=Mutation,
        extensions=[partial(MaskErrors, should_mask_error=_is_unexpected,
                            error_message="Internal error in the gateway")],
    )
