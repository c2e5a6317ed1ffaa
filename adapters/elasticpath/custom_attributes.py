"""The cart's attributes and note as Elastic Path ``custom_attributes``, and back.

Elastic Path keeps typed pairs, ``{"gift": {"type": "string", "value": "Yes"}}``, and a
write replaces the whole set, so every write sends the user's pairs together with the
gateway's own (``gateway_attributes``: the locale, an empty cart's currency, the note),
which reads never show as attributes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from adapters.elasticpath.gateway_attributes import (
    gateway_attributes,
    reserved_text,
    with_reserved,
)
from adapters.elasticpath.gateway_attributes import (
    user_attributes as unreserved,
)
from adapters.model import NOTE_KEY, RESERVED_ATTRIBUTE_PREFIX, Attribute, CartAttributes

NOTE = NOTE_KEY.removeprefix(RESERVED_ATTRIBUTE_PREFIX)


def _text(value: Any) -> str:
    # Pairs written by others may be typed integer, float or boolean: shown as JSON writes them.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    return "" if value is None else str(value)


def user_attributes(raw: Any) -> tuple[Attribute, ...]:
    """The pairs a storefront set, in key order; the gateway's own left out."""
    return tuple(Attribute(key=str(key), value=_text(entry.get("value")))
                 for key, entry in sorted(unreserved(raw).items())
                 if isinstance(entry, dict))


def note_of(raw: Any) -> str | None:
    return reserved_text(raw, NOTE_KEY)


def custom_attributes_body(change: CartAttributes | None, raw: Any) -> dict[str, Any] | None:
    """The whole ``custom_attributes`` to send over the current ``raw`` ones (the gateway's
    own kept), or None when the change leaves the pairs and the note as they are.
    """
    if change is None or (change.attributes is None and change.note is None):
        return None
    attributes, note = user_attributes(raw), note_of(raw)
    pairs = attributes if change.attributes is None else tuple(
        sorted(change.attributes, key=lambda pair: pair.key))
    wanted_note = note if change.note is None else (change.note or None)
    if pairs == attributes and wanted_note == note:
        return None
    body = gateway_attributes(raw) | {pair.key: {"type": "string", "value": pair.value}
                                      for pair in pairs}
    return with_reserved(body, **{NOTE: wanted_note})
