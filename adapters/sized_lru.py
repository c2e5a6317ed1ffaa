"""A least-recently-used map bounded by the total length of its keys and by their number.

The memos that key on a vendor's text (``answer_memo.py``: whole answer bodies;
``line_memo.py``: the text of one item) keep at most so many bytes of keys, so a few
large answers or many small ones fit alike, and count their hits and misses.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sized
from enum import Enum
from typing import Generic, Literal, TypeVar

K = TypeVar("K", bound=Sized)
V = TypeVar("V")


class Missing(Enum):
    """What ``get`` gives for a key not kept: not None, which a kept value may be."""

    MISSING = "missing"


MISSING = Missing.MISSING


class SizedLru(Generic[K, V]):
    """Values by key, the least recently used going first past ``max_size`` of keys
    (summed ``len``) or ``max_entries`` of them; a key longer than ``max_size`` is not kept.
    """

    def __init__(self, *, max_size: int, max_entries: int) -> None:
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._size = 0
        self.max_size = max_size
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | Literal[Missing.MISSING]:
        """The kept value, counted as a hit; or MISSING, counted as a miss."""
        try:
            value = self._entries[key]
        except KeyError:
            self.misses += 1
            return MISSING
        self._entries.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: K, value: V) -> None:
        if self.max_entries <= 0 or len(key) > self.max_size:
            return
        self._entries[key] = value
        self._size += len(key)
        while self._size > self.max_size or len(self._entries) > self.max_entries:
            evicted, _ = self._entries.popitem(last=False)
            self._size -= len(evicted)
