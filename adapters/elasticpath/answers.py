"""A cart answer built from a cart answer before an item write and that write's answer.

An item write (``POST``, ``PUT`` or ``DELETE`` on ``/v2/carts/{id}/items``) answers with
every item of the cart and, in ``meta``, the cart's totals and timestamps (the spec's
``CartsResponse``), but not the cart's own fields: name, description, contact, custom
attributes, settings, customers. An item write leaves those as they were, so the fields
of a cart answer from before the write, with the write's items, totals and times, are
everything a ``GET /v2/carts/{id}?include=items`` right after would show of the cart, its
lines and its derived version. A new cart's answer is built so from its creation's
answer; a change's, from the fields ``cart_fields.CartFieldsMemo`` kept.

A cart with custom discounts or shipping groups is read instead: an item write may drop
an item's custom discount or move it between groups, which the items answer does not show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Relationships that follow the items, which the write's answer replaces.
ITEM_RELATIONSHIPS = frozenset({"items", "promotions"})


def cart_with_items(
    cart: Mapping[str, Any], items: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The cart answer after the item write; None when ``cart`` has what an item write
    may change unseen, or the items answer lacks the cart's totals or times.
    """
    data = cart.get("data")
    meta = items.get("meta")
    listed = items.get("data")
    if not isinstance(data, Mapping) or not isinstance(meta, Mapping) \
            or not isinstance(listed, list) or not item_writes_show_all(cart):
        return None
    display = meta.get("display_price")
    timestamps = meta.get("timestamps")
    if not isinstance(display, Mapping) or not isinstance(timestamps, Mapping) \
            or not timestamps.get("updated_at"):
        return None
    before = ((data.get("meta") or {}).get("timestamps") or {}).get("created_at")
    if before and before != timestamps.get("created_at"):
        return None  # the write met another cart of that id: its fields are not these
    # The cart's display_price has no per-code breakdown; the items answer adds one.
    totals = {key: value for key, value in display.items() if key != "discounts"}
    relationships = {key: value for key, value in (data.get("relationships") or {}).items()
                     if key not in ITEM_RELATIONSHIPS}
    relationships["items"] = {"data": [{"type": i.get("type"), "id": i.get("id")}
                                       for i in listed if isinstance(i, Mapping)] or None}
    answer = {**data, "meta": {**(data.get("meta") or {}), "display_price": totals,
                               "timestamps": dict(timestamps)},
              "relationships": relationships}
    return {"data": answer, "included": {"items": listed}}


def item_writes_show_all(cart: Mapping[str, Any]) -> bool:
    """Whether an item write's answer shows all it changes of this cart: it has no
    custom discounts and no shipping groups.
    """
    data = cart.get("data")
    if not isinstance(data, Mapping):
        return False
    relationships = data.get("relationships") or {}
    if not isinstance(relationships, Mapping):
        return False
    for name in ("custom_discounts", "shipping_groups"):
        related = relationships.get(name) or {}
        if not isinstance(related, Mapping) or related.get("data"):
            return False
    included = cart.get("included") or {}
    return isinstance(included, Mapping) and not included.get("custom_discounts")
