"""Cart lines remembered by the exact text of the vendor item they were built from.

A change to a cart changes one line or two: adding a unit to one line of ten answers with
the other nine items as they were. A mapper names each item by ``repr`` of what building
its line reads (the item's parsed JSON, the currency, cart-level facts it uses), and gets
back the very ``CartLine`` built from an item of that text before. Parsed JSON holds only
dicts, lists, str, int, Decimal, bool and None, whose reprs differ whenever the values or
their types do (``1``, ``True``, ``'1'``, ``Decimal('1')``, ``Decimal('1.0')``), so equal
text means an equal item and, the mappers being pure functions, an equal line. Sharing
one line between carts is safe because the model is immutable; it lets the gateway reuse
what it built from the line (``gateway/graphql/fastpath/identity_memo.py``).

``json_text`` names an item several times faster where its parts allow: orjson's JSON of
dicts, lists, str, int, bool and None (and our dataclasses, at places of their own)
differs whenever they do. A Decimal is written as ``D`` and its exact text (``D1.50``),
a token no JSON value starts with, so it never reads as a number or a string, and
``Decimal("1")`` and ``Decimal("1.0")`` stay apart. orjson refuses what it cannot write
exactly (an integer past 64 bits, a lone surrogate), which is then named by ``repr``. The
bytes orjson writes never equal a ``repr`` str, so the two kinds of names cannot meet.

Each ``AnswerMemo`` carries one (``answer_memo.py``), so a memo keeping no answers (the
fast path off) keeps no lines either.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson

from adapters.model import CartLine
from adapters.sized_lru import MISSING, SizedLru

ItemText = str | bytes


def json_text(parts: tuple[Any, ...]) -> ItemText:
    """The JSON bytes of ``parts`` (Decimals as ``D`` and their text) when orjson writes
    them exactly, else their ``repr``.
    """
    try:
        return orjson.dumps(parts, default=_decimal_token)
    except TypeError:  # orjson.JSONEncodeError is one
        return repr(parts)


def _decimal_token(value: object) -> orjson.Fragment:
    if type(value) is Decimal:
        return orjson.Fragment(b"D" + str(value).encode())
    raise TypeError  # orjson then refuses the whole text


class LineMemo(SizedLru[ItemText, CartLine]):
    """A least-recently-used map from an item's text to the line built from it, bounded by
    the total length of the texts it keeps and by their number.
    """

    def __init__(self, *, max_chars: int = 2 * 1024 * 1024, max_entries: int = 2048) -> None:
        super().__init__(max_size=max_chars, max_entries=max_entries)

    def recall(self, text: Callable[[], ItemText], build: Callable[[], CartLine]) -> CartLine:
        """The line built before from an item of this ``text``, or the one ``build`` makes.

        ``build`` raising (a malformed item) remembers nothing. An item whose text cannot
        be written (too deeply nested, or missing what the text names) is built, not
        remembered, so it fails, if it does, as building it fails.
        """
        if self.max_entries <= 0:
            return build()
        try:
            key = text()
        except Exception:
            return build()
        found = self.get(key)
        if found is not MISSING:
            return found
        line = build()
        self.put(key, line)
        return line
