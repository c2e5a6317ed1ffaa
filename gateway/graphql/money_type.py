"""The GraphQL Money type, shared by the cart's and the delivery's types."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from adapters.money import Money as DomainMoney


@strawberry.type
class Money:
    """An ``adapters.money.Money`` as the storefront reads it, formatted for display too."""

    amount: Decimal = strawberry.field(
        description="Quantized to the currency's minor units: JPY 1000, USD 10.00, JOD 12.125"
    )
    currency_code: str = strawberry.field(description="ISO 4217, upper case")
    formatted: str = strawberry.field(description="For display, in the cart's locale")


def money(value: DomainMoney, locale: str) -> Money:
    return Money(amount=value.amount, currency_code=value.currency,
                 formatted=value.format(locale))
