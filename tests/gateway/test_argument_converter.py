"""The compiled argument converter gives exactly what strawberry's convert_arguments gives.

Argument values come from graphql-core's own coercion of variables (defaults filled,
scalars parsed), for every root field of the gateway's schema and of a schema made to
reach what the gateway's does not use (UNSET defaults, lists of lists, nullable enums).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import random
from decimal import Decimal
from typing import Any

import pytest
import strawberry
from graphql import (
    GraphQLField,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.language import FieldNode
from strawberry import relay
from strawberry.schema.base import BaseSchema
from strawberry.types.arguments import convert_arguments
from strawberry.types.unset import UNSET

from gateway.graphql.error_masking import MaskUnexpected
from gateway.graphql.fastpath.arguments import arguments_converter
from gateway.graphql.fastpath.serializers import DEFINITION, NotCompilable
from gateway.graphql.schema import GatewaySchema, build_schema
from tests.gateway.input_values import Values, call

pytestmark = pytest.mark.anyio

def _arguments(schema: GraphQLSchema, field_name: str, field: GraphQLField,
               rng: random.Random, kind: str) -> dict[str, Any]:
    """graphql-core's argument values for one call of the field with random variables."""
    given = Values(rng).arguments(field)
    return _values(schema, field, call(kind, field_name, field, list(given)), given)


def _values(schema: GraphQLSchema, field: GraphQLField, operation: OperationDefinitionNode,
            given: dict[str, Any]) -> dict[str, Any]:
    """What the executor (and the compiled operation) hands the resolver of the field."""
    coerced = get_variable_values(schema, operation.variable_definitions or (), given)
    assert not isinstance(coerced, list), coerced
    node = operation.selection_set.selections[0]
    assert isinstance(node, FieldNode)
    return get_argument_values(field, node, coerced)


def _shape(value: Any) -> Any:
    """Everything a resolver could tell apart: classes, UNSET against None, exact values."""
    if value is UNSET:
        return "UNSET"
    if value is None:
        return None
    if isinstance(value, list):
        return ["list", *(_shape(item) for item in value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value), {f.name: _shape(getattr(value, f.name))
                              for f in dataclasses.fields(value)}]
    return [type(value), repr(value)]


def _loosen(value: Any, rng: random.Random) -> Any:
    """The value with input fields left out, as graphql-core leaves out those without a
    default, and some nulls made UNSET (convert_arguments passes UNSET on).
    """
    if value is None:
        return UNSET if rng.random() < 0.3 else None
    if isinstance(value, list):
        return [_loosen(item, rng) for item in value]
    if isinstance(value, dict):
        return {k: _loosen(v, rng) for k, v in value.items() if rng.random() < 0.6}
    return value


def _fields(schema: BaseSchema, kind: str) -> dict[str, GraphQLField]:
    graphql_schema: GraphQLSchema = schema._schema  # type: ignore[attr-defined]
    root = graphql_schema.query_type if kind == "query" else graphql_schema.mutation_type
    assert root is not None
    fields: dict[str, GraphQLField] = root.fields
    return fields


def _compare_every_field(schema: BaseSchema, seeds: int) -> int:
    graphql_schema: GraphQLSchema = schema._schema  # type: ignore[attr-defined]
    registry = schema.schema_converter.scalar_registry
    compared = 0
    for kind in ("query", "mutation"):
        for name, field in _fields(schema, kind).items():
            definition = field.extensions[DEFINITION]
            try:
                convert = arguments_converter(definition.arguments, registry, schema.config)
            except NotCompilable:
                continue
            for seed in range(seeds):
                rng = random.Random(f"{name}:{seed}")
                values = _arguments(graphql_schema, name, field, rng, kind)
                for variant in (values, _loosen(values, rng)):
                    expected = convert_arguments(variant, definition.arguments,
                                                 scalar_registry=registry,
                                                 config=schema.config)
                    assert _shape(convert(variant)) == _shape(expected), (name, variant)
                    compared += 1
    return compared


def test_every_root_field_of_the_gateway_converts_as_strawberry_does() -> None:
    schema = build_schema()
    mutations = _fields(schema, "mutation")
    registry = schema.schema_converter.scalar_registry
    for field in mutations.values():  # the gateway's own fields are all compiled
        arguments_converter(field.extensions[DEFINITION].arguments, registry, schema.config)
    assert _compare_every_field(schema, seeds=40) >= 2 * 40 * len(mutations)


def test_an_input_list_is_a_copy_never_graphql_cores_default() -> None:
    schema = build_schema()
    field = _fields(schema, "mutation")["cartLinesAdd"]
    arguments = field.extensions[DEFINITION].arguments
    convert = arguments_converter(arguments, schema.schema_converter.scalar_registry,
                                  schema.config)
    operation = parse("mutation($lines: [CartLineInput!]) { cartLinesAdd(cartId: \"c\", "
                      "lines: $lines) { __typename } }").definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    lines = [{"sku": "MUG", "giftWrapping": {"wrapTogether": True}}]
    first = convert(_values(schema._schema, field, operation, {"lines": lines}))
    wrapping = first["lines"][0].gift_wrapping
    assert wrapping.messages == [] and wrapping.option_id == 0
    wrapping.messages.append("changed by a resolver")
    again = convert(_values(schema._schema, field, operation, {"lines": lines}))
    assert again["lines"][0].gift_wrapping.messages == []
    assert first["lines"][0].list_price is None and first["lines"][0].quantity == 1


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.input
class Leaf:
    colour: Colour
    note: str | None = strawberry.UNSET
    tags: list[str | None] | None = strawberry.UNSET
    amount: Decimal | None = None
    required_nullable: int | None


@strawberry.input
class Branch:
    leaves: list[list[Leaf]]
    colours: list[Colour | None] = strawberry.field(default_factory=list)
    leaf: Leaf | None = strawberry.UNSET
    when: datetime.datetime | None = None


@strawberry.input
class Tree:
    children: list[Tree] | None = None


def _told(**arguments: Any) -> str:
    return repr(_shape(arguments))


@strawberry.type
class _Query:
    @strawberry.field
    def echo(self, branch: Branch | None = strawberry.UNSET, colour: Colour = Colour.RED,
             ids: list[strawberry.ID] | None = None, amount: Decimal | None = None) -> str:
        return _told(branch=branch, colour=colour, ids=ids, amount=amount)

    @strawberry.field
    def maybe(self, value: strawberry.Maybe[str | None] = None) -> str:
        return _told(value=value)

    @strawberry.field
    def tree(self, tree: Tree | None = None) -> str:
        return _told(tree=tree)

    @strawberry.field
    def node(self, id: relay.GlobalID | None = None) -> str:
        return _told(id=id)


@strawberry.type
class _Mutation:
    @strawberry.mutation
    def plant(self, branches: list[Branch | None], colours: list[Colour] | None = None) -> str:
        return _told(branches=branches, colours=colours)


def _schema() -> GatewaySchema:
    return GatewaySchema(query=_Query, mutation=_Mutation, extensions=[MaskUnexpected])


def test_unset_defaults_nested_lists_and_enums_convert_as_strawberry_does() -> None:
    assert _compare_every_field(_schema(), seeds=150) == 2 * 150 * 2  # echo and plant


@pytest.mark.parametrize("field", ["maybe", "tree", "node"])
def test_what_the_converter_does_not_cover_is_not_compiled(field: str) -> None:
    schema = _schema()
    definition = _fields(schema, "query")[field].extensions[DEFINITION]
    with pytest.raises(NotCompilable):
        arguments_converter(definition.arguments, schema.schema_converter.scalar_registry,
                            schema.config)


@pytest.mark.parametrize(("document", "variables"), [
    ("query($b: Branch) { echo(branch: $b, amount: \"1.50\") }",
     {"b": {"leaves": [[{"colour": "BLUE", "requiredNullable": None}]], "colours": [None]}}),
    ("query($b: Branch) { echo(branch: $b, ids: [1, \"x\"]) }", {"b": None}),
    ("query { echo(colour: BLUE) }", {}),
    ("query($v: String) { maybe(value: $v) }", {"v": None}),
    ("query($v: String) { maybe(value: $v) }", {}),
    ("query { tree(tree: {children: [{children: []}, {}]}) }", {}),
    ("query($id: ID) { node(id: $id) }", {"id": relay.to_base64("Cart", "1")}),
    ("mutation($c: [Colour!]) { plant(branches: [null, {leaves: []}], colours: $c) }",
     {"c": "RED"}),
])
async def test_a_compiled_field_answers_as_the_executor(document: str,
                                                        variables: dict[str, Any]) -> None:
    schema = _schema()
    executed = await schema.execute(document, variable_values=variables)
    assert executed.errors is None, executed.errors
    schema.fast_path.compiled.put(document, None, schema._compile(document, None))
    served = await schema.execute(document, variable_values=variables)
    assert schema.fast_path.compiled.hits == 1
    assert served.errors is None and served.data == executed.data
