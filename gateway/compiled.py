"""Compiled queries: a document that has already run cleanly is served again without
graphql-core's validation and executor.

Storefronts send the same few operations over and over. Once a query document has passed
the full pipeline (parsing, validation, every limit) without an error, it is compiled
into plain functions that read the output objects' attributes and build the response
dict directly. The output is the same as graphql-core's: same keys in the same order,
scalars serialized by the schema's own scalar and enum types. Anything the compiler does
not cover (directives, introspection, mutations, unknown root fields) is simply not
compiled and keeps taking the normal path.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    located_error,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values

from gateway.serializers import (
    NotCompilable,
    NullViolation,
    Serializer,
    collect,
    merged,
    serializer,
)

# A root field's resolver: (context, arguments) -> the output object, or GraphQLError raised.
RootResolver = Callable[[Any, dict[str, Any]], Awaitable[Any]]


def _constant(value: Any) -> Serializer:
    return lambda _: value


def _typename(name: str) -> RootResolver:
    async def resolve(context: Any, arguments: dict[str, Any]) -> str:
        return name

    return resolve


@dataclass(frozen=True)
class _RootField:
    key: str
    node: FieldNode
    definition: Any
    resolver: RootResolver
    serialize: Serializer


@dataclass(frozen=True)
class CompiledQuery:
    """One query operation, ready to run without parsing, validation or the executor."""

    schema: GraphQLSchema
    operation: OperationDefinitionNode
    fields: tuple[_RootField, ...]

    async def run(
        self, context: Any, variables: Mapping[str, Any] | None
    ) -> tuple[dict[str, Any], list[GraphQLError]] | None:
        """(data, errors), or None when the normal executor must answer instead."""
        coerced = get_variable_values(
            self.schema, self.operation.variable_definitions or (), dict(variables or {})
        )
        if isinstance(coerced, list):
            return None  # variable errors: the executor words them
        values = await asyncio.gather(*(self._resolve(f, context, coerced) for f in self.fields))
        data: dict[str, Any] = {}
        errors: list[GraphQLError] = []
        for field, (value, error) in zip(self.fields, values, strict=True):
            if error is not None:
                errors.append(error)
                data[field.key] = None
                continue
            try:
                data[field.key] = field.serialize(value)
            except NullViolation:
                return None
        return data, errors

    async def _resolve(
        self, field: _RootField, context: Any, variables: VariableValues
    ) -> tuple[Any, GraphQLError | None]:
        arguments = (get_argument_values(field.definition, field.node, variables)
                     if field.definition is not None else {})
        try:
            return await field.resolver(context, arguments), None
        except GraphQLError as error:
            return None, located_error(error, [field.node], [field.key])


def compile_query(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    resolvers: Mapping[str, RootResolver],
) -> CompiledQuery:
    """The compiled form of the document's query operation, or NotCompilable."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        raise NotCompilable("operation")
    operation = operations[0]
    if operation.operation is not OperationType.QUERY or operation.directives:
        raise NotCompilable("not a plain query")
    if any(v.directives for v in operation.variable_definitions or ()):
        raise NotCompilable("variable directives")
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    root = schema.query_type
    assert root is not None
    fields = []
    for key, nodes in collect(operation.selection_set, root.name, fragments,
                              OrderedDict()).items():
        name = nodes[0].name.value
        if name == "__typename":
            fields.append(_RootField(key=key, node=nodes[0], definition=None,
                                     resolver=_typename(root.name), serialize=_constant(root.name)))
            continue
        resolver = resolvers.get(name)
        if resolver is None or len(nodes) != 1:
            raise NotCompilable(f"root field {name}")
        definition = root.fields[name]
        fields.append(_RootField(key=key, node=nodes[0], definition=definition,
                                 resolver=resolver,
                                 serialize=serializer(definition.type, merged(nodes), fragments)))
    return CompiledQuery(schema=schema, operation=operation, fields=tuple(fields))


class CompiledCache:
    """Compiled queries by (document text, operation name); bounded, least recent out."""

    def __init__(self, *, size: int = 256) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, str | None], CompiledQuery | None] = OrderedDict()
        self.hits = 0

    def get(self, query: str, operation_name: str | None) -> CompiledQuery | None:
        key = (query, operation_name)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        return entry

    def known(self, query: str, operation_name: str | None) -> bool:
        return (query, operation_name) in self._entries

    def put(self, query: str, operation_name: str | None, entry: CompiledQuery | None) -> None:
        """Remember the compiled query, or None for a document that cannot be compiled."""
        self._entries[(query, operation_name)] = entry
        self._entries.move_to_end((query, operation_name))
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
