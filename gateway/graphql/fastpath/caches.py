"""Everything the fast path remembers, owned by one app, and the switch that turns it off.

``gateway/app.py`` builds one ``FastPath`` per app and hands its parts to their users:
the schema (compiled documents, serialized lists, parsed and validated documents), the
GraphQL context (the GraphQL lines
of domain lines) and the vendor adapters (their cart answers). Two apps in one process
share none of it. Turned off (``CARTGATE_FAST_PATH=false``), every operation takes
graphql-core's executor, is parsed and validated anew, and every memo keeps nothing, so
each answer is built afresh from the vendor's bytes; the answers are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from graphql import parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from adapters.answer_memo import AnswerMemo, RemembersAnswers
from adapters.base import CartBackend
from adapters.model import Backend
from gateway.graphql.fastpath.compiled import CompiledCache
from gateway.graphql.fastpath.document_caches import ParsedOnce, ValidatedOnce
from gateway.graphql.fastpath.identity_memo import ListMemo
from gateway.graphql.fastpath.serializers import SerializedLists

if TYPE_CHECKING:
    from adapters import model
    from gateway.graphql.types import CartLine

# Bounds: documents by text, and the latest carts' lines (a few large carts, or many small).
COMPILED_DOCUMENTS = 256
PARSED_DOCUMENTS = 256
LINE_SETS = 64
# The GraphQL line of each of the latest domain lines: a changed cart reuses its unchanged ones.
LINES = 2048


class FastPath:
    """The fast path of one app: whether it is on, and its bounded caches."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        kept = LINE_SETS if enabled else 0
        # Compiled operations by (document text, operation name).
        self.compiled = CompiledCache(size=COMPILED_DOCUMENTS if enabled else 0)
        # The GraphQL lines built from a cart's domain lines, and from each domain line
        # (gateway/graphql/types.py).
        self.line_sets: ListMemo[model.CartLine, CartLine] = ListMemo(
            kept=kept, items_kept=LINES if enabled else 0)
        # The serialized form of those lines and of each line, per compiled serializer.
        self.serialized_lists = SerializedLists(kept=kept, items_kept=LINES if enabled else 0)
        self._answers: dict[Backend, AnswerMemo[Any]] = {}
        # graphql-core's path: documents parsed and validated before (document_caches.py).
        self.parsed = lru_cache(maxsize=PARSED_DOCUMENTS)(parse)
        self.validated = lru_cache(maxsize=PARSED_DOCUMENTS)(validate_document)

    def document_caches(self) -> list[Callable[[], SchemaExtension]]:
        """The schema extensions that parse and validate through this app's caches; none
        when the fast path is off.
        """
        if not self.enabled:
            return []
        return [partial(ParsedOnce, self.parsed), partial(ValidatedOnce, self.validated)]

    def hand_answer_memos(self, backends: Mapping[Backend, CartBackend]) -> None:
        """Give each backend that remembers cart answers this app's memo for them."""
        for backend, cart_backend in backends.items():
            if isinstance(cart_backend, RemembersAnswers):
                memo: AnswerMemo[Any] = (AnswerMemo() if self.enabled
                                         else AnswerMemo(max_bytes=0, max_entries=0))
                self._answers[backend] = memo
                cart_backend.remember_answers(memo)

    def answer_counts(self) -> dict[str, tuple[int, int]]:
        """Per vendor: cart reads whose answer was seen before (its cart reused), and the
        reads built afresh (every read, when the fast path is off).
        """
        return {backend.value: (memo.hits, memo.misses)
                for backend, memo in self._answers.items()}
