"""LineMemo: lines by their item's text, bounded, never remembering a failure."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from adapters.answer_memo import AnswerMemo
from adapters.line_memo import LineMemo, json_text
from adapters.model import CartLine, LineCost, LineKind
from adapters.money import Money


def _line(name: str) -> CartLine:
    unit = Money(Decimal("1.00"), "USD")
    return CartLine(id=name, kind=LineKind.CUSTOM, name=name, quantity=1,
                    cost=LineCost(unit, None, unit, unit))


def _text(text: str) -> Callable[[], str]:
    return lambda: text


def _built(name: str) -> Callable[[], CartLine]:
    return lambda: _line(name)


def test_the_same_text_gives_the_same_line_built_once() -> None:
    memo = LineMemo()
    built: list[str] = []

    def build(name: str) -> CartLine:
        built.append(name)
        return _line(name)

    first = memo.recall(lambda: repr({"q": 1}), lambda: build("a"))
    again = memo.recall(lambda: repr({"q": 1}), lambda: build("a again"))
    other = memo.recall(lambda: repr({"q": Decimal(1)}), lambda: build("b"))
    assert again is first and other is not first and other.id == "b"
    assert built == ["a", "b"]
    assert (memo.hits, memo.misses) == (1, 2)


def test_a_failing_build_remembers_nothing() -> None:
    memo = LineMemo()

    def broken() -> CartLine:
        raise KeyError("meta")

    with pytest.raises(KeyError):
        memo.recall(lambda: "item", broken)
    assert len(memo) == 0
    assert memo.recall(lambda: "item", lambda: _line("built")).id == "built"


def test_an_item_whose_text_cannot_be_written_is_built_and_not_remembered() -> None:
    memo = LineMemo()

    def unwritable() -> str:
        raise RecursionError("too deep")

    assert memo.recall(unwritable, lambda: _line("first")).id == "first"
    assert memo.recall(unwritable, lambda: _line("second")).id == "second"
    assert len(memo) == 0


def test_the_least_recently_used_lines_go_first_past_either_bound() -> None:
    memo = LineMemo(max_chars=30, max_entries=3)
    for name in ("a", "b", "c"):
        memo.recall(_text(name * 10), _built(name))
    memo.recall(lambda: "a" * 10, lambda: _line("rebuilt a"))  # a hit: a is the most recent
    memo.recall(lambda: "d" * 10, lambda: _line("d"))  # 40 characters: b goes
    assert len(memo) == 3
    assert memo.recall(lambda: "a" * 10, lambda: _line("rebuilt a")).id == "a"
    assert memo.recall(lambda: "b" * 10, lambda: _line("rebuilt b")).id == "rebuilt b"
    few = LineMemo(max_entries=2)
    for name in ("a", "b", "c"):
        few.recall(_text(name), _built(name))
    assert len(few) == 2
    assert few.recall(lambda: "a", lambda: _line("rebuilt a")).id == "rebuilt a"


def test_a_text_longer_than_the_budget_is_built_every_time() -> None:
    memo = LineMemo(max_chars=5)
    assert memo.recall(lambda: "x" * 6, lambda: _line("first")).id == "first"
    assert memo.recall(lambda: "x" * 6, lambda: _line("second")).id == "second"
    assert len(memo) == 0


def test_an_answer_memo_keeping_nothing_keeps_no_lines() -> None:
    assert AnswerMemo().lines is not AnswerMemo().lines
    off = AnswerMemo[object](max_bytes=0, max_entries=0).lines
    first = off.recall(lambda: "item", lambda: _line("first"))
    assert off.recall(lambda: "item", lambda: _line("second")) is not first
    assert len(off) == 0


# Values a vendor's parsed JSON may hold at one place, each unlike every other.
DISTINCT_VALUES: tuple[object, ...] = (
    1, True, "1", None, Decimal("1"), Decimal("1.0"), 2**70, [1], {"a": 1}, {"a": None}, {},
    "\ud800", 0, False, "", [], "D1", "1.0", Decimal("1E+3"), Decimal("-0"), [Decimal("1")])


def test_json_text_names_distinct_values_apart_and_equal_ones_alike() -> None:
    texts = [json_text(("USD", value)) for value in DISTINCT_VALUES]
    assert len(set(texts)) == len(DISTINCT_VALUES)
    assert [json_text(("USD", value)) for value in DISTINCT_VALUES] == texts
    # A Decimal is its exact text behind a token no JSON value starts with.
    assert json_text(("USD", Decimal("1.0"), [Decimal("-2E+3")])) == b'["USD",D1.0,[D-2E+3]]'
    # What orjson cannot write exactly is named by repr (a str, never equal to JSON bytes).
    assert json_text(("USD", 2**70)) == repr(("USD", 2**70))
    assert json_text(("USD", "\ud800")) == repr(("USD", "\ud800"))
    assert json_text(("USD", {"a": 1})) == b'["USD",{"a":1}]'
