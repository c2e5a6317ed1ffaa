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
from operator import attrgetter
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    located_error,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values

Serializer = Callable[[Any], Any]
# A root field's resolver: (context, arguments) -> the output object, or GraphQLError raised.
RootResolver = Callable[[Any, dict[str, Any]], Awaitable[Any]]
DEFINITION = "strawberry-definition"


class NotCompilable(Exception):
    """The document uses something the compiler leaves to the normal executor."""


class _NullViolation(Exception):
    """A non-null field resolved to None: let the normal executor report it."""


def _collect(
    selection_set: SelectionSetNode,
    type_name: str,
    fragments: Mapping[str, FragmentDefinitionNode],
    into: OrderedDict[str, list[FieldNode]],
) -> OrderedDict[str, list[FieldNode]]:
    """Fields by response key, fragments inlined, in the executor's order."""
    for selection in selection_set.selections:
        if selection.directives:
            raise NotCompilable("directives")
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            into.setdefault(key, []).append(selection)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            if condition is not None and condition.name.value != type_name:
                raise NotCompilable("type condition")
            _collect(selection.selection_set, type_name, fragments, into)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None or fragment.type_condition.name.value != type_name:
                raise NotCompilable("fragment")
            _collect(fragment.selection_set, type_name, fragments, into)
    return into


def _constant(value: Any) -> Serializer:
    return lambda _: value


def _typename(name: str) -> RootResolver:
    async def resolve(context: Any, arguments: dict[str, Any]) -> str:
        return name

    return resolve


def _merged(nodes: list[FieldNode]) -> SelectionSetNode | None:
    sets = [node.selection_set for node in nodes if node.selection_set is not None]
    if not sets:
        return None
    return SelectionSetNode(selections=tuple(s for each in sets for s in each.selections))


def _value(
    gtype: GraphQLOutputType,
    selection: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
) -> Serializer:
    if isinstance(gtype, GraphQLNonNull):
        inner = _value(gtype.of_type, selection, fragments)

        def non_null(value: Any) -> Any:
            if value is None:
                raise _NullViolation
            return inner(value)

        return non_null
    if isinstance(gtype, GraphQLList):
        item = _value(gtype.of_type, selection, fragments)
        return lambda value: None if value is None else [item(each) for each in value]
    if isinstance(gtype, GraphQLScalarType | GraphQLEnumType):
        serialize = gtype.serialize
        return lambda value: None if value is None else serialize(value)
    if isinstance(gtype, GraphQLObjectType) and selection is not None:
        obj = _object(gtype, selection, fragments)
        return lambda value: None if value is None else obj(value)
    raise NotCompilable(f"type {gtype}")


def _object(
    gtype: GraphQLObjectType,
    selection: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
) -> Serializer:
    entries: list[tuple[str, Serializer, Serializer]] = []
    for key, nodes in _collect(selection, gtype.name, fragments, OrderedDict()).items():
        name = nodes[0].name.value
        if name == "__typename":
            entries.append((key, _constant(gtype.name), _constant(gtype.name)))
            continue
        field = gtype.fields.get(name)
        definition = field.extensions.get(DEFINITION) if field else None
        if field is None or field.args or definition is None or definition.base_resolver:
            raise NotCompilable(f"field {gtype.name}.{name}")
        entries.append((key, attrgetter(definition.python_name),
                        _value(field.type, _merged(nodes), fragments)))

    def serialize(source: Any) -> dict[str, Any]:
        return {key: convert(read(source)) for key, read, convert in entries}

    return serialize


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
            except _NullViolation:
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
    for key, nodes in _collect(operation.selection_set, root.name, fragments,
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
                                 serialize=_value(definition.type, _merged(nodes), fragments)))
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
