"""The cart fields an item write's answer lacks, kept for the next write through the gateway.

An item write's answer carries the cart's items, totals and times but not its own fields
(``answers.py``). They are kept here from the last answer of each cart this process
read or built while holding the cart's lock, with that lock's fence
(``shared_state.locks``), so the next item write needs no read to answer with the cart.

Every holder of a cart's lock takes the kept fields out as it starts, and may use them
only when no other write through the gateway came between:
- with Redis locks, every holder in any process gets the next fence, so the fields are
  current when the holder's fence follows theirs;
- with the in-process locks (fence 0) this process makes every gateway write, and each
  one takes the fields out first.
An item write made without a check shares the lock (``shared_state.locks``) and only
looks at the fields: it changes items alone, and no holder writes while it shares. A
sharer's fence is the last holder's, so the fields are current when the fences are equal.
Kept an hour at most and for a bounded number of carts: a fence counter lives far longer
than an hour (``redis_locks.FENCE_COUNTER_TTL``), so fields never meet a restarted
counter's numbers. A write made outside the gateway to a cart's own fields (an admin's
rename) shows at the next read, and the answer before it carries another version than
a read does, so an ``expectedVersion`` taken from it conflicts rather than overwrites.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from adapters.elasticpath.answers import ITEM_RELATIONSHIPS, item_writes_show_all

MAX_CARTS = 10_000
MAX_AGE_SECONDS = 3600.0
# Parts of a cart answer's data that the next item write's answer brings anew.
_FROM_THE_WRITE = frozenset({"links"})


@dataclass(frozen=True, slots=True)
class _Kept:
    answer: Mapping[str, Any]
    fence: int
    kept_at: float


class CartFieldsMemo:
    """Each cart's own fields by id, with the fence they were read under."""

    def __init__(self, *, max_carts: int = MAX_CARTS, max_age: float = MAX_AGE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        self._max_carts = max_carts
        self._max_age = max_age
        self._clock = clock

    def __len__(self) -> int:
        return len(self._kept)

    def keep(self, cart_id: str, answer: Mapping[str, Any], fence: int) -> None:
        """Keep the fields of ``answer``, the cart as the holder of lease ``fence`` left it."""
        if not item_writes_show_all(answer):
            self._kept.pop(cart_id, None)
            return
        data = answer["data"]
        relationships = {key: value for key, value in (data.get("relationships") or {}).items()
                         if key not in ITEM_RELATIONSHIPS}
        meta = data.get("meta") or {}
        fields = {key: value for key, value in data.items() if key not in _FROM_THE_WRITE}
        fields["relationships"] = relationships
        fields["meta"] = {"timestamps": meta.get("timestamps") or {}}
        self._kept[cart_id] = _Kept({"data": fields}, fence, self._clock())
        self._kept.move_to_end(cart_id)
        while len(self._kept) > self._max_carts:
            self._kept.popitem(last=False)

    def take(self, cart_id: str, fence: int) -> Mapping[str, Any] | None:
        """The cart's fields for the holder of lease ``fence``, or None when another write
        may have come between (or none are kept); they are not kept for anyone else.
        """
        kept = self._unexpired(self._kept.pop(cart_id, None))
        if kept is None:
            return None
        follows = fence == kept.fence + 1 if kept.fence else fence == 0
        return kept.answer if follows else None

    def peek(self, cart_id: str, fence: int) -> Mapping[str, Any] | None:
        """The cart's fields for a sharer of lease ``fence``, still kept for the others: its
        write changes only items, and no holder writes while it shares. None when a holder
        may have written since they were kept (or none are kept).
        """
        kept = self._unexpired(self._kept.get(cart_id))
        return kept.answer if kept is not None and fence == kept.fence else None

    def _unexpired(self, kept: _Kept | None) -> _Kept | None:
        """``kept``, unless it is older than fields are kept for."""
        if kept is None or self._clock() - kept.kept_at > self._max_age:
            return None
        return kept

    def forget(self, cart_id: str) -> None:
        self._kept.pop(cart_id, None)
