"""The store's currencies and Elastic Path's `formatted` price strings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Currency:
    """One store currency, with the display fields of Elastic Path's currency object."""

    code: str
    id: str
    format: str
    decimal_point: str
    thousand_separator: str
    decimal_places: int
    default: bool = False
    exchange_rate: int = 1
    enabled: bool = True

    def formatted(self, amount: int) -> str:
        """Render integer minor units through `format`, e.g. -150 USD -> "-$1.50"."""
        sign = "-" if amount < 0 else ""
        units, minor = divmod(abs(amount), 10**self.decimal_places)
        price = f"{units:,}".replace(",", self.thousand_separator)
        if self.decimal_places:
            price += self.decimal_point + str(minor).zfill(self.decimal_places)
        # Elastic Path puts the minus sign before the whole template ("-$50.00").
        return sign + self.format.replace("{price}", price)


# Fixed ids keep the sandbox's responses reproducible between runs.
CURRENCIES: dict[str, Currency] = {
    c.code: c
    for c in (
        Currency("USD", "4f5d7a3e-2c1b-4d7e-9a51-0c7e7d3b9a01", "${price}", ".", ",", 2,
                 default=True),
        Currency("EUR", "4f5d7a3e-2c1b-4d7e-9a51-0c7e7d3b9a02", "€{price}", ".", ",", 2),
        Currency("JPY", "4f5d7a3e-2c1b-4d7e-9a51-0c7e7d3b9a03", "¥{price}", ".", ",", 0),
        Currency("JOD", "4f5d7a3e-2c1b-4d7e-9a51-0c7e7d3b9a04", "JOD {price}", ".", ",", 3),
    )
}

DEFAULT_CURRENCY = next(c for c in CURRENCIES.values() if c.default)


def currency_json(currency: Currency, *, base_url: str) -> dict[str, object]:
    """The currency as `GET /v2/currencies` returns it."""
    return {
        "id": currency.id,
        "type": "currency",
        "code": currency.code,
        "exchange_rate": currency.exchange_rate,
        "format": currency.format,
        "decimal_point": currency.decimal_point,
        "thousand_separator": currency.thousand_separator,
        "decimal_places": currency.decimal_places,
        "default": currency.default,
        "enabled": currency.enabled,
        "links": {"self": f"{base_url}/v2/currencies/{currency.id}"},
        "meta": {
            "owner": "store",
            "timestamps": {
                "created_at": "2024-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
            },
        },
    }
