"""Opaque cart versions derived from content, for carts whose vendor keeps none."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import simplejson

# The standard library's encoder writes the canonical JSON of Decimal-free content with the
# very bytes simplejson writes, several times faster; only simplejson writes a Decimal.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def canonical_json(content: Any) -> str:
    """Sorted keys, no spaces, ASCII only; Decimals written as exact numbers."""
    try:
        return _CANONICAL.encode(content)
    except TypeError:  # a Decimal (or a type neither encoder writes: simplejson says so)
        return simplejson.dumps(content, use_decimal=True, sort_keys=True,
                                separators=(",", ":"))


def content_version(content: Any) -> str:
    """A short hash of the canonical JSON of the content: equal content, equal version."""
    return hashlib.blake2b(canonical_json(content).encode(), digest_size=8).hexdigest()
