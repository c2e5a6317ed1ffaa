"""Serializers generated as Python source for one selection set of the output types.

A 100-line cart is about 5,000 field values; read through closures they cost more than
the rest of the request. The generator writes one plain function per selected object
(locals, then a dict literal) and compiles it once per document. Response keys come
from the client's document and enter the source only through ``repr()``; attribute
names come from the schema and must be identifiers.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    InlineFragmentNode,
    SelectionSetNode,
)

from gateway.graphql.fastpath.identity_memo import ListMemo

Serializer = Callable[[Any], Any]
DEFINITION = "strawberry-definition"


class NotCompilable(Exception):
    """The document uses something the compiler leaves to the normal executor."""


class NullViolation(Exception):
    """A non-null field resolved to None: let the normal executor report it."""


def _null() -> Any:
    raise NullViolation


def collect(
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
            collect(selection.selection_set, type_name, fragments, into)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None or fragment.type_condition.name.value != type_name:
                raise NotCompilable("fragment")
            collect(fragment.selection_set, type_name, fragments, into)
    return into


def merged(nodes: list[FieldNode]) -> SelectionSetNode | None:
    """The selections of every node of one response key, as one set."""
    sets = [node.selection_set for node in nodes if node.selection_set is not None]
    if not sets:
        return None
    return SelectionSetNode(selections=tuple(s for each in sets for s in each.selections))


class SerializedLists:
    """Serialized lists of objects, by the serializer and the source list's identity, and
    each serialized object by its own.

    The GraphQL lines of an unchanged cart are the very same list from one read to the
    next (``gateway/graphql/types.py``), so their serialized form is too; a changed cart's
    list is new, but holds the very same line objects for the lines the change left alone,
    so only the changed ones are written again. One per app (``caches.py``), shared by
    every document it compiles, so a few large carts are all it ever holds.
    """

    SHORTEST = 4

    def __init__(self, kept: int, items_kept: int = 0) -> None:
        self._memo: ListMemo[Any, Any] = ListMemo(kept=kept, items_kept=items_kept)

    def __call__(self, write_one: Callable[[Any], Any], source: Any) -> list[Any]:
        if len(source) < self.SHORTEST:
            return [write_one(item) for item in source]  # cheaper to write again
        return self._memo.recall(source, (write_one,), write_one)


# Scalars whose serialize() returns a value of this class unchanged.
_PASS_THROUGH = {GraphQLString.name: "str", GraphQLID.name: "str", GraphQLBoolean.name: "bool"}


class _Writer:
    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode],
                 lists: SerializedLists | None) -> None:
        self.fragments = fragments
        self.lists = lists
        self.source: list[str] = []
        self.namespace: dict[str, Any] = {"_null": _null}
        self.count = 0
        self.in_list = False

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def bind(self, value: Any) -> str:
        name = self.fresh("_k")
        self.namespace[name] = value
        return name

    def value(self, gtype: GraphQLOutputType, var: str, selection: SelectionSetNode | None) -> str:
        """An expression serializing ``var`` of type ``gtype``."""
        if isinstance(gtype, GraphQLNonNull):
            return f"(_null() if {var} is None else {self.present(gtype.of_type, var, selection)})"
        return f"(None if {var} is None else {self.present(gtype, var, selection)})"

    def present(self, gtype: Any, var: str, selection: SelectionSetNode | None) -> str:
        """An expression serializing ``var``, known not to be None."""
        if isinstance(gtype, GraphQLList):
            item = self.fresh("_i")
            outermost = not self.in_list
            self.in_list = True
            one = self.value(gtype.of_type, item, selection)
            self.in_list = not outermost
            if selection is None or not outermost or self.lists is None:
                return f"[{one} for {item} in {var}]"
            # The outermost lists of objects (cart lines): each list, and each object in
            # it, written once.
            write_one = self.fresh("_w")
            self.source.append(f"def {write_one}({item}):\n    return {one}\n")
            return f"{self.bind(self.lists)}({write_one}, {var})"
        if isinstance(gtype, GraphQLScalarType | GraphQLEnumType):
            serialize = self.bind(gtype.serialize)
            same = _PASS_THROUGH.get(gtype.name)
            if same is not None:
                return f"({var} if {var}.__class__ is {same} else {serialize}({var}))"
            return f"{serialize}({var})"
        if isinstance(gtype, GraphQLObjectType) and selection is not None:
            return f"{self.object(gtype, selection)}({var})"
        raise NotCompilable(f"type {gtype}")

    def object(self, gtype: GraphQLObjectType, selection: SelectionSetNode) -> str:
        """The name of a generated function serializing one object of ``gtype``."""
        name = self.fresh("_o")
        body: list[str] = []
        entries: list[str] = []
        for key, nodes in collect(selection, gtype.name, self.fragments, OrderedDict()).items():
            field_name = nodes[0].name.value
            if field_name == "__typename":
                entries.append(f"{key!r}: {gtype.name!r}")
                continue
            field = gtype.fields.get(field_name)
            definition = field.extensions.get(DEFINITION) if field else None
            if field is None or field.args or definition is None or definition.base_resolver:
                raise NotCompilable(f"field {gtype.name}.{field_name}")
            attribute = definition.python_name
            if not attribute.isidentifier():
                raise NotCompilable(f"attribute {attribute!r}")
            var = self.fresh("_v")
            body.append(f"    {var} = source.{attribute}")
            entries.append(f"{key!r}: {self.value(field.type, var, merged(nodes))}")
        self.source.append("\n".join([
            f"def {name}(source):", *body, "    return {" + ", ".join(entries) + "}", "",
        ]))
        return name


def serializer(
    gtype: GraphQLOutputType,
    selection: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    lists: SerializedLists | None = None,
) -> Serializer:
    """A function serializing a value of ``gtype`` for ``selection`` as graphql-core would;
    the outermost lists of objects are remembered in ``lists`` (None: written every time).
    """
    writer = _Writer(fragments, lists)
    expression = writer.value(gtype, "value", selection)
    writer.source.append(f"def _root(value):\n    return {expression}\n")
    code = compile("\n".join(writer.source), "<compiled selection>", "exec")
    exec(code, writer.namespace)  # source built above from the schema
    root: Serializer = writer.namespace["_root"]
    return root
