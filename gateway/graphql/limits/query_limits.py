"""What one operation may ask for: tokens, depth, aliases and cost, checked before execution.

Every limit is a GraphQL request error (400 with ``application/graphql-response+json``),
so nothing reaches a vendor when one is crossed. The deepest operation of the contract
(``cartCompare { results { cart { lines { cost { amountPerQuantity { amount } } } } } }``)
is 7 levels deep and GraphiQL's introspection query 15; a ``cartCreate`` selecting the
whole cart costs about 22,000, that introspection query about 52,000.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, ValidationRule
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
)

from gateway.graphql.limits.query_shape import operation_shape

# Enough for a 250-line cart written inline as literals; a longer document is refused
# while it is parsed, before any validation work.
MAX_TOKENS = 5_000
MAX_DEPTH = 15
MAX_ALIASES = 20
# A whole cart can be read about four times in one operation, and at most nine root
# fields (each a vendor call) fit, whatever they select.
MAX_COST = 100_000


class OperationLimits(ValidationRule):
    """Refuses an operation deeper than MAX_DEPTH, with more than MAX_ALIASES aliases
    or costing more than MAX_COST.
    """

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        try:
            shape = operation_shape(self.context, node)
        except RecursionError:
            self.report_error(GraphQLError("the operation nests fragments too deeply", node))
            return
        name = node.name.value if node.name else "the operation"
        if shape.depth > MAX_DEPTH:
            self.report_error(GraphQLError(
                f"{name} is {shape.depth} levels deep; the limit is {MAX_DEPTH}", node))
        if shape.aliases > MAX_ALIASES:
            self.report_error(GraphQLError(
                f"{name} has {shape.aliases} aliases; the limit is {MAX_ALIASES}", node))
        if shape.cost > MAX_COST:
            self.report_error(GraphQLError(
                f"{name} costs {shape.cost}; the limit is {MAX_COST}: select fewer fields "
                "or fewer root fields", node))


def query_limits(*, production: bool) -> list[Any]:
    """Factories of the schema extensions that bound every operation (one per request);
    production also refuses introspection.
    """
    limits: list[Any] = [
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        partial(AddValidationRules, [OperationLimits]),
    ]
    if production:
        limits.append(DisableIntrospection)
    return limits
