"""What was built from an immutable object, remembered by the object's identity.

An adapter hands out the very same immutable lines for an unchanged vendor answer
(``adapters/answer_memo.py``), so what the gateway builds from them, their GraphQL form
and then its serialized form, is the same too. Each entry holds its source object, so no
other object can take that id while the entry is kept. Each app owns its memos
(``caches.py``); one keeping nothing (``kept=0``) builds every time.

A changed cart is a new tuple of lines, most of them the very lines of the cart before
(``adapters/line_memo.py``): ``ListMemo`` builds its list from each line's remembered value.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import partial
from typing import Generic, TypeVar

T = TypeVar("T")
V = TypeVar("V")


class IdentityMemo(Generic[V]):
    """A least-recently-used map from (an object's identity, qualifiers) to a value."""

    def __init__(self, *, kept: int) -> None:
        self._entries: OrderedDict[tuple[Hashable, ...], tuple[object, V]] = OrderedDict()
        self._kept = kept

    def __len__(self) -> int:
        return len(self._entries)

    def recall(self, source: object, qualifiers: tuple[Hashable, ...],
               build: Callable[[], V]) -> V:
        """What ``build`` made from ``source`` with these qualifiers, or what it makes now."""
        if self._kept <= 0:
            return build()
        key = (id(source), *qualifiers)
        entry = self._entries.get(key)
        if entry is not None and entry[0] is source:
            self._entries.move_to_end(key)
            return entry[1]
        value = build()
        self._entries[key] = (source, value)
        if len(self._entries) > self._kept:
            self._entries.popitem(last=False)
        return value


class ListMemo(Generic[T, V]):
    """What was built from an immutable tuple, as a list, and from each of its items, by
    identity: the same tuple gives the same list; a new tuple gives a new list, of the
    values remembered for the items it shares with tuples seen before.
    """

    def __init__(self, *, kept: int, items_kept: int) -> None:
        self.lists: IdentityMemo[list[V]] = IdentityMemo(kept=kept)
        self.items: IdentityMemo[V] = IdentityMemo(kept=items_kept)

    def __len__(self) -> int:
        return len(self.lists)

    def recall(self, source: tuple[T, ...], qualifiers: tuple[Hashable, ...],
               build: Callable[[T], V]) -> list[V]:
        """The list of what ``build`` made of each item, with these qualifiers."""
        items = self.items
        return self.lists.recall(source, qualifiers, lambda: [
            items.recall(item, qualifiers, partial(build, item)) for item in source])
