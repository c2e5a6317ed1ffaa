"""An amount as babel's ``format_currency`` writes it, without babel's cost per amount.

``format_currency(amount, currency, locale=locale, currency_digits=True)`` looks up the
locale's pattern and symbols, the currency's name and symbol, and runs a regular
expression, for every amount: tens of microseconds, two misses of the amounts memo on
every add-to-cart (its totals are new). For an amount already quantized to the
currency's digits, what it writes is the pattern's prefix, the integer digits grouped,
the locale's decimal symbol and the fraction digits, and the pattern's suffix, with the
currency's symbol in place of ``¤``. ``CurrencyLayout`` works those pieces out once per
currency and locale from babel's own pattern and symbols, and is used only where babel's
output is exactly these pieces (no scale, exponent, significant digits, plural name or
quotes) and agrees with babel on a set of probe amounts; elsewhere babel writes it.
"""

from __future__ import annotations

from decimal import Decimal

from babel import Locale
from babel.numbers import (
    format_currency,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)

# Amounts in major units that cover signs, zero, grouping past two groups, and rounding.
_PROBES = ("0", "-0", "1", "-1", "0.5", "-0.05", "12.34", "999.999", "1000", "-1234.5",
           "12345.678", "1234567.891", "-98765432.1", "100000000000.01")


def babel_text(amount: Decimal, currency: str, locale: Locale) -> str:
    """What babel writes for ``amount`` in ``currency`` and ``locale``."""
    return str(format_currency(amount, currency, locale=locale, currency_digits=True))


class CurrencyLayout:
    """The pieces babel writes an amount of one currency with, in one locale."""

    __slots__ = ("_decimal", "_grouping", "_group", "_minimum_digits", "_prefixes",
                 "_quantum", "_suffixes", "precision")

    def __init__(self, currency: str, locale: Locale) -> None:
        pattern = locale.currency_formats["standard"]
        self.precision = int(get_currency_precision(currency))
        self._quantum = Decimal(10) ** -self.precision
        self._minimum_digits = int(pattern.int_prec[0])
        self._grouping = (int(pattern.grouping[0]), int(pattern.grouping[1]))
        self._group = get_group_symbol(locale, numbering_system="latn")
        self._decimal = get_decimal_symbol(locale, numbering_system="latn")
        symbol = get_currency_symbol(currency, locale)

        def placed(text: str) -> str:
            return text.replace("¤¤", currency.upper()).replace("¤", symbol)

        self._prefixes = (placed(pattern.prefix[0]), placed(pattern.prefix[1]))
        self._suffixes = (placed(pattern.suffix[0]), placed(pattern.suffix[1]))
        if not pattern.number_pattern or pattern.scale or pattern.exp_prec \
                or "@" in pattern.pattern \
                or any("¤¤¤" in text for text in (*pattern.prefix, *pattern.suffix)) \
                or any(mark in text for mark in ("'", "¤") for text in (
                    self._group, self._decimal, *self._prefixes, *self._suffixes)):
            raise ValueError(f"babel writes {currency} in {locale} some other way")

    def text(self, amount: Decimal) -> str:
        """``amount`` (quantized to the currency's digits) as babel writes it."""
        # babel's own steps (NumberPattern.apply with the currency's precision).
        negative = int(amount.is_signed())
        digits = f"{abs(amount).normalize().quantize(self._quantum):f}"
        whole, _, fraction = digits.partition(".")
        if len(whole) < self._minimum_digits:
            whole = "0" * (self._minimum_digits - len(whole)) + whole
        size, grouped = self._grouping[0], ""
        while len(whole) > size:
            grouped = self._group + whole[-size:] + grouped
            whole = whole[:-size]
            size = self._grouping[1]
        number = whole + grouped
        if self.precision:
            number += self._decimal + fraction
        return self._prefixes[negative] + number + self._suffixes[negative]


def layout(currency: str, locale: Locale) -> CurrencyLayout | None:
    """The currency's layout in the locale, or None where babel must write each amount:
    a pattern the layout does not cover, or any probe amount written otherwise.
    """
    try:
        found = CurrencyLayout(currency, locale)
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    for probe in _PROBES:
        amount = Decimal(probe).quantize(Decimal(10) ** -found.precision)
        if found.text(amount) != babel_text(amount, currency, locale):
            return None
    return found
