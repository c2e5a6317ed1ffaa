"""A compiled operation's variables coerced as graphql-core's ``get_variable_values`` does,
with what depends only on the document worked out once.

On every request graphql-core rebuilds each variable's signature from the document (its
type looked up in the schema) and walks the value to refuse nesting deeper than
``MAX_NESTING_DEPTH``. Both depend only on the document and the schema: the signatures
are built when the document is compiled, and the walk is left out for variables whose
type cannot nest that deep (no input type holding itself; such a document keeps
``get_variable_values``, as does one with variable defaults). The values themselves are
still coerced by graphql-core's ``coerce_input_value``, so they are the same; a value it
refuses gives None, and the executor words the errors.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    VariableDefinitionNode,
)
from graphql.execution.get_variable_signature import get_variable_signature
from graphql.execution.values import VariableValues, VariableValueSource, get_variable_values
from graphql.language.parser import MAX_NESTING_DEPTH
from graphql.pyutils import Undefined
from graphql.utilities.coerce_input_value import coerce_input_value

from gateway.graphql.fastpath.serializers import NotCompilable

# The request's variables to graphql-core's coerced variables, or None when they do not
# coerce (the executor words the errors).
VariablesCoercer = Callable[[Mapping[str, Any] | None], VariableValues | None]


def variables_coercer(
    schema: GraphQLSchema, definitions: Collection[VariableDefinitionNode]
) -> VariablesCoercer:
    """What ``get_variable_values(schema, definitions, variables)`` gives, errors as None."""
    try:
        return _compiled(schema, definitions)
    except NotCompilable:
        def coerce(variables: Mapping[str, Any] | None) -> VariableValues | None:
            coerced = get_variable_values(schema, definitions, dict(variables or {}))
            return None if isinstance(coerced, list) else coerced

        return coerce


def _compiled(schema: GraphQLSchema,
              definitions: Collection[VariableDefinitionNode]) -> VariablesCoercer:
    plan = []
    for definition in definitions:
        signature = get_variable_signature(schema, definition)
        if isinstance(signature, GraphQLError) or signature.default is not None:
            raise NotCompilable("variable default or type")
        if _levels(signature.type, ()) > MAX_NESTING_DEPTH:
            raise NotCompilable("variable nesting")
        plan.append((signature.name, signature, isinstance(signature.type, GraphQLNonNull)))

    # coerce_variable_values' loop for variables without defaults, less the nesting walk.
    def coerce(variables: Mapping[str, Any] | None) -> VariableValues | None:
        inputs = dict(variables or {})
        sources: dict[str, VariableValueSource] = {}
        coerced: dict[str, Any] = {}
        for name, signature, required in plan:
            value = inputs.get(name, Undefined)
            if value is Undefined:
                if required:
                    return None
                sources[name] = VariableValueSource(signature)
                continue
            sources[name] = VariableValueSource(signature, value)
            coerced_value = coerce_input_value(value, signature.type)
            if coerced_value is Undefined:
                return None
            coerced[name] = coerced_value
        return VariableValues(sources, coerced)

    return coerce


def _levels(type_: GraphQLInputType, holding: tuple[GraphQLInputObjectType, ...]) -> int:
    """The deepest ``input_is_nested_too_deeply`` can go in a value of the type: one level
    per list and input object on the way.
    """
    if isinstance(type_, GraphQLNonNull):
        return _levels(type_.of_type, holding)
    if isinstance(type_, GraphQLList):
        return 1 + _levels(type_.of_type, holding)
    if isinstance(type_, GraphQLInputObjectType):
        if type_ in holding:
            raise NotCompilable(f"{type_.name} holds itself")
        return 1 + max((_levels(field.type, (*holding, type_))
                        for field in type_.fields.values()), default=0)
    return 0
