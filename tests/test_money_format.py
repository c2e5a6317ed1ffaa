"""An amount's display text from its currency's layout is the text babel writes."""

from __future__ import annotations

import random
from decimal import Decimal

import babel
import pytest
from babel import Locale

from adapters.money import Money, babel_locale
from adapters.money_format import babel_text, layout

CURRENCIES = ("USD", "EUR", "JPY", "JOD", "INR", "CHF", "CLP", "BHD")
# Every 15th locale babel knows, and ones whose patterns differ: Indian grouping, a sign
# after the symbol, the symbol after the number, non-breaking spaces, Arabic.
LOCALES = sorted({*babel.localedata.locale_identifiers()[::15], "en_US", "de_DE", "fr_FR",
                  "ja_JP", "hi_IN", "nl_NL", "ar_EG", "fa_IR", "sv_SE", "pt_BR", "de_CH"})


def _amounts(precision: int, seed: int) -> list[Decimal]:
    rng = random.Random(seed)
    quantum = Decimal(10) ** -precision
    edges = [Decimal(text) for text in
             ("0", "-0", "0.01", "-0.01", "999", "1000", "-100000", "12345678901234.56")]
    random_ones = [Decimal(rng.randint(-10**12, 10**12)).scaleb(-rng.randint(0, 4))
                   for _ in range(25)]
    return [amount.quantize(quantum) for amount in [*edges, *random_ones]]


@pytest.mark.parametrize("locale_name", LOCALES)
def test_the_layout_writes_every_amount_as_babel_does(locale_name: str) -> None:
    locale = Locale.parse(locale_name)
    for index, currency in enumerate(CURRENCIES):
        found = layout(currency, locale)
        if found is None:
            continue
        for amount in _amounts(found.precision, index):
            assert found.text(amount) == babel_text(amount, currency, locale), (
                locale_name, currency, amount)


@pytest.mark.parametrize(("locale_name", "currency", "amount", "text"), [
    ("en_US", "USD", "-1234567.50", "-$1,234,567.50"),
    ("de_DE", "EUR", "1234.5", "1.234,50\xa0€"),
    ("ja_JP", "JPY", "1000", "￥1,000"),
    ("hi_IN", "INR", "12345678", "₹1,23,45,678.00"),
    ("en_US", "JOD", "12.125", "JOD12.125"),
])
def test_common_currencies_are_written_from_their_layout(
        locale_name: str, currency: str, amount: str, text: str) -> None:
    found = layout(currency, Locale.parse(locale_name))
    assert found is not None
    assert found.text(Money.of(amount, currency).amount) == text


def test_a_locale_whose_group_mark_is_a_quote_is_left_to_babel() -> None:
    # babel reads the apostrophes of de_CH's 1'234'567 as a quoted text and drops them.
    locale = babel_locale("de_CH")
    assert layout("CHF", locale) is None
    money = Money.of("1234567", "CHF")
    assert money.format("de_CH") == babel_text(money.amount, "CHF", locale) == "CHF\xa01234567.00"


def test_money_format_is_babels_text_with_or_without_a_layout() -> None:
    for locale_name in ("en_US", "de_CH", "fr_FR", None, "xx_unknown"):
        for amount in ("0", "-0", "19.99", "-1234.5", "1000000"):
            money = Money.of(amount, "EUR")
            assert money.format(locale_name) == babel_text(
                money.amount, "EUR", babel_locale(locale_name))
