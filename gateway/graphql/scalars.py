"""Decimal and DateTime with ``@specifiedBy``: clients and code generators learn their format.

Strawberry's own coercion is kept; only the description and the specification URL change.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import replace

from strawberry.schema.types.base_scalars import DateTimeDefinition, DecimalDefinition
from strawberry.types.scalar import ScalarDefinition

# Python's str(Decimal) is the General Decimal Arithmetic to-scientific-string conversion;
# amounts are quantized to the currency's minor units, so they read "10.00", never "1E+1".
DECIMAL_SPEC = "https://speleotrove.com/decimal/daconvs.html#reftostr"
# Date and time with an offset, RFC 3339 (the GraphQL Scalars DateTime specification).
DATETIME_SPEC = "https://scalars.graphql.org/andimarek/date-time.html"

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {
    decimal.Decimal: replace(
        DecimalDefinition, specified_by_url=DECIMAL_SPEC,
        description='Exact decimal number as a string, e.g. "10.00"; never a float',
    ),
    datetime.datetime: replace(
        DateTimeDefinition, specified_by_url=DATETIME_SPEC,
        description="Date and time with its UTC offset, RFC 3339 (2026-01-31T09:30:00+00:00)",
    ),
}
