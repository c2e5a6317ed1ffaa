"""Domain errors -> userErrors in mutations and coded GraphQL errors in queries."""

from __future__ import annotations

import logging

from graphql import GraphQLError

from adapters.errors import BackendError, CartgateError, CartUserError
from gateway.graphql.types import CartUserError as CartUserErrorType
from gateway.observability.operation_labels import note_error_code

log = logging.getLogger("cartgate")


def user_error(error: CartgateError) -> CartUserErrorType:
    """The userErrors entry for any domain error."""
    if isinstance(error, BackendError):
        log.warning("backend failure: %s (%s)", error.message, error.code.value)
    note_error_code(error.code.value)
    return CartUserErrorType(
        code=error.code,
        field=list(error.field) if error.field is not None else None,
        message=error.message,
    )


def query_error(error: CartgateError) -> GraphQLError:
    """A GraphQL error whose ``extensions.code`` is the contract's code."""
    if isinstance(error, BackendError):
        log.warning("backend failure: %s (%s)", error.message, error.code.value)
    note_error_code(error.code.value)
    extensions: dict[str, object] = {"code": error.code.value}
    if isinstance(error, CartUserError) and error.field is not None:
        extensions["field"] = list(error.field)
    return GraphQLError(error.message, extensions=extensions)
