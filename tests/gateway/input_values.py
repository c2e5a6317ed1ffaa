"""Random variable values for any GraphQL input type, right or (when asked) spoiled, and the
document that passes them to a root field: inputs for the fast path's coercion tests.
"""

from __future__ import annotations

import random
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    OperationDefinitionNode,
    parse,
)

ABSENT = object()
_SCALARS: dict[str, Any] = {
    "ID": lambda rng: rng.choice(["gid://cartgate/Cart/x", 42]),  # an Int ID becomes "42"
    "String": lambda rng: rng.choice(["", "text", "ü ✓"]),
    "Int": lambda rng: rng.randint(-5, 2**31 - 1),
    "Float": lambda rng: rng.choice([0.5, 3]),
    "Boolean": lambda rng: rng.random() < 0.5,
    "Decimal": lambda rng: rng.choice(["12.50", "0.001", "1E+2", "-0"]),
    "DateTime": lambda rng: "2031-02-03T04:05:06+01:00",
}
# What no input type takes whole, or only some do: each refused somewhere.
_SPOILS: list[Any] = [None, ABSENT, "text", 2**40, True, 1.5, "NOT_A_VALUE", [["x"]],
                      {"unknownField": 1}, "12,50", "2031-13-45"]


class Values:
    """Values of input types from one seeded generator; ``spoil`` is the chance that any
    one part of a value is replaced by something its type may refuse.
    """

    def __init__(self, rng: random.Random, spoil: float = 0.0) -> None:
        self.rng = rng
        self.spoil = spoil

    def raw(self, type_: GraphQLInputType, depth: int = 0) -> Any:
        """A JSON value of the type: nullable parts given, null or left out at random."""
        if self.spoil and self.rng.random() < self.spoil:
            return self.rng.choice(_SPOILS)
        if isinstance(type_, GraphQLNonNull):
            return self._given(type_.of_type, depth)
        return self.rng.choice([None, ABSENT, self._given(type_, depth)])

    def _given(self, type_: GraphQLInputType, depth: int) -> Any:
        if isinstance(type_, GraphQLList):
            if self.rng.random() < 0.1:  # a list of one, given bare
                item = type_.of_type
                return self._given(item.of_type if isinstance(item, GraphQLNonNull) else item,
                                   depth + 1)
            items = [self.raw(type_.of_type, depth + 1) for _ in range(self.rng.randint(0, 3))]
            return [None if item is ABSENT else item for item in items]
        if isinstance(type_, GraphQLInputObjectType):
            fields = {name: self.raw(field.type, depth + 1) if depth < 6 else None
                      for name, field in type_.fields.items()
                      if depth < 6 or not isinstance(field.type, GraphQLNonNull)}
            return {name: value for name, value in fields.items() if value is not ABSENT}
        if isinstance(type_, GraphQLEnumType):
            return self.rng.choice(list(type_.values))
        assert isinstance(type_, GraphQLScalarType), type_
        return _SCALARS[type_.name](self.rng)

    def arguments(self, field: GraphQLField) -> dict[str, Any]:
        """Variables for some of the field's arguments, by argument name."""
        given = {name: self.raw(argument.type) for name, argument in field.args.items()}
        return {name: value for name, value in given.items() if value is not ABSENT}


def call(kind: str, field_name: str, field: GraphQLField,
         names: list[str]) -> OperationDefinitionNode:
    """``kind($a: A, ...) { field(a: $a, ...) { __typename } }`` for the given arguments."""
    definitions = ", ".join(f"${name}: {field.args[name].type}" for name in names)
    arguments = ", ".join(f"{name}: ${name}" for name in names)
    document = parse(f"{kind}{f'({definitions})' if names else ''} "
                     f"{{ {field_name}{f'({arguments})' if names else ''} {{ __typename }} }}")
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation
