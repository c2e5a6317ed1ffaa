"""Opaque cart versions derived from content, for carts whose vendor keeps none."""

from __future__ import annotations

import hashlib
from typing import Any

import simplejson


def content_version(content: Any) -> str:
    """A short hash of the canonical JSON of the content: equal content, equal version."""
    canonical = simplejson.dumps(content, use_decimal=True, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=8).hexdigest()
