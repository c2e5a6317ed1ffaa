"""ListMemo: a list by its tuple's identity, and each item's value by the item's identity."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from adapters.model import Backend, Cart, CartCost, CartLine, LineCost, LineKind
from adapters.money import Money
from gateway.graphql import types
from gateway.graphql.fastpath.caches import FastPath
from gateway.graphql.fastpath.identity_memo import ListMemo
from gateway.graphql.fastpath.serializers import SerializedLists


class Item:
    """An immutable source object (equal to no other: identity is what counts)."""

    def __init__(self, name: str) -> None:
        self.name = name


def test_the_same_tuple_gives_the_same_list_and_a_new_one_reuses_its_items() -> None:
    memo: ListMemo[Item, list[str]] = ListMemo(kept=4, items_kept=8)
    built: list[str] = []

    def build(item: Item) -> list[str]:
        built.append(item.name)
        return [item.name]

    a, b, c = Item("a"), Item("b"), Item("c")
    first_tuple = (a, b)
    first = memo.recall(first_tuple, ("en",), build)
    assert memo.recall(first_tuple, ("en",), build) is first
    second = memo.recall((a, c), ("en",), build)
    assert second is not first and second[0] is first[0] and second == [["a"], ["c"]]
    german = memo.recall(first_tuple, ("de",), build)
    assert german[0] is not first[0]
    assert built == ["a", "b", "c", "a", "b"]
    assert len(memo) == 3


def test_keeping_nothing_builds_every_time() -> None:
    memo: ListMemo[Item, list[str]] = ListMemo(kept=0, items_kept=0)
    items = (Item("a"),)
    first = memo.recall(items, (), lambda item: [item.name])
    again = memo.recall(items, (), lambda item: [item.name])
    assert first == again and first is not again and first[0] is not again[0]
    assert len(memo) == 0


def _line(line_id: str, quantity: int) -> CartLine:
    unit = Money(Decimal("2.50"), "USD")
    return CartLine(id=line_id, kind=LineKind.CUSTOM, name=line_id, quantity=quantity,
                    cost=LineCost(unit, None, unit * quantity, unit * quantity))


def test_a_changed_cart_reuses_the_graphql_lines_of_its_unchanged_lines() -> None:
    unchanged, before = _line("mug", 1), _line("pen", 1)
    total = Money(Decimal("5.00"), "USD")
    cart = Cart(id="c1", backend=Backend.BIGCOMMERCE, version="1", currency="USD",
                cost=CartCost(total, Money.zero("USD"), None, total),
                lines=(unchanged, before))
    changed = dataclasses.replace(cart, version="2", lines=(unchanged, _line("pen", 2)))
    line_sets = FastPath().line_sets
    first = types.cart(cart, "en-US", line_sets)
    second = types.cart(changed, "en-US", line_sets)
    assert second.lines[0] is first.lines[0]
    assert second.lines[1] is not first.lines[1]
    assert (second.lines[1].quantity, second.lines[1].cost.total_amount.formatted) == (
        2, "$5.00")
    assert types.cart(changed, "de-DE", line_sets).lines[0].cost.total_amount.formatted == (
        "2,50\xa0$")
    off = FastPath(enabled=False).line_sets
    assert types.cart(changed, "en-US", off).lines[0] is not types.cart(
        changed, "en-US", off).lines[0]


def test_serialized_lists_write_only_the_objects_a_new_list_does_not_share() -> None:
    lists = SerializedLists(kept=4, items_kept=16)
    written: list[str] = []

    def write_one(item: Item) -> dict[str, str]:
        written.append(item.name)
        return {"name": item.name}

    a, b, c, d, e = (Item(name) for name in "abcde")
    first = lists(write_one, [a, b, c, d])
    again = lists(write_one, [a, b, c, d])
    changed = lists(write_one, [a, b, c, e])
    assert written == ["a", "b", "c", "d", "e"]
    assert changed == [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "e"}]
    assert all(changed[i] is first[i] for i in range(3)) and again == first
    # Keeping nothing (the fast path off), every object is written every time.
    nothing = SerializedLists(kept=0, items_kept=0)
    written.clear()
    nothing(write_one, [a, b, c, d])
    nothing(write_one, [a, b, c, d])
    assert written == ["a", "b", "c", "d"] * 2
