"""Query and Mutation; the Schema is built once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError, parse
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionContext, ExecutionResult, Info
from strawberry.types.graphql import OperationType
from strawberry.utils.logging import StrawberryLogger

from adapters import model
from adapters.capabilities import Capability
from adapters.errors import CartgateError
from gateway.access.gate import Gate, GateExtension
from gateway.access.rate_limits import CallLimits
from gateway.graphql import types
from gateway.graphql.context import GatewayContext, gateway_context
from gateway.graphql.error_answers import log, query_error
from gateway.graphql.error_masking import MaskUnexpected, is_unexpected, masked
from gateway.graphql.fastpath.caches import FastPath
from gateway.graphql.fastpath.compiled import (
    CompiledOperation,
    compile_operation,
)
from gateway.graphql.fastpath.serializers import NotCompilable
from gateway.graphql.limits.query_limits import query_limits
from gateway.graphql.mutations.cart import CartMutations
from gateway.graphql.mutations.delivery import DeliveryMutations
from gateway.graphql.mutations.vendors import VendorMutations
from gateway.graphql.scalars import SCALAR_OVERRIDES

READY_TIMEOUT = 3.0


async def resolve_cart(ctx: GatewayContext, id: str) -> types.Cart | None:
    """Query.cart: the cart, or None; domain errors become coded GraphQL errors."""
    try:
        backend, native = ctx.cart_backend(id, field=("id",))
        found = await backend.get_cart(native)
    except CartgateError as error:
        raise query_error(error) from None
    return types.cart(found, ctx.default_locale, ctx.line_sets) if found else None


async def resolve_backends(ctx: GatewayContext) -> list[types.BackendInfo]:
    """Query.backends: each enabled backend and whether it answers within READY_TIMEOUT."""

    async def ready(backend: model.Backend) -> bool:
        try:
            await asyncio.wait_for(ctx.backends[backend].ping(), READY_TIMEOUT)
        except (CartgateError, TimeoutError):
            return False
        return True

    order = sorted(ctx.backends, key=list(model.Backend).index)
    answers = await asyncio.gather(*(ready(b) for b in order))
    return [
        types.BackendInfo(backend=b, sandbox=ctx.backends[b].sandbox, ready=ok,
                          capabilities=sorted(ctx.backends[b].capabilities,
                                              key=list(Capability).index))
        for b, ok in zip(order, answers, strict=True)
    ]


@strawberry.type
class Query:
    """Every query: one cart by id, and the backends with their readiness."""

    @strawberry.field(description="The cart, or null when it does not exist")
    async def cart(self, info: Info, id: strawberry.ID) -> types.Cart | None:
        return await resolve_cart(gateway_context(info), id)

    @strawberry.field(description="Every enabled backend and whether it answers now")
    async def backends(self, info: Info) -> list[types.BackendInfo]:
        return await resolve_backends(gateway_context(info))


@strawberry.type
class Mutation(CartMutations, DeliveryMutations, VendorMutations):
    """Every mutation: the cart contract, delivery and tax, then swapping and comparing
    vendors.
    """


class GatewaySchema(strawberry.Schema):
    """Serves repeated documents compiled while ``fast_path`` is on; logs only what is
    unexpected.
    """

    def __init__(self, *args: Any, limits: CallLimits | None = None,
                 fast_path: FastPath | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fast_path = fast_path or FastPath()
        # Asked before every operation on either path: access rules and call limits.
        self.gate = Gate(self._schema, limits)

    def serves_compiled(self, query: str, operation_name: str | None) -> bool:
        """Whether ``execute`` would run this document compiled (for a POST)."""
        return self.fast_path.enabled and self.fast_path.compiled.holds(query, operation_name)

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        compiled_documents = self.fast_path.compiled
        cacheable = (self.fast_path.enabled and isinstance(query, str)
                     and isinstance(operation_name, str | None)
                     and root_value is None and not operation_extensions)
        if cacheable:
            assert query is not None
            compiled = compiled_documents.get(query, operation_name)
            allowed = allowed_operation_types or DEFAULT_ALLOWED_OPERATION_TYPES
            # A GET may only read: a compiled mutation is never run for one.
            if compiled is not None and compiled.kind.value in {t.value for t in allowed}:
                answer = await compiled.run(context_value, variable_values,
                                            admit=self.gate.admit)
                if answer is not None:
                    data, errors = answer
                    if errors:  # logged, then masked, as on the executor's path
                        self.process_errors(errors)
                        errors = [masked(error) for error in errors]
                    return ExecutionResult(data=data, errors=errors or None)
        result = await super().execute(
            query, variable_values, context_value, root_value, operation_name,
            allowed_operation_types, operation_extensions,
        )
        if cacheable and query is not None and not result.errors and not compiled_documents.known(
            query, operation_name
        ):
            compiled_documents.put(query, operation_name, self._compile(query, operation_name))
        return result

    def _compile(self, query: str, operation_name: str | None) -> CompiledOperation | None:
        # Only documents that just ran cleanly get here, so they are valid and within limits.
        try:
            return compile_operation(self, parse(query), operation_name,
                                     lists=self.fast_path.serialized_lists)
        except NotCompilable:
            return None

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if is_unexpected(error):
                StrawberryLogger.error(error, execution_context)
            else:
                log.debug("answered with a GraphQL error: %s", error.message)


def build_schema(*, production: bool = False, limits: CallLimits | None = None,
                 fast_path: FastPath | None = None) -> GatewaySchema:
    """The one Schema of the gateway; production hides the schema from introspection.
    ``limits``: the callers' vendor call rates (none: unlimited); ``fast_path``: the app's
    (none: a fresh one, on).
    """
    fast_path = fast_path or FastPath()
    return GatewaySchema(
        query=Query,
        mutation=Mutation,
        limits=limits,
        fast_path=fast_path,
        scalar_overrides=SCALAR_OVERRIDES,
        extensions=[
            # Documents seen before skip parsing and validation (those not compiled).
            *fast_path.document_caches(),
            *query_limits(production=production),
            # Last of the execution hooks: a refused operation never reaches the executor.
            GateExtension,
            MaskUnexpected,
        ],
    )
