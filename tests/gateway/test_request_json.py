"""read_json: a storefront's body reads as json.loads reads it, whichever parser reads it."""

from __future__ import annotations

import json

import pytest

from gateway.http.view import read_json

BODIES = [
    b'{"query": "{ __typename }", "variables": {"q": 1, "f": 1.5, "e": -1E-5, "s": "\\u00e9"}}',
    b'{"a": 123456789012345678}',                 # 18 digits: orjson reads it
    b'{"a": 1234567890123456789012345678901234}',  # past 64 bits: an exact int, not a float
    b'{"a": -9223372036854775809}',              # 19 digits, just past a signed 64-bit int
    b'{"a": "1234567890123456789012"}',            # the same digits in a string
    b'{"a": 1, "a": 2}',                           # the last of a repeated key
    b'{"a": 1e400}',                               # json's infinity
    b'[NaN, Infinity, -Infinity]',                 # json's constants
    b'"\\ud800"',                                  # an escaped lone surrogate
    b'\xef\xbb\xbf{}',                             # a UTF-8 byte order mark
    '{"a": 1}'.encode("utf-16"),                   # UTF-16, which json detects
    b' \t{"a": [true, false, null]}\r\n',
    b'-0',
    b'{"a": "\x7f"}',
]
REFUSED = [b'[1,]', b'01', b'{"a": "x\ty"}', b'{"a": 1}x', b'\xff', b'', b'[1]\x00']


@pytest.mark.parametrize("body", BODIES)
def test_a_body_reads_as_json_reads_it(body: bytes) -> None:
    expected = json.loads(body)
    read = read_json(body)
    assert repr(read) == repr(expected)  # types too: 2**70 stays an int, not a float


def test_a_long_integer_is_read_exactly() -> None:
    assert read_json(b'{"a": 1234567890123456789012345678901234}') == {
        "a": 1234567890123456789012345678901234}


@pytest.mark.parametrize("body", REFUSED)
def test_what_json_refuses_is_a_decode_error(body: bytes) -> None:
    with pytest.raises(json.JSONDecodeError):
        read_json(body)


def test_a_body_nested_too_deeply_is_a_decode_error() -> None:
    with pytest.raises(json.JSONDecodeError, match="nested too deeply"):
        read_json(b"[" * 100_000 + b"]" * 100_000)
