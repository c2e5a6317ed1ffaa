"""What only a trusted server caller may use, declared once on each field: ``@trustedOnly``.

A root field, an argument, an input field or an input type carrying the ``TrustedOnly``
schema directive (it shows in the SDL) may be used only by a trusted server caller. ``AccessRules``
reads the directives from the schema once and finds every use in an operation, in
literals and variables alike, before any resolver runs (``gateway/access/gate.py`` asks it on
both execution paths). No resolver tests the caller itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    Undefined,
    VariableNode,
    value_from_ast,
)
from graphql.execution.values import VariableValues
from strawberry.schema_directive import Location

from adapters.errors import AccessDenied, CartgateError

DEFINITION = "strawberry-definition"  # where strawberry keeps a graphql-core object's origin
Path = tuple[str, ...]


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION, Location.ARGUMENT_DEFINITION,
               Location.INPUT_FIELD_DEFINITION, Location.INPUT_OBJECT],
    description="Only a trusted server caller may use this; a storefront caller gets "
                "ACCESS_DENIED and nothing changes",
)
class TrustedOnly:
    """Marks a root field, argument, input field or whole input type as reserved to trusted
    server callers; a value of a trusted-only input type is refused where it is given.
    """


TRUSTED_ONLY = [TrustedOnly()]


def _declared(graphql_object: Any) -> bool:
    origin = graphql_object.extensions.get(DEFINITION)
    return any(isinstance(d, TrustedOnly) for d in getattr(origin, "directives", None) or ())


def _named(type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


class AccessRules:
    """The schema's trusted-only fields, read once, and the uses of them in an operation."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.root_fields: set[tuple[str, str]] = set()
        # By root field, its watched arguments in the schema's order (that of the errors).
        self._watched: dict[tuple[str, str], tuple[str, ...]] = {}
        self.arguments: set[tuple[str, str, str]] = set()
        self.input_fields: set[tuple[str, str]] = set()
        inputs = [t for t in schema.type_map.values() if isinstance(t, GraphQLInputObjectType)]
        self.input_types = {t.name for t in inputs if _declared(t)}
        for type_ in inputs:
            self.input_fields |= {(type_.name, name) for name, field in type_.fields.items()
                                  if _declared(field)
                                  or _named(field.type).name in self.input_types}
        # Input types that hold a trusted-only field somewhere inside: only these are walked.
        self._guarded = {name for name, _ in self.input_fields}
        grew = True
        while grew:
            grew = False
            for type_ in inputs:
                if type_.name not in self._guarded and any(
                        _named(f.type).name in self._guarded for f in type_.fields.values()):
                    self._guarded.add(type_.name)
                    grew = True
        for root in (schema.query_type, schema.mutation_type):
            if root is None:
                continue
            for name, field in root.fields.items():
                if _declared(field):
                    self.root_fields.add((root.name, name))
                self.arguments |= {(root.name, name, arg) for arg, value in field.args.items()
                                   if _declared(value)
                                   or _named(value.type).name in self.input_types}
                # The arguments a use can hide in: trusted-only, or of a guarded input type.
                self._watched[(root.name, name)] = tuple(
                    arg for arg, value in field.args.items()
                    if (root.name, name, arg) in self.arguments
                    or _named(value.type).name in self._guarded)

    def denials(
        self, root: GraphQLObjectType, selections: SelectionSetNode,
        fragments: Mapping[str, FragmentDefinitionNode], variables: VariableValues,
    ) -> dict[str, list[CartgateError]]:
        """Every trusted-only use, by the response key of the root field that makes it."""
        found: dict[str, list[CartgateError]] = {}
        for node in root_fields(selections, fragments):
            name = node.name.value
            definition = root.fields.get(name)
            if definition is None:
                continue  # __typename
            key = node.alias.value if node.alias else name
            if (root.name, name) in self.root_fields:
                found.setdefault(key, []).append(_denied((name,)))
                continue
            watched = self._watched.get((root.name, name), ())
            given = {a.name.value: a.value for a in node.arguments or ()} if watched else {}
            for arg in watched:  # an id, a number: nothing in it is trusted-only
                if arg in given:
                    value = _value(given[arg], definition.args[arg].type, variables)
                else:
                    value = definition.args[arg].default_value
                    value = None if value is Undefined else value
                if value is None or value == []:
                    continue
                if (root.name, name, arg) in self.arguments:
                    found.setdefault(key, []).append(_denied((arg,)))
                else:
                    for path in self._uses(value, definition.args[arg].type, (arg,)):
                        found.setdefault(key, []).append(_denied(path))
        return found

    def _uses(self, value: Any, type_: GraphQLInputType, path: Path) -> Iterator[Path]:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            for index, item in enumerate(value or ()):
                if item is not None:
                    yield from self._uses(item, type_.of_type, (*path, str(index)))
        elif isinstance(type_, GraphQLInputObjectType) and type_.name in self._guarded:
            for name, field in type_.fields.items():
                inner = value.get(name)
                if inner is None or inner == []:
                    continue
                if (type_.name, name) in self.input_fields:
                    yield (*path, name)
                else:
                    yield from self._uses(inner, field.type, (*path, name))


def _value(node: Any, type_: GraphQLInputType, variables: VariableValues) -> Any:
    """An argument's value as the executor will coerce it; None when it is not valid,
    which the executor reports before anything runs.
    """
    if isinstance(node, VariableNode):
        # Coerced already, with the operation's defaults; a missing one is no use.
        return variables.coerced.get(node.name.value)
    try:
        value = value_from_ast(node, type_, variables.coerced)
    except GraphQLError:
        return None
    return None if value is Undefined else value


def _denied(path: Path) -> AccessDenied:
    return AccessDenied(f"only a trusted server caller may use {path[-1]}", field=path)


def root_fields(selections: SelectionSetNode,
                fragments: Mapping[str, FragmentDefinitionNode]) -> Iterator[FieldNode]:
    """The operation's root field nodes through any fragments, skipped ones included."""
    seen: set[str] = set()
    pending = list(reversed(selections.selections))
    while pending:
        selection = pending.pop()
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            pending.extend(reversed(selection.selection_set.selections))
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                pending.extend(reversed(fragment.selection_set.selections))
