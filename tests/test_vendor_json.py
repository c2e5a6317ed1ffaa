"""Vendor JSON in: every integer bounded whichever parser reads it; canonical JSON out for
versions, the same text with or without Decimals.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

import httpx
import pytest
import simplejson

from adapters.errors import ServiceUnavailable
from adapters.http import (
    MAX_NUMBER_DIGITS,
    _bounded_decimal,
    _bounded_int,
    _OutOfRange,
    _refuse_constant,
    decode_json,
)
from adapters.versions import canonical_json, content_version


def _answer(body: bytes) -> httpx.Response:
    return httpx.Response(200, content=body)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_an_integer_past_the_bound_is_refused_in_any_encoding(encoding: str) -> None:
    widest = "9" * MAX_NUMBER_DIGITS
    body = f'{{"id": "x", "quantity": {widest}}}'.encode(encoding)
    assert decode_json(_answer(body))["quantity"] == int(widest)
    too_wide = f'{{"id": "x", "quantity": -{widest}9}}'.encode(encoding)
    with pytest.raises(ServiceUnavailable, match="number out of range"):
        decode_json(_answer(too_wide))


def test_long_digit_runs_in_text_are_read_as_text() -> None:
    digits = "1" * (MAX_NUMBER_DIGITS * 3)
    parsed = decode_json(_answer(f'{{"sku": "{digits}", "quantity": 2, "price": 1.50}}'
                                 .encode()))
    assert parsed == {"sku": digits, "quantity": 2, "price": Decimal("1.50")}
    assert type(parsed["quantity"]) is int


# The last three have exponents past what a Decimal holds at all (its own limit is 10**18).
@pytest.mark.parametrize("number", ["1e999999", "-1E+999999", "0.5e-999999", "1e31",
                                    "1e9999999999999999999999", "-1.5E-99999999999999999999",
                                    "0e99999999999999999999"])
@pytest.mark.parametrize("where", ['{"a": N}', '{"a":N}', '{"a":[1,N]}', '{"a": [\n\tN]}', "N"])
def test_a_number_with_an_exponent_out_of_range_is_refused_wherever_it_stands(
        number: str, where: str) -> None:
    with pytest.raises(ServiceUnavailable, match="number out of range"):
        decode_json(_answer(where.replace("N", number).encode()))


def _in_range(text: str) -> bool:
    value = Decimal(text)
    return len(text) <= 2 * MAX_NUMBER_DIGITS + 10 and (
        value == 0 or -MAX_NUMBER_DIGITS <= value.adjusted() <= MAX_NUMBER_DIGITS)


@pytest.mark.parametrize("sign", ["", "-"])
def test_every_number_in_range_is_read_and_every_other_refused(sign: str) -> None:
    # Around the bound, written every way a vendor may: long integer parts, long runs of
    # zeros after the point, long fractions, exponents.
    texts = [text for digits in range(1, 2 * MAX_NUMBER_DIGITS + 4) for text in (
        "9" * digits + ".5", "0." + "0" * digits + "1", "1." + "2" * digits,
        f"1.5e{digits}", f"1.5E-{digits}", "0." + "0" * digits)]
    for text in (sign + text for text in texts):
        body = f'{{"n": {text}}}'.encode()
        if _in_range(text):
            assert decode_json(_answer(body))["n"] == Decimal(text), text
        else:
            with pytest.raises(ServiceUnavailable, match="number out of range"):
                decode_json(_answer(body))


def test_exponents_in_range_and_hex_text_read_as_they_are_written() -> None:
    # Ids such as "4e2b-9e1d" look like exponents to a search that ignores where they stand.
    body = b'{"id": "8e52-4e2b-9e1d", "name": "model 3e5", "price": 1.5E2, "small": -2e-3}'
    assert decode_json(_answer(body)) == {"id": "8e52-4e2b-9e1d", "name": "model 3e5",
                                          "price": Decimal("1.5E2"), "small": Decimal("-2e-3")}
    plain = decode_json(_answer(b'{"price": 12.50, "tax": 0.000, "list": [-1.25]}'))
    assert plain == {"price": Decimal("12.50"), "tax": Decimal("0.000"),
                     "list": [Decimal("-1.25")]}
    assert [str(plain["price"]), str(plain["tax"])] == ["12.50", "0.000"]


@pytest.mark.parametrize("content", [
    {"id": "cart-1", "items": [{"quantity": 2, "sku": "MUG", "on": True, "off": None}]},
    {"b": [1, -2, 3], "a": "é ☃ 😀 \" \\ \n \t \x00 \x7f", "c": {"z": {}, "y": []}},
    {"totals": [1250, None, 0], "tuple": (1, "two"), "big": 10 ** 29},
])
def test_canonical_json_is_simplejsons_text(content: Any) -> None:
    expected = simplejson.dumps(content, use_decimal=True, sort_keys=True,
                                separators=(",", ":"))
    assert canonical_json(content) == expected


def test_canonical_json_writes_decimals_as_exact_numbers() -> None:
    content = {"price": Decimal("12.50"), "tiny": Decimal("1E-30"), "n": [Decimal("-0.0")]}
    assert canonical_json(content) == '{"n":[-0.0],"price":12.50,"tiny":1E-30}'
    assert content_version(content) != content_version({**content, "price": Decimal("12.5")})


def _random_content(rng: random.Random, depth: int = 0) -> Any:
    """Nested JSON of every printable and control ASCII character, numbers and keys."""
    kind = rng.randrange(7 if depth < 4 else 4)
    if kind == 0:
        return "".join(chr(rng.randrange(0, 128)) for _ in range(rng.randrange(12)))
    if kind == 1:
        return rng.choice([0, -1, 7, 2 ** 63 - 1, -(2 ** 63), 10 ** 20, True, False])
    if kind == 2:
        return None
    if kind == 3:
        return rng.choice(["MUG-ORBIT", "é", "\x7f", "😀", "a\u2028b"])
    if kind in (4, 5):
        return {"".join(chr(rng.randrange(32, 127)) for _ in range(rng.randrange(1, 6))):
                _random_content(rng, depth + 1) for _ in range(rng.randrange(5))}
    return [_random_content(rng, depth + 1) for _ in range(rng.randrange(5))]


def test_canonical_json_is_the_standard_encoders_text_for_any_content() -> None:
    # Whichever encoder writes it (orjson where its bytes are the same), the text is one.
    rng = random.Random(16)
    for _ in range(3000):
        content = {"c": _random_content(rng)}
        assert canonical_json(content) == json.dumps(
            content, sort_keys=True, separators=(",", ":")), content


def _json_reading(body: bytes) -> tuple[str, Any]:
    """What ``json.loads`` alone made of a body before msgspec read any: a value, or the
    error ``decode_json`` turns it into.
    """
    try:
        return "value", json.loads(body, parse_float=_bounded_decimal,
                                   parse_int=_bounded_int, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        return "error", "number out of range" if isinstance(exc, _OutOfRange) else "not JSON"


def _reading(body: bytes) -> tuple[str, Any]:
    try:
        return "value", decode_json(_answer(body))
    except ServiceUnavailable as exc:
        return "error", "number out of range" if "out of range" in str(exc) else "not JSON"


@pytest.mark.parametrize("body", [
    b'\xef\xbb\xbf{"a": 1}', b'"\\ud800"', b'{"name": "\\udc80x"}', b'"\xed\xa0\x80"',
    '{"a": 1.50}'.encode("utf-16"), b'"\\ud83d\\ude00"', b'"a\x01b"', b"01", b"1.", b"-",
    b".5", b"[1,]", b'{"a":1,}', b'"\\x"', b'"\\u00"', b"NaN", b"Infinity", b"-Infinity",
    b"[1]\x00", b'"\xff"', b"", b"  ", b"-0", b"-0.0", b"1E+2", b"0.1e1", b'"\x7f"',
    b'{"a":1,"a":2.5}', b"1e400", b'{"a": [1, 1e-400]}', b"9" * 31, b"-" + b"9" * 30,
    b"18446744073709551616", b"[" * 2000 + b"]" * 2000, b'{"\\u0061": "\\/"}',
])
def test_every_body_reads_as_json_alone_reads_it(body: bytes) -> None:
    # msgspec reads first; whatever it refuses json reads again, so nothing differs.
    assert _reading(body) == _json_reading(body)


def test_random_answers_read_as_json_alone_reads_them() -> None:
    rng = random.Random(29)
    numbers = ["0", "-7", "12.50", "1E+3", "-0.000", "1e31", "9" * 30, "9" * 31, "2.5e-30"]
    for _ in range(2000):
        content = {"c": _random_content(rng)}
        if rng.random() < 0.2:
            content["s"] = "lone \ud800 surrogate"  # written as an escape
        written = ", ".join(rng.choice(numbers) for _ in range(3))
        body = f'{json.dumps(content)[:-1]}, "n": [{written}]}}'.encode()
        assert _reading(body) == _json_reading(body), body
