"""What a vendor's cart answer maps to, remembered by the answer's exact bytes.

A storefront reads one cart far more often than it changes it: every page view asks for
it. Each read still goes to the vendor, but when the vendor answers with the very bytes
it answered before, the cart they describe is the one already built from them, so the
JSON is not parsed and mapped again (about 4 ms for a 100-line cart). The key is the
whole body, compared byte for byte, so a remembered cart can never be stale: any change
the vendor reports, a version, a price, a timestamp, is a different key. Values are the
immutable model, safe to share between requests. An answer that is new (a write's, or a
read after a change) still has most of its items as they were: the memo's ``lines``
(``line_memo.py``) gives back the lines built from those.

This is the one hook of the gateway's fast path in the adapters (the gateway's memos
key on the very objects a remembered cart holds): an adapter that keeps one says so by
``RemembersAnswers``, and the gateway hands it the memo the app owns
(``gateway/graphql/fastpath/caches.py``), one keeping nothing when the fast path is off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar, runtime_checkable

from adapters.line_memo import LineMemo
from adapters.sized_lru import MISSING, SizedLru

T = TypeVar("T")


class AnswerMemo(SizedLru[bytes, T]):
    """A least-recently-used map from answer bodies to what was built from them.

    Bounded by the total size of the bodies it keeps: a few large carts or many small
    ones, never more than ``max_bytes`` of answers (the built carts take a few times that).
    """

    def __init__(self, *, max_bytes: int = 4 * 1024 * 1024, max_entries: int = 1024) -> None:
        super().__init__(max_size=max_bytes, max_entries=max_entries)
        # The lines of the answers that are new: an unchanged item, the line built before.
        keeps = max_bytes > 0 and max_entries > 0
        self.lines = LineMemo() if keeps else LineMemo(max_chars=0, max_entries=0)

    def recall(self, body: bytes, build: Callable[[], T]) -> T:
        """What ``build`` made of these bytes before, or what it makes of them now.

        ``build`` raising (a malformed answer) remembers nothing.
        """
        found = self.get(body)
        if found is not MISSING:
            return found
        value = build()
        self.put(body, value)
        return value

    async def arecall(self, body: bytes, build: Callable[[], Awaitable[T]]) -> T:
        """``recall`` for a cart whose building needs I/O (catalog data)."""
        found = self.get(body)
        if found is not MISSING:
            return found
        value = await build()
        self.put(body, value)
        return value


@runtime_checkable
class RemembersAnswers(Protocol):
    """A backend that reuses the cart it built from a cart answer it is sent again.

    Until it is handed a memo it keeps its own, so an adapter built on its own (a test, a
    script) behaves the same. The hits and misses of the memo are the memo's, read by
    whoever owns it: ``CartBackend`` itself counts nothing.
    """

    def remember_answers(self, memo: AnswerMemo[Any]) -> None:
        """From now on, remember cart answers in ``memo`` (``max_entries=0``: none)."""
