"""A compiled operation's variables coerce exactly as graphql-core's get_variable_values
coerces them, and where it finds errors the compiled coercer answers None (the executor
words them).
"""

from __future__ import annotations

import random
from typing import Any

import pytest
import strawberry
from graphql import GraphQLSchema, OperationDefinitionNode, parse
from graphql.execution.values import VariableValues, get_variable_values
from graphql.language.parser import MAX_NESTING_DEPTH

from gateway.graphql.fastpath.variables import variables_coercer
from gateway.graphql.schema import build_schema
from tests.gateway.input_values import Values, call


def _same(schema: GraphQLSchema, operation: OperationDefinitionNode,
          variables: dict[str, Any] | None) -> bool:
    """Whether the compiled coercer agrees with graphql-core; True when both coerced."""
    definitions = operation.variable_definitions or ()
    expected = get_variable_values(schema, definitions, dict(variables or {}))
    served = variables_coercer(schema, definitions)(variables)
    if isinstance(expected, list):
        assert served is None, (variables, expected)
        return False
    assert isinstance(served, VariableValues)
    assert _signed(served) == _signed(expected)
    assert _typed(served.coerced) == _typed(expected.coerced), variables
    return True


def _signed(values: VariableValues) -> dict[str, Any]:
    """The sources, types by name (graphql-core builds new wrapper types per request)."""
    return {name: (source.signature.name, str(source.signature.type), source.signature.default,
                   source.signature.default_value, _typed(source.value))
            for name, source in values.sources.items()}


def _typed(value: Any) -> Any:
    """The value with each leaf's class: 1 and True, "1" and Decimal("1") told apart."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value), repr(value))


@pytest.mark.parametrize("spoil", [0.0, 0.05, 0.2])
def test_every_root_field_s_variables_coerce_as_graphql_core_does(spoil: float) -> None:
    schema = build_schema()._schema
    coerced = refused = 0
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        assert root is not None
        for name, field in root.fields.items():
            for seed in range(30):
                values = Values(random.Random(f"{name}:{seed}:{spoil}"), spoil)
                given = values.arguments(field)
                # Every argument declared, some left out of the request's variables.
                operation = call(kind, name, field, list(field.args))
                if _same(schema, operation, given):
                    coerced += 1
                else:
                    refused += 1
    assert coerced > 100
    assert refused > 100 if spoil >= 0.05 else refused == 0


def test_a_variable_with_a_default_or_no_variables_at_all() -> None:
    schema = build_schema()._schema
    for document, variables in [
        ('query($id: ID = "gid://bigcommerce/Cart/c") { cart(id: $id) { id } }', {}),
        ('query($id: ID = "gid://bigcommerce/Cart/c") { cart(id: $id) { id } }', {"id": None}),
        ("query { backends { backend } }", None),
        ("query($id: ID!) { cart(id: $id) { id } }", None),
        ("query($id: ID!) { cart(id: $id) { id } }", {"id": ["x"]}),
    ]:
        operation = parse(document).definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        _same(schema, operation, variables)


@strawberry.input
class Tree:
    children: list[Tree] | None = None


@strawberry.type
class _Query:
    @strawberry.field
    def depth(self, tree: Tree) -> int:
        return 0


def test_a_value_nested_past_the_limit_is_refused_as_graphql_core_refuses_it() -> None:
    schema = strawberry.Schema(query=_Query)._schema
    operation = parse("query($tree: Tree!) { depth(tree: $tree) }").definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    deep: dict[str, Any] = {}
    for _ in range(MAX_NESTING_DEPTH):
        deep = {"children": [deep]}
    assert not _same(schema, operation, {"tree": deep})
    assert _same(schema, operation, {"tree": {"children": [{}, {"children": None}]}})
