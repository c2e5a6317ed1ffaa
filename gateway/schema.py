"""Query and Mutation; the Schema is built once."""

from __future__ import annotations

import asyncio
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.types import ExecutionContext, Info
from strawberry.utils.logging import StrawberryLogger

from adapters import model
from adapters.errors import CartgateError
from gateway import types
from gateway.cart_mutations import CartMutations
from gateway.errors import log, query_error
from gateway.payloads import gateway_context
from gateway.query_limits import query_limits
from gateway.vendor_mutations import VendorMutations

READY_TIMEOUT = 3.0


@strawberry.type
class Query:
    @strawberry.field(description="The cart, or null when it does not exist")
    async def cart(self, info: Info, id: strawberry.ID) -> types.Cart | None:
        ctx = gateway_context(info)
        try:
            backend, native = ctx.cart_backend(id, field=("id",))
            found = await backend.get_cart(native)
        except CartgateError as error:
            raise query_error(error) from None
        return types.cart(found, ctx.default_locale) if found else None

    @strawberry.field(description="Every enabled backend and whether it answers now")
    async def backends(self, info: Info) -> list[types.BackendInfo]:
        ctx = gateway_context(info)

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
class Mutation(CartMutations, VendorMutations):
    """Every mutation: the cart contract, then swapping and comparing vendors."""


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


def build_schema(*, production: bool = False) -> strawberry.Schema:
    """The one Schema of the gateway; production hides the schema from introspection."""
    return GatewaySchema(
        query=Query,
        mutation=Mutation,
        extensions=[
            *query_limits(production=production),
            partial(MaskErrors, should_mask_error=_is_unexpected,
                    error_message="Internal error in the gateway"),
        ],
    )
