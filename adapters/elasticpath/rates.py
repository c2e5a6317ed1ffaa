"""The operator's shipping rate table: Elastic Path quotes no rates, so a store brings its own.

A JSON file of zones, each a set of countries with the options offered there and each
option's price per currency, as exact decimal strings in major units::

    {"zones": [{"name": "Germany", "countries": ["DE"],
                "options": [{"handle": "dhl", "title": "DHL Paket",
                             "prices": {"EUR": "5.99", "JPY": "950"}}]}]}

It is read and checked once, at start: a country in two zones, a duplicate handle, a
price that is not exact in its currency's minor units, or anything misshapen refuses
the file with one line naming the entry. An option without a price in the cart's
currency is not offered to that cart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from adapters.delivery import DeliveryOption
from adapters.money import CurrencyError, Money, normalize_currency, quantized

_COUNTRY = re.compile(r"[A-Z]{2}")
_HANDLE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


class RateTableError(ValueError):
    """The rate table file cannot be used; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Rate:
    """One option of a zone, priced per currency."""

    handle: str
    title: str
    prices: dict[str, Decimal]


@dataclass(frozen=True, slots=True)
class RateTable:
    """Options by country."""

    by_country: dict[str, tuple[Rate, ...]]

    def options(self, country_code: str, currency: str) -> tuple[DeliveryOption, ...]:
        """The options offered to a country, priced in the currency."""
        return tuple(
            DeliveryOption(handle=rate.handle, title=rate.title,
                           cost=Money(rate.prices[currency], currency))
            for rate in self.by_country.get(country_code.upper(), ())
            if currency in rate.prices
        )


EMPTY = RateTable(by_country={})


def load_rate_table(path: str | Path) -> RateTable:
    """The table in a file; RateTableError saying what is wrong with it."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RateTableError(f"cannot read the rate table {path}: {exc.strerror}") from None
    try:
        document = json.loads(raw, parse_float=Decimal)
    except ValueError as exc:
        raise RateTableError(f"the rate table {path} is not JSON: {exc}") from None
    return parse_rate_table(document, str(path))


def parse_rate_table(document: Any, source: str = "the rate table") -> RateTable:
    """The table of a decoded document; RateTableError naming the bad entry."""
    zones = document.get("zones") if isinstance(document, dict) else None
    if not isinstance(zones, list):
        raise RateTableError(f"{source}: expected an object with a list of zones")
    by_country: dict[str, tuple[Rate, ...]] = {}
    for z, zone in enumerate(zones):
        at = f"{source}: zones[{z}]"
        if not isinstance(zone, dict):
            raise RateTableError(f"{at} is not an object")
        countries, options = zone.get("countries"), zone.get("options")
        if not isinstance(countries, list) or not countries:
            raise RateTableError(f"{at}.countries must list country codes")
        if not isinstance(options, list):
            raise RateTableError(f"{at}.options must be a list")
        rates = _rates(options, at)
        for country in countries:
            if not isinstance(country, str) or not _COUNTRY.fullmatch(country):
                raise RateTableError(f"{at}.countries: {country!r} is not an upper-case "
                                     "ISO 3166-1 alpha-2 code")
            if country in by_country:
                raise RateTableError(f"{at}.countries: {country} is in an earlier zone too")
            by_country[country] = rates
    return RateTable(by_country=by_country)


def _rates(options: list[Any], at: str) -> tuple[Rate, ...]:
    rates: list[Rate] = []
    for o, option in enumerate(options):
        here = f"{at}.options[{o}]"
        if not isinstance(option, dict):
            raise RateTableError(f"{here} is not an object")
        handle, title, prices = option.get("handle"), option.get("title"), option.get("prices")
        if not isinstance(handle, str) or not _HANDLE.fullmatch(handle):
            raise RateTableError(f"{here}.handle must be 1-64 letters, digits or _.:-")
        if any(r.handle == handle for r in rates):
            raise RateTableError(f"{here}.handle {handle!r} is used twice in the zone")
        if not isinstance(title, str) or not title.strip():
            raise RateTableError(f"{here}.title must be a non-empty string")
        if not isinstance(prices, dict) or not prices:
            raise RateTableError(f"{here}.prices must map currency codes to amounts")
        rates.append(Rate(handle=handle, title=title.strip(), prices=_prices(prices, here)))
    return tuple(rates)


def _prices(prices: dict[str, Any], at: str) -> dict[str, Decimal]:
    exact: dict[str, Decimal] = {}
    for code, value in prices.items():
        try:
            currency = normalize_currency(code)
        except CurrencyError:
            raise RateTableError(f"{at}.prices: {code!r} is not an ISO 4217 code") from None
        if not isinstance(value, str):
            raise RateTableError(f"{at}.prices.{code}: write amounts as strings, \"7.50\"")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise RateTableError(f"{at}.prices.{code}: {value!r} is not a number") from None
        if not amount.is_finite() or amount < 0:
            raise RateTableError(f"{at}.prices.{code}: {value!r} is not an amount")
        rounded = quantized(amount, currency)
        if rounded != amount:
            raise RateTableError(f"{at}.prices.{code}: {value} is not exact in {currency}'s "
                                 "minor units")
        exact[currency] = rounded
    return exact
