"""Opaque cart versions derived from content, for carts whose vendor keeps none."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import orjson
import simplejson

# The standard library's encoder writes the canonical JSON of Decimal-free content with the
# very bytes simplejson writes, several times faster; only simplejson writes a Decimal.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"))
_SORTED = orjson.OPT_SORT_KEYS
_DEL = b"\x7f"


def canonical_json(content: Any) -> str:
    """Sorted keys, no spaces, ASCII only; Decimals written as exact numbers."""
    return _canonical_bytes(content).decode("ascii")


def _canonical_bytes(content: Any) -> bytes:
    # orjson writes these very bytes ten times faster when they are all printable ASCII
    # but DEL: it leaves other characters unescaped (the standard encoder escapes them),
    # and refuses Decimals and integers past 64 bits (TypeError).
    try:
        fast = orjson.dumps(content, option=_SORTED)
    except TypeError:
        fast = None
    if fast is not None and fast.isascii() and _DEL not in fast:
        return fast
    try:
        return _CANONICAL.encode(content).encode("ascii")
    except TypeError:  # a Decimal (or a type neither encoder writes: simplejson says so)
        return simplejson.dumps(content, use_decimal=True, sort_keys=True,
                                separators=(",", ":")).encode("ascii")


def content_version(content: Any) -> str:
    """A short hash of the canonical JSON of the content: equal content, equal version."""
    return hashlib.blake2b(_canonical_bytes(content), digest_size=8).hexdigest()
