"""Compiled operations: a document that has already run cleanly is served again without
graphql-core's validation and executor.

Storefronts send the same few operations over and over. Once a query or mutation
document has passed the full pipeline (parsing, validation, every limit) without an
error, it is compiled: root fields call the same strawberry resolvers, with arguments
converted by strawberry, and results are written by generated serializers that read the
output objects' attributes. The output is the same as graphql-core's: same keys in the
same order, scalars serialized by the schema's own types, errors located and masked the
same way (``gateway/graphql/error_masking.py``: errors come back unmasked, and the schema
logs and masks them as on the executor's path). Anything the compiler does not cover
(directives, introspection, subscriptions) is simply not compiled and keeps taking the
normal path. The rules of the whole fast path: ``README.md`` beside this module.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Protocol

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLField,
    GraphQLNonNull,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    Undefined,
    VariableNode,
    is_non_null_type,
    located_error,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.utilities.coerce_input_value import coerce_default_value
from strawberry.schema.base import BaseSchema
from strawberry.types.arguments import convert_arguments

from gateway.graphql.fastpath.arguments import ArgumentsConverter, arguments_converter
from gateway.graphql.fastpath.serializers import (
    DEFINITION,
    NotCompilable,
    SerializedLists,
    Serializer,
    collect,
    merged,
    serializer,
)
from gateway.graphql.fastpath.variables import VariablesCoercer, variables_coercer

# A root field's resolver: (context, arguments) -> the output object, or raises.
RootResolver = Callable[[Any, dict[str, Any]], Awaitable[Any]]
# A root field's argument values from the coerced variables, as get_argument_values gives them.
ArgumentReader = Callable[[VariableValues], dict[str, Any]]
# Defaults a reader may hand out as they are: nothing a resolver could change in place.
_IMMUTABLE = (type(None), str, int, float, bool)


class AnswerNotSerialized(Exception):
    """A mutation's answer the schema cannot serialize (a non-null field resolved to null,
    an Int past 32 bits): the mutation ran, so it is reported, never run again.
    """


@dataclass(frozen=True)
class _Info:
    """What the gateway's resolvers read from strawberry's Info: the request context."""

    context: Any


def _typename(name: str) -> RootResolver:
    async def resolve(context: Any, arguments: dict[str, Any]) -> str:
        return name

    return resolve


def _strawberry_resolver(schema: BaseSchema, field: Any) -> RootResolver:
    """Calls a root field's strawberry resolver as strawberry's executor would."""
    resolver = field.base_resolver
    if resolver is None or resolver.parent_parameter or resolver.root_parameter:
        raise NotCompilable(f"resolver of {field.python_name}")
    info_name = resolver.info_parameter.name if resolver.info_parameter else None
    positional = [None] if resolver.self_parameter else []
    convert = _converter(schema, field)

    async def resolve(context: Any, arguments: dict[str, Any]) -> Any:
        kwargs = convert(arguments)
        if info_name is not None:
            kwargs[info_name] = _Info(context=context)
        result = field.get_result(None, info=None, args=positional, kwargs=kwargs)
        return await result if inspect.isawaitable(result) else result

    return resolve


def _converter(schema: BaseSchema, field: Any) -> ArgumentsConverter:
    """The field's compiled argument converter, or strawberry's own for what it leaves out."""
    registry = schema.schema_converter.scalar_registry
    try:
        return arguments_converter(field.arguments, registry, schema.config)
    except NotCompilable:
        return partial(convert_arguments, arguments=field.arguments, scalar_registry=registry,
                       config=schema.config)


def argument_reader(definition: GraphQLField, node: FieldNode) -> ArgumentReader:
    """graphql-core's ``get_argument_values`` for one field node, its decisions taken once.

    Each argument is either a variable, read from the coerced variables, or left out of
    the document with a default that is an immutable scalar (``= null``), coerced once.
    A literal argument, a default of another kind, or a required one left out keeps
    ``get_argument_values`` for the whole field; so does any request whose variable is
    missing, or null where the argument may not be (graphql-core decides, or words the
    error).
    """
    slow = partial(get_argument_values, definition, node)
    given = {argument.name.value: argument.value for argument in node.arguments or ()}
    # (argument name, variable name or None, whether non-null, the default when no variable)
    plan: list[tuple[str, str | None, bool, Any]] = []
    for name, argument in definition.args.items():
        out_name = argument.out_name or name
        value = given.get(name)
        non_null = is_non_null_type(argument.type)
        if isinstance(value, VariableNode):
            plan.append((out_name, value.name.value, non_null, None))
            continue
        if value is not None or non_null:
            return slow
        default = coerce_default_value(argument)
        if default is Undefined:
            continue  # no default: left out, as graphql-core leaves it out
        if not isinstance(default, _IMMUTABLE):
            return slow
        plan.append((out_name, None, non_null, default))
    steps = tuple(plan)

    def read(variables: VariableValues) -> dict[str, Any]:
        coerced = variables.coerced
        arguments: dict[str, Any] = {}
        for out_name, variable, non_null, default in steps:
            if variable is None:
                arguments[out_name] = default
                continue
            value = coerced.get(variable, Undefined)
            if value is Undefined or (value is None and non_null):
                return slow(variables)
            arguments[out_name] = value
        return arguments

    return read


def _no_arguments(variables: VariableValues) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class _RootField:
    key: str
    node: FieldNode
    definition: GraphQLField | None
    resolver: RootResolver
    serialize: Serializer
    arguments: ArgumentReader = _no_arguments

    @property
    def nullable(self) -> bool:
        return self.definition is None or not isinstance(self.definition.type, GraphQLNonNull)


class Admission(Protocol):
    """Asked before a compiled operation runs: None to run it, or what to run instead."""

    async def __call__(self, context: Any, compiled: CompiledOperation,
                       variables: VariableValues) -> CompiledOperation | None: ...


@dataclass(frozen=True)
class CompiledOperation:
    """One operation, ready to run without parsing, validation or the executor."""

    schema: GraphQLSchema
    operation: OperationDefinitionNode
    fields: tuple[_RootField, ...]
    coerce_variables: VariablesCoercer
    fragments: Mapping[str, FragmentDefinitionNode] = dataclasses.field(default_factory=dict)

    @property
    def kind(self) -> OperationType:
        return self.operation.operation

    def with_resolvers(
        self, resolver_for: Callable[[str, GraphQLField], RootResolver]
    ) -> CompiledOperation:
        """The same operation, each schema root field answered by another resolver."""
        return replace(self, fields=tuple(
            root if root.definition is None
            else replace(root, resolver=resolver_for(root.key, root.definition))
            for root in self.fields
        ))

    async def run(
        self, context: Any, variables: Mapping[str, Any] | None,
        admit: Admission | None = None,
    ) -> tuple[dict[str, Any] | None, list[GraphQLError]] | None:
        """(data, errors), or None when the normal executor must answer instead. The errors
        are located but not masked: the caller logs and masks them (``error_masking.py``).

        ``admit`` (the gate, ``gateway/access/gate.py``) sees the coerced variables before any
        resolver runs and may answer with a refused operation instead.
        Query fields run concurrently and mutation fields one after the other, as
        graphql-core runs them; an error on a non-null field nulls ``data``.
        """
        coerced = self.coerce_variables(variables)
        if coerced is None:
            return None  # variable errors: the executor words them
        if admit is not None and (instead := await admit(context, self, coerced)) is not None:
            return await instead._answer(context, coerced)
        return await self._answer(context, coerced)

    # Above the complexity bound: graphql-core's rules for root fields (serial mutations, null
    # bubbling, masked errors), kept in one place.
    async def _answer(
        self, context: Any, coerced: VariableValues
    ) -> tuple[dict[str, Any] | None, list[GraphQLError]] | None:
        if self.kind is OperationType.MUTATION:
            values = []
            for field in self.fields:
                values.append(await self._resolve(field, context, coerced))
                if values[-1][1] is not None and not field.nullable:
                    break
        else:
            values = list(await asyncio.gather(
                *(self._resolve(field, context, coerced) for field in self.fields)
            ))
        data: dict[str, Any] = {}
        errors: list[GraphQLError] = []
        for field, (value, error) in zip(self.fields, values, strict=False):
            if error is not None:
                errors.append(error)
                if not field.nullable:
                    return None, errors
                data[field.key] = None
                continue
            try:
                data[field.key] = field.serialize(value)
            except Exception as refused:  # NullViolation, or what a scalar refuses
                if self.kind is not OperationType.MUTATION:
                    return None  # a read can safely be answered by the executor instead
                # A mutation never runs twice: its field answers an unexpected error, masked
                # (the executor would null only the offending field: README.md).
                failure = AnswerNotSerialized(f"the answer of {field.key}: {refused!r}")
                failure.__cause__ = refused
                return None, [*errors, located_error(failure, [field.node], [field.key])]
        return data, errors

    async def _resolve(
        self, field: _RootField, context: Any, variables: VariableValues
    ) -> tuple[Any, GraphQLError | None]:
        arguments = field.arguments(variables)
        try:
            return await field.resolver(context, arguments), None
        except Exception as error:  # logged and masked by the schema, as the executor's are
            return None, located_error(error, [field.node], [field.key])


def compile_operation(
    schema: BaseSchema, document: DocumentNode, operation_name: str | None, *,
    lists: SerializedLists | None = None,
) -> CompiledOperation:
    """The compiled form of the document's query or mutation, or NotCompilable.
    ``lists``: where its serializers remember the lists of objects they write.
    """
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        raise NotCompilable("operation")
    operation = operations[0]
    if operation.directives or any(v.directives for v in operation.variable_definitions or ()):
        raise NotCompilable("directives")
    graphql_schema: GraphQLSchema = schema._schema  # type: ignore[attr-defined]
    root = (graphql_schema.query_type if operation.operation is OperationType.QUERY
            else graphql_schema.mutation_type if operation.operation is OperationType.MUTATION
            else None)
    if root is None:
        raise NotCompilable("subscription")
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    fields = []
    for key, nodes in collect(operation.selection_set, root.name, fragments,
                              OrderedDict()).items():
        name = nodes[0].name.value
        if name == "__typename":
            fields.append(_RootField(key=key, node=nodes[0], definition=None,
                                     resolver=_typename(root.name),
                                     serialize=lambda value: value))
            continue
        definition = root.fields.get(name)
        strawberry_field = definition.extensions.get(DEFINITION) if definition else None
        if definition is None or strawberry_field is None or len(nodes) != 1:
            raise NotCompilable(f"root field {name}")
        fields.append(_RootField(
            key=key, node=nodes[0], definition=definition,
            resolver=_strawberry_resolver(schema, strawberry_field),
            serialize=serializer(definition.type, merged(nodes), fragments, lists),
            arguments=argument_reader(definition, nodes[0]),
        ))
    return CompiledOperation(
        schema=graphql_schema, operation=operation, fields=tuple(fields),
        coerce_variables=variables_coercer(graphql_schema, operation.variable_definitions or ()),
        fragments=fragments,
    )


class CompiledCache:
    """Compiled operations by (document text, operation name); bounded, least recent out."""

    def __init__(self, *, size: int = 256) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, str | None], CompiledOperation | None] = OrderedDict()
        self.hits = 0

    def get(self, query: str, operation_name: str | None) -> CompiledOperation | None:
        key = (query, operation_name)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        return entry

    def __len__(self) -> int:
        return len(self._entries)

    def known(self, query: str, operation_name: str | None) -> bool:
        return (query, operation_name) in self._entries

    def holds(self, query: str, operation_name: str | None) -> bool:
        """Whether the document is compiled (not merely known as not compilable); no hit
        is counted, and no entry moves.
        """
        return self._entries.get((query, operation_name)) is not None

    def put(self, query: str, operation_name: str | None, entry: CompiledOperation | None) -> None:
        """Remember the compiled query, or None for a document that cannot be compiled."""
        self._entries[(query, operation_name)] = entry
        self._entries.move_to_end((query, operation_name))
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
