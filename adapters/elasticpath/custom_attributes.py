"""The cart's attributes and note as Elastic Path ``custom_attributes``, and back.

Elastic Path keeps typed pairs, ``{"gift": {"type": "string", "value": "Yes"}}``, and a
write replaces the whole set, so every write sends the user's pairs together with the
keys the gateway reserves for itself (``RESERVED_ATTRIBUTE_PREFIX``), which reads never
show as attributes.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from adapters.model import NOTE_KEY, RESERVED_ATTRIBUTE_PREFIX, Attribute, CartAttributes


def _text(value: Any) -> str:
    # Pairs written by others may be typed integer, float or boolean: shown as JSON writes them.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    return "" if value is None else str(value)


def _pairs(raw: Any) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        return {}
    return {str(key): _text(entry.get("value")) for key, entry in raw.items()
            if isinstance(entry, Mapping)}


def user_attributes(raw: Any) -> tuple[Attribute, ...]:
    """The pairs a storefront set, in key order; reserved keys left out."""
    return tuple(Attribute(key=key, value=value) for key, value in sorted(_pairs(raw).items())
                 if not key.startswith(RESERVED_ATTRIBUTE_PREFIX))


def note_of(raw: Any) -> str | None:
    return _pairs(raw).get(NOTE_KEY) or None


def _string(value: str) -> dict[str, str]:
    return {"type": "string", "value": value}


def custom_attributes_body(
    change: CartAttributes | None, *, attributes: tuple[Attribute, ...] = (),
    note: str | None = None,
) -> dict[str, Any] | None:
    """The whole ``custom_attributes`` to send over the current ``attributes`` and ``note``,
    or None when the change leaves them as they are."""
    if change is None or (change.attributes is None and change.note is None):
        return None
    pairs = attributes if change.attributes is None else tuple(
        sorted(change.attributes, key=lambda pair: pair.key))
    wanted_note = note if change.note is None else (change.note or None)
    if pairs == attributes and wanted_note == note:
        return None
    body = {pair.key: _string(pair.value) for pair in pairs}
    if wanted_note:
        body[NOTE_KEY] = _string(wanted_note)
    return body
