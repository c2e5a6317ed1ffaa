"""What to call an operation in metrics and spans, and how it ended.

An operation is named by its root fields as the schema knows them (``cartLinesAdd``,
``backends+cart``), never by the client's free-text operation name, so the names are
bounded by the schema; past ``MAX_NAMES`` distinct names the rest are ``other``.
Outcomes: ``ok``, ``user_error`` (a mutation answered ``userErrors``), ``graphql_error``
(a coded GraphQL error, e.g. a query's ``SERVICE_UNAVAILABLE``), ``request_error``
(refused before execution: parse, validation, limits, HTTP method), ``unexpected``.
"""

from __future__ import annotations

from contextvars import ContextVar, Token

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from strawberry.types import ExecutionResult

from adapters.errors import ErrorCode

INVALID = "invalid"
OTHER = "other"
UNKNOWN = "unknown"
MAX_NAMES = 64
# Documents remembered with their labels; repeated documents are the common case.
CACHE_SIZE = 512
# The schema's own token limit: the label costs at most one bounded parse per new document.
MAX_TOKENS = 5000
_META_FIELDS = frozenset({"__typename", "__schema", "__type"})
KNOWN_CODES = frozenset(code.value for code in ErrorCode)

# The contract codes answered while the current operation runs (see note_error_code).
_codes: ContextVar[list[str] | None] = ContextVar("cartgate_error_codes", default=None)


def note_error_code(code: str) -> None:
    """Remember a contract error code answered by the running operation, if one is watched."""
    codes = _codes.get()
    if codes is not None:
        codes.append(code)


def watch_error_codes() -> tuple[list[str], Token[list[str] | None]]:
    """Start collecting codes for this context; returns them and a token for ``unwatch``."""
    codes: list[str] = []
    return codes, _codes.set(codes)


def unwatch_error_codes(token: Token[list[str] | None]) -> None:
    """Stop collecting (the token ``watch_error_codes`` returned)."""
    _codes.reset(token)


class OperationLabels:
    """Bounded (name, type) labels for operations, remembered per document."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self._roots = {
            "query": _field_names(schema, "query"),
            "mutation": _field_names(schema, "mutation"),
            "subscription": _field_names(schema, "subscription"),
        }
        self._cache: dict[tuple[str, str | None], tuple[str, str]] = {}
        self._names: set[str] = set()

    def label(self, query: str | None, operation_name: str | None) -> tuple[str, str]:
        """(operation, type) for a request; ``invalid``/``unknown`` when it cannot be read."""
        if not isinstance(query, str) or not isinstance(operation_name, str | None):
            return INVALID, UNKNOWN
        key = (query, operation_name)
        found = self._cache.get(key)
        if found is None:
            found = self._bounded(*self._read(query, operation_name))
            if len(self._cache) >= CACHE_SIZE:
                del self._cache[next(iter(self._cache))]  # the oldest entry
            self._cache[key] = found
        return found

    def _bounded(self, name: str, kind: str) -> tuple[str, str]:
        if name in self._names or name in (INVALID, OTHER):
            return name, kind
        if len(self._names) >= MAX_NAMES:
            return OTHER, kind
        self._names.add(name)
        return name, kind

    def _read(self, query: str, operation_name: str | None) -> tuple[str, str]:
        try:
            document = parse(query, no_location=True, max_tokens=MAX_TOKENS)
        except GraphQLError:
            return INVALID, UNKNOWN
        operation = _chosen(document, operation_name)
        if operation is None:
            return INVALID, UNKNOWN
        kind = operation.operation.value
        fragments = {d.name.value: d for d in document.definitions
                     if isinstance(d, FragmentDefinitionNode)}
        names: set[str] = set()
        if not _collect(operation.selection_set, fragments, names, set()):
            return INVALID, kind
        known = self._roots.get(kind, frozenset()) | _META_FIELDS
        if not names or not names <= known:
            return INVALID, kind
        return "+".join(sorted(names)), kind


def outcome(result: ExecutionResult, codes: list[str]) -> str:
    """How an executed operation ended (see the module docstring)."""
    errors = result.errors
    if errors:
        if result.data is None and all(error.path is None for error in errors):
            return "request_error"
        if any(error.path is not None and not (error.extensions or {}).get("code")
               for error in errors):
            return "unexpected"  # masked: only errors we raised on purpose carry a code
        return "graphql_error"
    return "user_error" if codes else "ok"


def bounded_code(code: str) -> str:
    """A contract code as a label value; anything else is ``other``."""
    return code if code in KNOWN_CODES else OTHER


def _field_names(schema: GraphQLSchema, kind: str) -> frozenset[str]:
    root = getattr(schema, f"{kind}_type")
    return frozenset(root.fields) if root is not None else frozenset()


def _chosen(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        # Strawberry runs the first operation of a document when none is named.
        return operations[0] if operations else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


def _collect(selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode],
             names: set[str], seen: set[str]) -> bool:
    # Root fields, through inline fragments and named fragments (each followed once).
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            if not _collect(selection.selection_set, fragments, names, seen):
                return False
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None:
                return False
            if selection.name.value not in seen:
                seen.add(selection.name.value)
                if not _collect(fragment.selection_set, fragments, names, seen):
                    return False
    return True
