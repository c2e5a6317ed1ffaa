"""Money: exact, quantized to each currency's minor units, never a float."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.money import CurrencyError, Money, minor_unit_exponent, normalize_currency, quantized


@pytest.mark.parametrize(("currency", "digits"),
                         [("JPY", 0), ("USD", 2), ("EUR", 2), ("JOD", 3), ("KWD", 3)])
def test_minor_units_follow_iso_4217(currency: str, digits: int) -> None:
    assert minor_unit_exponent(currency) == digits


def test_amounts_are_quantized_half_up() -> None:
    assert Money(Decimal("12.5"), "USD").amount.as_tuple() == Decimal("12.50").as_tuple()
    assert Money(Decimal("0.045"), "USD").amount == Decimal("0.05")
    assert str(Money(Decimal("1000.4"), "JPY").amount) == "1000"
    assert str(Money(Decimal("12.1255"), "JOD").amount) == "12.126"


def test_minor_unit_conversion() -> None:
    assert str(Money.from_minor(1000, "USD").amount) == "10.00"
    assert str(Money.from_minor(1000, "JPY").amount) == "1000"
    assert str(Money.from_minor(12125, "JOD").amount) == "12.125"
    assert Money.of("19.99", "USD").to_minor() == 1999


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        Money.of(0.1, "USD")
    with pytest.raises(TypeError):
        Money(0.1, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.from_minor(10.0, "USD")  # type: ignore[arg-type]


def test_arithmetic_is_exact_and_single_currency() -> None:
    ten_cents = Money.of("0.10", "USD")
    assert ten_cents * 3 == Money.of("0.30", "USD")
    assert (ten_cents + ten_cents + ten_cents).amount == Decimal("0.30")
    with pytest.raises(CurrencyError):
        ten_cents + Money.of("1", "EUR")


@pytest.mark.parametrize(
    ("value", "currency", "locale", "text"),
    [
        ("10", "USD", "en-US", "$10.00"),
        ("1000", "JPY", "ja-JP", "￥1,000"),
        ("1234.5", "EUR", "de-DE", "1.234,50\xa0€"),
        ("12.125", "JOD", "en-US", "JOD12.125"),
        ("10", "USD", "zz-ZZ", "$10.00"),
    ],
)
def test_formatting_per_locale(value: str, currency: str, locale: str, text: str) -> None:
    assert Money.of(value, currency).format(locale) == text


def test_currency_codes_are_validated() -> None:
    assert normalize_currency(" usd ") == "USD"
    with pytest.raises(CurrencyError):
        normalize_currency("XYZ")
    with pytest.raises(CurrencyError):
        normalize_currency("DOLLARS")


def test_a_negative_zero_is_written_as_babel_writes_it_whatever_was_written_before() -> None:
    zero, negative_zero = Money.of("0", "USD"), Money.of("-0", "USD")
    assert zero == negative_zero
    assert (zero.format("en-US"), negative_zero.format("en-US")) == ("$0.00", "-$0.00")
    assert (negative_zero.format("de-DE"), zero.format("de-DE")) == ("-0,00\xa0$", "0,00\xa0$")


def test_quantized_refuses_a_boolean_and_keeps_a_zeros_sign_whatever_came_before() -> None:
    assert quantized(1, "USD") == Decimal("1.00")
    with pytest.raises(TypeError):
        quantized(True, "USD")
    assert str(quantized(Decimal("0"), "USD")) == "0.00"
    assert str(quantized(Decimal("-0"), "USD")) == "-0.00"
