"""A cart answer built from the answers of a cart's creation and its first item write.

``POST /v2/carts`` answers with the whole new cart; ``POST /v2/carts/{id}/items``
answers with every item and, in ``meta``, the cart's totals and timestamps. Together
they hold everything a ``GET /v2/carts/{id}?include=items`` right after would show of
the cart, its lines and its derived version, so a new cart with lines needs no read.
Anything else the cart holds (a customer, codes) is set by further calls, after which
the adapter reads the cart instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def created_with_items(
    created: Mapping[str, Any], items: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The cart answer; None when the items answer lacks the cart's totals or times."""
    data = created.get("data")
    meta = items.get("meta")
    listed = items.get("data")
    if not isinstance(data, Mapping) or not isinstance(meta, Mapping) \
            or not isinstance(listed, list):
        return None
    display = meta.get("display_price")
    timestamps = meta.get("timestamps")
    if not isinstance(display, Mapping) or not isinstance(timestamps, Mapping) \
            or not timestamps.get("updated_at"):
        return None
    # The cart's display_price has no per-code breakdown; the items answer adds one.
    totals = {key: value for key, value in display.items() if key != "discounts"}
    relationships = dict(data.get("relationships") or {})
    relationships["items"] = {"data": [{"type": i.get("type"), "id": i.get("id")}
                                       for i in listed if isinstance(i, Mapping)] or None}
    cart = {**data, "meta": {**(data.get("meta") or {}), "display_price": totals,
                             "timestamps": dict(timestamps)},
            "relationships": relationships}
    return {"data": cart, "included": {"items": listed}}
