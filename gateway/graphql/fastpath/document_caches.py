"""Documents parsed and validated before, for graphql-core's path, kept by one app.

strawberry's own ``ParserCache`` and ``ValidationCache`` keep one module-level cache per
size for the whole process, shared by every schema built in it. These do the same work
in the same hooks, each with the cache the app's ``FastPath`` owns. A document that runs
cleanly is compiled after its first run, so these serve what is not compiled: documents
that never run cleanly, those the compiler leaves alone, and the first run of the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from strawberry.extensions import SchemaExtension


class ParsedOnce(SchemaExtension):
    """Parsing through ``parse``, a cache of graphql-core's ``parse``."""

    def __init__(self, parse: Callable[..., Any]) -> None:
        super().__init__()
        self._parse = parse

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.graphql_document = self._parse(context.query, **context.parse_options)
        yield


class ValidatedOnce(SchemaExtension):
    """Validation through ``validate``, a cache of strawberry's ``validate_document``."""

    def __init__(self, validate: Callable[..., Any]) -> None:
        super().__init__()
        self._validate = validate

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        context.pre_execution_errors = self._validate(
            context.schema._schema, context.graphql_document, context.validation_rules)
        yield
