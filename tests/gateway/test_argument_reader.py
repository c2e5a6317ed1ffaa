"""A compiled root field reads its arguments from the coerced variables exactly as
graphql-core's get_argument_values gives them: the same values in the same order, and the
same error where graphql-core refuses.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, parse
from graphql.execution.values import get_argument_values, get_variable_values

from gateway.graphql.fastpath.compiled import argument_reader
from gateway.graphql.schema import build_schema

SCHEMA = build_schema()._schema
LINES = [{"sku": "MUG-ORBIT", "quantity": 2}]
ADD = "cartLinesAdd(cartId: $id, lines: $lines) { cart { id } }"


def _root(document: str) -> tuple[OperationDefinitionNode, FieldNode]:
    operation = parse(document).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    node = operation.selection_set.selections[0]
    assert isinstance(node, FieldNode)
    return operation, node


def _both(document: str, variables: dict[str, Any]) -> tuple[Any, Any]:
    """(graphql-core's arguments or error, the reader's arguments or error)."""
    operation, node = _root(document)
    root = SCHEMA.mutation_type if operation.operation.value == "mutation" else SCHEMA.query_type
    assert root is not None
    definition = root.fields[node.name.value]
    coerced = get_variable_values(SCHEMA, operation.variable_definitions or (), variables)
    assert not isinstance(coerced, list), coerced

    def outcome(read: Any) -> Any:
        try:
            return list(read(coerced).items())
        except GraphQLError as error:
            return ("error", error.message)

    return (outcome(lambda values: get_argument_values(definition, node, values)),
            outcome(argument_reader(definition, node)))


@pytest.mark.parametrize(("document", "variables"), [
    ("query($id: ID!) { cart(id: $id) { id } }", {"id": "Q2FydA=="}),
    ("query($id: ID!) { cart(id: $id) { id } }", {"id": 7}),
    ("query { cart(id: \"literal\") { id } }", {}),
    (f"mutation($id: ID!, $lines: [CartLineInput!]) {{ {ADD} }}", {"id": "c", "lines": LINES}),
    (f"mutation($id: ID!, $lines: [CartLineInput!]) {{ {ADD} }}", {"id": "c", "lines": None}),
    (f"mutation($id: ID!, $lines: [CartLineInput!]) {{ {ADD} }}", {"id": "c"}),
    (f"mutation($id: ID!, $lines: [CartLineInput!] = [{{sku: \"PEN\"}}]) {{ {ADD} }}",
     {"id": "c"}),
    ("mutation($id: ID!) { cartLinesAdd(cartId: $id, lines: [{sku: \"PEN\"}], "
     "expectedVersion: \"v1\") { cart { id } } }", {"id": "c"}),
    ("mutation($id: ID!, $v: String) { cartLinesAdd(cartId: $id, expectedVersion: $v) "
     "{ cart { id } } }", {"id": "c", "v": "v2"}),
    ("mutation($id: ID!, $v: String) { cartLinesAdd(cartId: $id, expectedVersion: $v) "
     "{ cart { id } } }", {"id": "c"}),
    # Not valid (a nullable variable where the argument is not): graphql-core's error stands.
    ("query($id: ID) { cart(id: $id) { id } }", {"id": None}),
    ("query($id: ID) { cart(id: $id) { id } }", {}),
])
def test_the_reader_gives_what_graphql_core_gives(document: str,
                                                  variables: dict[str, Any]) -> None:
    expected, read = _both(document, variables)
    assert read == expected


def test_defaults_left_out_of_the_document_are_read_as_null() -> None:
    expected, read = _both(f"mutation($id: ID!, $lines: [CartLineInput!]) {{ {ADD} }}",
                           {"id": "c", "lines": LINES})
    assert read == expected
    assert ("expectedVersion", None) in read
    assert [name for name, _ in read][:2] == ["cartId", "lines"]
