"""Vendor JSON in: every integer bounded whichever parser reads it; canonical JSON out for
versions, the same text with or without Decimals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
import simplejson

from adapters.errors import ServiceUnavailable
from adapters.http import MAX_NUMBER_DIGITS, decode_json
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
