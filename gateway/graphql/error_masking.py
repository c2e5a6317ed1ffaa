"""What a caller sees of an error nobody raised on purpose: one message, nothing else.

Errors the gateway raises on purpose are GraphQL errors carrying a contract code (see
``error_answers.py``); any other exception a resolver or serializer meets, and a non-null
field resolved to null, is unexpected: it is logged in full and the caller sees only
``MASKED`` at the field's location and path. Both execution paths use these: graphql-core's
through ``MaskUnexpected`` (a strawberry extension), the compiled fast path
(``fastpath/compiled.py``) through ``masked`` after the schema has logged its errors.
"""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

MASKED = "Internal error in the gateway"


def is_unexpected(error: Exception) -> bool:
    """Whether an error was not raised on purpose, so the caller must not see it."""
    if not isinstance(error, GraphQLError):
        return True
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def masked(error: GraphQLError) -> GraphQLError:
    """The error as the caller sees it: an unexpected one keeps only its place."""
    if not is_unexpected(error):
        return error
    return GraphQLError(MASKED, nodes=error.nodes, source=error.source,
                        positions=error.positions, path=error.path)


class MaskUnexpected(MaskErrors):
    """graphql-core's path: strawberry's MaskErrors, masking by ``masked``."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=MASKED)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return masked(error)
