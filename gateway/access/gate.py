"""The one check before an operation runs: may this caller do all of it, and now?

Asked on both execution paths, after validation and variable coercion and before any
resolver: by ``GateExtension`` on graphql-core's path, and by the compiled fast path
(``gateway/graphql/fastpath/compiled.py``) for documents served without the executor.
A storefront caller using a trusted-only field (``gateway/access/trusted_only.py``) gets
``ACCESS_DENIED``; a caller over its call rate (``gateway/access/rate_limits.py``) gets
``RATE_LIMITED`` and ``Retry-After``.
Either way nothing runs and no vendor is called: every root field answers with the
refusal instead, as a payload's ``userErrors`` in a mutation and a coded GraphQL error in
a query, so the whole operation changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    get_operation_ast,
)
from graphql.execution.values import VariableValues, get_variable_values
from graphql.utilities import value_from_ast_untyped
from strawberry.extensions import SchemaExtension

from adapters.errors import AccessDenied, CallerRateLimited, CartgateError
from adapters.model import Backend
from adapters.request_context import attributes_wanted
from gateway.access.rate_limits import CallLimits, current_budget
from gateway.access.trusted_only import AccessRules, root_fields
from gateway.graphql import types
from gateway.graphql.error_answers import query_error, user_error
from gateway.graphql.fastpath.compiled import (
    CompiledOperation,
    RootResolver,
    compile_operation,
)
from gateway.graphql.fastpath.serializers import NotCompilable
from gateway.graphql.selected_fields import SEPARATELY_READ, operation_selects_any

# Root field arguments that name a cart: the per-cart limit counts them.
CART_ARGUMENTS = frozenset({"cartId", "id"})
NOTHING_RAN = "nothing in this operation ran: another of its fields was refused"


@dataclass(frozen=True)
class Refusal:
    """Why an operation does not run: errors by the response key of the root field they
    concern, and the error every other root field answers with.
    """

    by_field: Mapping[str, list[CartgateError]]
    other: CartgateError


_PAYLOADS: dict[str, Callable[[list[types.CartUserError], list[Backend]], object]] = {
    "CartPayload": lambda errors, _: types.CartPayload(
        cart=None, user_errors=errors, warnings=[]),
    "CartDeletePayload": lambda errors, _: types.CartDeletePayload(
        deleted_cart_id=None, user_errors=errors),
    "CartTransferPayload": lambda errors, _: types.CartTransferPayload(
        cart=None, source_cart=None, unmatched_lines=[], user_errors=errors, warnings=[]),
    "CartComparisonPayload": lambda errors, backends: types.CartComparisonPayload(
        results=[types.CartComparisonResult(backend=b, cart=None, user_errors=errors)
                 for b in backends],
        differences=[]),
}


def _root_type(schema: GraphQLSchema, operation: OperationDefinitionNode) -> GraphQLObjectType:
    root = (schema.mutation_type if operation.operation is OperationType.MUTATION
            else schema.query_type)
    assert root is not None
    return root


class Gate:
    """Access rules and call limits, asked once per operation before anything runs."""

    def __init__(self, schema: GraphQLSchema, limits: CallLimits | None = None) -> None:
        self.schema = schema
        self.rules = AccessRules(schema)
        self.limits = limits

    async def refusal(self, context: Any, operation: OperationDefinitionNode,
                      fragments: Mapping[str, FragmentDefinitionNode],
                      variables: VariableValues) -> Refusal | None:
        """Why the operation may not run, or None; with coerced variables.

        Also notes whether the operation shows the cart's attributes (see
        ``adapters.request_context.attributes_wanted``): both paths pass here first.
        """
        attributes_wanted.set(operation_selects_any(operation, SEPARATELY_READ, fragments))
        caller = context.get("caller") if isinstance(context, dict) else None
        if caller is None:
            return None  # in process, not through HTTP: the process's own operator
        root = _root_type(self.schema, operation)
        if not caller.trusted:
            denied = self.rules.denials(root, operation.selection_set, fragments, variables)
            if denied:
                return Refusal(denied, AccessDenied(NOTHING_RAN))
        budget = current_budget()
        if self.limits is None or budget is None:
            return None
        carts = [str(value) for node in root_fields(operation.selection_set, fragments)
                 for arg in node.arguments or () if arg.name.value in CART_ARGUMENTS
                 if isinstance(value := value_from_ast_untyped(arg.value, variables.coerced),
                               str)]
        wait = await self.limits.admit(budget, carts)
        if not wait:
            return None
        seconds = max(1, math.ceil(wait))
        response = context.get("response") if isinstance(context, dict) else None
        if response is not None:
            response.headers["Retry-After"] = str(seconds)
        return Refusal({}, CallerRateLimited(
            f"too many vendor calls from this caller; retry in {seconds} s",
            retry_after=float(seconds)))

    def refused(self, compiled: CompiledOperation, refusal: Refusal,
                context: Any) -> CompiledOperation:
        """The operation with every root field answering the refusal, nothing run."""
        backends = sorted(getattr(context.get("gateway"), "backends", {}),
                          key=list(Backend).index)
        mutation = compiled.kind is OperationType.MUTATION

        def resolver_for(key: str, definition: GraphQLField) -> RootResolver:
            errors = refusal.by_field.get(key) or [refusal.other]
            payload = _PAYLOADS.get(get_named_type(definition.type).name)

            async def refuse(context: Any, arguments: dict[str, Any]) -> Any:
                if mutation and payload is not None:
                    return payload([user_error(error) for error in errors], backends)
                raise query_error(errors[0])

            return refuse

        return compiled.with_resolvers(resolver_for)

    async def admit(self, context: Any, compiled: CompiledOperation,
                    variables: VariableValues) -> CompiledOperation | None:
        """For the compiled path: the refused operation to run instead, or None."""
        refusal = await self.refusal(context, compiled.operation, compiled.fragments, variables)
        return None if refusal is None else self.refused(compiled, refusal, context)


class GateExtension(SchemaExtension):
    """The gate on graphql-core's path: a refused operation never reaches the executor."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        schema: Any = context.schema
        gate: Gate | None = getattr(schema, "gate", None)
        document = context.graphql_document
        operation = (get_operation_ast(document, context.operation_name)
                     if document is not None else None)
        if gate is not None and document is not None and operation is not None:
            coerced = get_variable_values(gate.schema, operation.variable_definitions or (),
                                          context.variables or {})
            if not isinstance(coerced, list):  # variable errors: the executor words them
                fragments = {d.name.value: d for d in document.definitions
                             if isinstance(d, FragmentDefinitionNode)}
                refusal = await gate.refusal(context.context, operation, fragments, coerced)
                if refusal is not None:
                    context.result = await _refused_result(
                        gate, schema, document, context, refusal)
        yield


async def _refused_result(gate: Gate, schema: Any, document: Any, context: Any,
                          refusal: Refusal) -> ExecutionResult:
    try:
        compiled = compile_operation(schema, document, context.operation_name)
    except NotCompilable:
        # Directives at the root: refuse the operation as a whole, still running nothing.
        return ExecutionResult(data=None, errors=[query_error(refusal.other)])
    answer = await gate.refused(compiled, refusal, context.context).run(
        context.context, context.variables)
    if answer is None:
        return ExecutionResult(data=None, errors=[query_error(refusal.other)])
    data, errors = answer
    return ExecutionResult(data=data, errors=errors or None)
