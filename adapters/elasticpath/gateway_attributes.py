"""What the gateway keeps in an Elastic Path cart's ``custom_attributes``.

Elastic Path has no field for some of what the model holds (the cart's locale, an empty
cart's currency), but lets
a client keep typed values on a cart: ``{"key": {"type": "string", "value": ...}}``.
The gateway keeps its own under keys starting with ``cartgate_``. This module is the only
place that knows those keys: reads take the gateway's values from here and never show
them as the shopper's attributes, and writes merge them with whatever else is there
(a PUT replaces the whole set).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.model import RESERVED_ATTRIBUTE_PREFIX

RESERVED_PREFIX = RESERVED_ATTRIBUTE_PREFIX
LOCALE = f"{RESERVED_PREFIX}locale"
# Elastic Path fixes a cart's currency with its first item; an empty cart keeps the one
# it was created with here.
CURRENCY = f"{RESERVED_PREFIX}currency"


def is_reserved(key: str) -> bool:
    """Whether a custom attribute key belongs to the gateway, not the shopper."""
    return key.startswith(RESERVED_PREFIX)


def reserved_text(attributes: Any, key: str) -> str | None:
    """The gateway's string value under ``key``; None when absent or not a string."""
    if not isinstance(attributes, Mapping):
        return None
    entry = attributes.get(key)
    if not isinstance(entry, Mapping):
        return None
    value = entry.get("value")
    return value if isinstance(value, str) and value else None


def user_attributes(attributes: Any) -> dict[str, Any]:
    """The attributes that are not the gateway's own."""
    return _owned(attributes, by_gateway=False)


def gateway_attributes(attributes: Any) -> dict[str, Any]:
    """The gateway's own attributes."""
    return _owned(attributes, by_gateway=True)


def _owned(attributes: Any, *, by_gateway: bool) -> dict[str, Any]:
    """The attributes the gateway owns, or those it does not; none when what the vendor
    holds is not an object.
    """
    if not isinstance(attributes, Mapping):
        return {}
    return {key: value for key, value in attributes.items()
            if is_reserved(str(key)) is by_gateway}


def with_reserved(attributes: Any, **values: str | None) -> dict[str, Any]:
    """``attributes`` with the gateway's values set (None removes one); keys are given
    without the prefix: ``with_reserved(current, locale="de-DE")``.
    """
    merged = dict(attributes) if isinstance(attributes, Mapping) else {}
    for name, value in values.items():
        key = f"{RESERVED_PREFIX}{name}"
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = {"type": "string", "value": value}
    return merged
