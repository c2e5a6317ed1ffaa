"""AnswerMemo: remembered by exact bytes, bounded, and never remembering a failure."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.answer_memo import AnswerMemo


def test_the_same_bytes_give_the_same_value_built_once() -> None:
    memo: AnswerMemo[object] = AnswerMemo()
    built: list[bytes] = []

    def build(body: bytes) -> object:
        built.append(body)
        return object()

    first = memo.recall(b'{"a":1}', lambda: build(b'{"a":1}'))
    same_bytes = b'{"a":' + b"1}"  # equal content, another object
    again = memo.recall(same_bytes, lambda: build(b'{"a":1}'))
    other = memo.recall(b'{"a":2}', lambda: build(b'{"a":2}'))
    assert again is first and other is not first
    assert built == [b'{"a":1}', b'{"a":2}']
    assert (memo.hits, memo.misses) == (1, 2)


def test_a_failing_build_remembers_nothing() -> None:
    memo: AnswerMemo[int] = AnswerMemo()

    def broken() -> int:
        raise ValueError("malformed")

    with pytest.raises(ValueError):
        memo.recall(b"{", broken)
    assert len(memo) == 0
    assert memo.recall(b"{", lambda: 7) == 7


def test_the_least_recently_used_answers_go_first_past_the_byte_budget() -> None:
    memo: AnswerMemo[str] = AnswerMemo(max_bytes=30)
    for name in ("a", "b", "c"):
        memo.recall(name.encode() * 10, _built(name))
    memo.recall(b"a" * 10, lambda: "rebuilt a")  # a hit: a is now the most recent
    memo.recall(b"d" * 10, lambda: "d")  # 40 bytes: b, the least recent, goes
    assert len(memo) == 3
    assert memo.recall(b"a" * 10, lambda: "rebuilt a") == "a"
    assert memo.recall(b"b" * 10, lambda: "rebuilt b") == "rebuilt b"


def test_an_answer_larger_than_the_budget_is_built_but_not_kept() -> None:
    memo: AnswerMemo[str] = AnswerMemo(max_bytes=8)
    assert memo.recall(b"x" * 9, lambda: "big") == "big"
    assert len(memo) == 0


def _built(answer: str) -> Callable[[], str]:
    return lambda: answer
