"""Exact money: a Decimal amount in one ISO 4217 currency, quantized to its minor units.

A float never becomes Money: vendor JSON is parsed with ``parse_float=Decimal`` and
this module refuses floats outright, so a rounding error cannot creep in unseen.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_precision, list_currencies

from adapters.money_format import CurrencyLayout, babel_text, layout

DEFAULT_LOCALE = "en_US"


class CurrencyError(ValueError):
    """A currency code that ISO 4217 does not know, or mixed currencies."""


def normalize_currency(code: str) -> str:
    """Return the upper-case ISO 4217 code, or raise CurrencyError."""
    upper = code.strip().upper()
    if len(upper) != 3 or upper not in _known_currencies():
        raise CurrencyError(f"unknown currency code {code!r}")
    return upper


@lru_cache(maxsize=1)
def _known_currencies() -> frozenset[str]:
    # What babel's is_currency asks, read once: it builds a set of ~300 codes per call.
    return frozenset(list_currencies())


@lru_cache(maxsize=256)
def minor_unit_exponent(currency: str) -> int:
    """Digits after the decimal point for the currency (JPY 0, USD 2, JOD 3)."""
    return int(get_currency_precision(currency))


@lru_cache(maxsize=256)
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_unit_exponent(currency))


def quantized(value: object, currency: str) -> Decimal:
    """A JSON number or numeric string as a Decimal in the currency's minor units, for
    arithmetic that is wrapped in Money once, at the end.
    """
    # Remembered by type and sign too: True equals 1 and Decimal("-0") equals 0, but
    # True is refused and -0 is quantized to -0.00.
    return _quantized(value, currency, isinstance(value, Decimal) and value.is_signed())


@lru_cache(maxsize=64, typed=True)
def _quantized(value: object, currency: str, signed: bool) -> Decimal:
    return to_decimal(value).quantize(_quantum(currency), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=64)
def babel_locale(locale: str | None) -> Locale:
    """The babel Locale for ``en-US``/``en_US``/``en``; the default when unknown or None."""
    if locale:
        try:
            return Locale.parse(locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse(DEFAULT_LOCALE)


def to_decimal(value: object) -> Decimal:
    """A Decimal from a JSON number or numeric string; floats are refused."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"refusing to turn {type(value).__name__} into money")
    if isinstance(value, int | str):
        try:
            result = Decimal(value)
        except ArithmeticError as exc:
            raise ValueError(f"not a number: {value!r}") from exc
        if not result.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return result
    raise TypeError(f"not a number: {value!r}")


_set = object.__setattr__


class Money:
    """An exact amount in one currency, always quantized to the currency's minor units.

    Immutable, compared and hashed by value. Written out by hand rather than as a frozen
    dataclass: a large cart makes thousands of these, and this is twice as fast.
    """

    __slots__ = ("amount", "currency")
    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal, currency: str) -> None:
        if not isinstance(amount, Decimal):
            raise TypeError("Money.amount must be a Decimal")
        _set(self, "amount", amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP))
        _set(self, "currency", currency)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Money is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount == other.amount and self.currency == other.currency

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __repr__(self) -> str:
        return f"Money(amount={self.amount!r}, currency={self.currency!r})"

    def __reduce__(self) -> tuple[type[Money], tuple[Decimal, str]]:
        return (Money, (self.amount, self.currency))

    @classmethod
    def of(cls, value: object, currency: str) -> Money:
        """Money from a Decimal, int or numeric string in major units."""
        return cls(to_decimal(value), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        """Money from an integer count of minor units (1000 USD cents is 10.00)."""
        if isinstance(minor, bool) or not isinstance(minor, int):
            raise TypeError(f"minor units must be an int, got {minor!r}")
        return cls(Decimal(minor).scaleb(-minor_unit_exponent(currency)), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def to_minor(self) -> int:
        """The amount as an integer count of minor units."""
        return int(self.amount.scaleb(minor_unit_exponent(self.currency)))

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyError(f"cannot combine {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            raise TypeError("Money can only be multiplied by an int")
        return Money(self.amount * factor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def format(self, locale: str | None = None) -> str:
        """The amount for display in the locale: ``$10.00``, ``￥1,000``, ``12,50 €``."""
        # The sign too: -0.00 equals 0.00, and hashes alike, but babel writes "-$0.00".
        return _formatted(self.amount, self.amount.is_signed(), self.currency, locale)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@lru_cache(maxsize=16384)
def _formatted(amount: Decimal, signed: bool, currency: str, locale: str | None) -> str:
    # Carts repeat the same few amounts. The amount is quantized, so an equal amount in
    # the currency is written alike, but for the sign of a zero, which ``signed`` tells
    # apart. A new amount is written from its currency's layout (``money_format.py``).
    found = _layout(currency, locale)
    if found is not None:
        return found.text(amount)
    return babel_text(amount, currency, babel_locale(locale))


@lru_cache(maxsize=256)
def _layout(currency: str, locale: str | None) -> CurrencyLayout | None:
    return layout(currency, babel_locale(locale))


def money_sum(values: list[Money] | tuple[Money, ...], currency: str) -> Money:
    """The sum of amounts in one currency; zero for none."""
    total = Decimal(0)
    for value in values:
        if value.currency != currency:
            raise CurrencyError(f"cannot add {value.currency} to a sum in {currency}")
        total += value.amount
    return Money(total, currency)
