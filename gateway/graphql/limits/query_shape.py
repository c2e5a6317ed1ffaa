"""The shape of an operation: its static cost, its depth and its aliases, in one walk.

Cost is what the answer can hold plus what it spends at the vendors:

- every selected field costs 1, times the assumed length of each list it sits in
  (``LIST_SIZES``; any other list is assumed to hold ``DEFAULT_LIST_SIZE`` items);
- every root field costs ``ROOT_FIELD_COST`` more, because each one makes at least
  one vendor call (a mutation usually several).

It is an upper estimate, not a measurement: a real cart usually holds fewer lines.

Depth counts levels of fields (``{ cart { id } }`` is 2); aliases count every aliased
field as often as the operation would execute it. Each fragment is measured once and
reused, so the walk is linear in the document even when fragments spread each other
many times over (strawberry's QueryDepthLimiter and MaxAliasesLimiter expand every
spread, which takes exponential time on such a document).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLFieldMap,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    TypeNameMetaFieldDef,
    ValidationContext,
)

from adapters.registry import VENDORS

ROOT_FIELD_COST = 10_000
DEFAULT_LIST_SIZE = 10
LIST_SIZES = {
    # Elastic Path holds at most 100 unique items in a cart.
    ("Cart", "lines"): 100,
    ("CartTransferPayload", "unmatchedLines"): 100,
    ("CartComparisonPayload", "differences"): 100,
    # One entry per registered vendor.
    ("Query", "backends"): len(VENDORS),
    ("CartComparisonPayload", "results"): len(VENDORS),
    ("CartDifference", "values"): len(VENDORS),
}


@dataclass(frozen=True)
class Shape:
    """What an operation (or a part of one) asks for."""

    cost: int = 0
    depth: int = 0
    aliases: int = 0

    def __add__(self, other: Shape) -> Shape:
        return Shape(self.cost + other.cost, max(self.depth, other.depth),
                     self.aliases + other.aliases)


class _Walk:
    """Measures the selection sets of one document; each fragment once."""

    def __init__(self, context: ValidationContext, root: GraphQLObjectType | None) -> None:
        self.context = context
        self.root = root
        self.fragments: dict[str, Shape] = {}
        self.in_progress: set[str] = set()

    def selections(self, node: SelectionSetNode | None, parent: Any) -> Shape:
        total = Shape()
        for selection in node.selections if node else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.context.schema.get_type(condition.name.value) \
                    if condition else parent
                total += self.selections(selection.selection_set, target)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> Shape:
        if name in self.fragments:
            return self.fragments[name]
        definition = self.context.get_fragment(name)
        if definition is None or name in self.in_progress:
            return Shape()  # unknown fragments and cycles are graphql-core's own errors
        self.in_progress.add(name)
        target = self.context.schema.get_type(definition.type_condition.name.value)
        shape = self.selections(definition.selection_set, target)
        self.in_progress.discard(name)
        self.fragments[name] = shape
        return shape

    def _definition(self, parent: Any, name: str) -> GraphQLField | None:
        if name == "__typename":
            return TypeNameMetaFieldDef
        if parent is self.context.schema.query_type and name in ("__schema", "__type"):
            return SchemaMetaFieldDef if name == "__schema" else TypeMetaFieldDef
        if isinstance(parent, GraphQLObjectType):
            # graphql-core's cached_property hides the field map's type from mypy.
            fields: GraphQLFieldMap = parent.fields
            return fields.get(name)
        return None

    def field(self, node: FieldNode, parent: Any) -> Shape:
        aliases = 1 if node.alias else 0
        name = node.name.value
        definition = self._definition(parent, name)
        if definition is None:
            return Shape(cost=1, depth=1, aliases=aliases)  # graphql-core reports it
        vendor = ROOT_FIELD_COST if parent is self.root and not name.startswith("__") else 0
        kind, size = definition.type, 1
        while isinstance(kind, GraphQLNonNull | GraphQLList):
            if isinstance(kind, GraphQLList):
                size *= LIST_SIZES.get((parent.name, name), DEFAULT_LIST_SIZE)
            kind = kind.of_type
        inner = self.selections(node.selection_set, kind)
        return Shape(cost=1 + vendor + size * inner.cost, depth=1 + inner.depth,
                     aliases=aliases + inner.aliases)


def operation_shape(context: ValidationContext, operation: OperationDefinitionNode) -> Shape:
    """The cost, depth and aliases of one operation of the context's document."""
    root = context.schema.get_root_type(operation.operation)
    return _Walk(context, root).selections(operation.selection_set, root)
