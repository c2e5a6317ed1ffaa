"""A root field's arguments converted as strawberry converts them, decided once per field.

strawberry's ``convert_arguments`` walks the argument types on every request: for each
value it asks again whether the type is optional, a list, a scalar, an enum or an input,
and resolves each input field's type. ``arguments_converter`` asks those questions once,
when a document is compiled, and keeps only what a value needs: scalars and enums as
given, lists of them copied, inputs built from their fields with the same implicit
``None`` for fields without a default, absent fields left out (so a field defaulting to
``strawberry.UNSET`` stays UNSET), explicit nulls kept as ``None``. Anything else
(``Maybe``, relay's ``GlobalID``, inputs with ``from_input``, recursive inputs, a type
strawberry does not know) is ``NotCompilable``: the field keeps ``convert_arguments``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING
from typing import Any

from strawberry.relay.types import GlobalID
from strawberry.scalars import is_scalar
from strawberry.schema.config import StrawberryConfig
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.base import (
    StrawberryList,
    StrawberryMaybe,
    StrawberryOptional,
    StrawberryType,
    has_object_definition,
)
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.lazy_type import LazyType
from strawberry.types.unset import UNSET

from gateway.graphql.fastpath.serializers import NotCompilable

# A value converter; None where the value is passed on as it is (scalars, enums).
Converter = Callable[[Any], Any]
ArgumentsConverter = Callable[[Mapping[str, Any]], dict[str, Any]]
Registry = Mapping[object, Any]


def arguments_converter(
    arguments: Sequence[StrawberryArgument], registry: Registry, config: StrawberryConfig
) -> ArgumentsConverter:
    """GraphQL argument values (graphql-core's, by GraphQL name) to the resolver's keyword
    arguments, as ``convert_arguments(values, arguments, registry, config)`` gives them.
    """
    plan = tuple(
        (config.name_converter.from_argument(argument), argument.python_name,
         _converter(argument.type, registry, config, ()))
        for argument in arguments
    )

    def convert(values: Mapping[str, Any]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        for name, python_name, converter in plan:
            if name in values:
                value = values[name]
                kwargs[python_name] = value if converter is None else converter(value)
        return kwargs

    return convert


def _is_leaf(type_: object, registry: Registry) -> bool:
    """Strawberry's leaf test: a scalar or an enum, through lazy references."""
    if isinstance(type_, LazyType):
        return _is_leaf(type_.resolve_type(), registry)
    return is_scalar(type_, registry) or isinstance(type_, StrawberryEnumDefinition)


def _converter(type_: StrawberryType | type | object, registry: Registry,
               config: StrawberryConfig, building: tuple[object, ...]) -> Converter | None:
    if isinstance(type_, StrawberryMaybe):
        raise NotCompilable("Maybe argument")
    if isinstance(type_, StrawberryOptional):
        # None and UNSET are answered by the inner converter (or passed on as they are).
        return _converter(type_.of_type, registry, config, building)
    if type_ is GlobalID or (isinstance(type_, type) and issubclass(type_, GlobalID)):
        raise NotCompilable("GlobalID argument")
    if isinstance(type_, StrawberryList):
        return _list(type_.of_type, registry, config, building)
    if _is_leaf(type_, registry):
        return None
    if isinstance(type_, LazyType):
        return _converter(type_.resolve_type(), registry, config, building)
    if has_enum_definition(type_):
        return None  # its StrawberryEnumDefinition is a leaf: the value is passed on
    if has_object_definition(type_) and isinstance(type_, type):
        return _input(type_, registry, config, building)
    raise NotCompilable(f"argument type {type_!r}")


def _list(item: object, registry: Registry, config: StrawberryConfig,
          building: tuple[object, ...]) -> Converter:
    convert_item = _converter(item, registry, config, building)
    if convert_item is None:
        # Items passed on as they are, the list copied all the same: graphql-core hands every
        # request that omits the value the same default list, so a change to it would reach
        # the next requests.
        def copy(value: Any) -> Any:
            if value is None or value is UNSET:
                return value
            return list(value)

        return copy

    def each(value: Any) -> Any:
        if value is None or value is UNSET:
            return value
        return [convert_item(element) for element in value]

    return each


def _input(cls: type, registry: Registry, config: StrawberryConfig,
           building: tuple[object, ...]) -> Converter:
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    if definition.from_input is not None:
        raise NotCompilable(f"{cls.__name__} builds itself (from_input)")
    if cls in building:
        raise NotCompilable(f"{cls.__name__} holds itself")
    # An input's fields without a default are None unless given (graphql-core has already
    # refused a required field left out).
    implicit = {field.python_name: None for field in definition.fields
                if field.default_value is MISSING and field.default_factory is MISSING
                } if definition.is_input else {}
    fields = tuple(
        (config.name_converter.from_field(field), field.python_name,
         _converter(field.resolve_type(type_definition=definition), registry, config,
                    (*building, cls)))
        for field in definition.fields
    )

    def build(value: Any) -> Any:
        if value is None or value is UNSET:
            return value
        kwargs = dict(implicit)
        for name, python_name, converter in fields:
            if name in value:
                given = value[name]
                kwargs[python_name] = given if converter is None else converter(given)
        return cls(**kwargs)

    return build
