"""The cart fields kept for the next item write, and the answer built with them."""

from __future__ import annotations

from typing import Any

from adapters.elasticpath.answers import cart_with_items
from adapters.elasticpath.cart_fields import CartFieldsMemo

CREATED = "2026-11-29T10:00:00Z"


def _cart(**relationships: Any) -> dict[str, Any]:
    return {"data": {
        "id": "c1", "type": "cart", "name": "Mine", "description": "",
        "links": {"self": "https://example.test/v2/carts/c1"},
        "meta": {"display_price": {"with_tax": {"amount": 1000, "currency": "USD"}},
                 "timestamps": {"created_at": CREATED, "updated_at": CREATED}},
        "relationships": {"items": {"data": [{"type": "cart_item", "id": "i1"}]},
                          "promotions": {"data": [{"type": "promotion", "id": "p1"}]},
                          "customers": {}, **relationships},
    }}


def _items(created_at: str = CREATED, **meta: Any) -> dict[str, Any]:
    return {"data": [{"type": "cart_item", "id": "i1"}, {"type": "cart_item", "id": "i2"}],
            "meta": {"display_price": {"with_tax": {"amount": 3000, "currency": "USD"},
                                       "discounts": {"SAVE": {"amount": -100}}},
                     "timestamps": {"created_at": created_at,
                                    "updated_at": "2026-11-29T10:05:00Z"}, **meta}}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_fields_go_to_the_next_holder_of_the_lock_only() -> None:
    memo = CartFieldsMemo()
    memo.keep("c1", _cart(), fence=7)
    assert memo.take("c1", fence=9) is None  # fence 8 wrote in between
    memo.keep("c1", _cart(), fence=7)
    kept = memo.take("c1", fence=8)
    assert kept is not None and kept["data"]["name"] == "Mine"
    assert memo.take("c1", fence=9) is None  # taken: nobody else gets them
    assert len(memo) == 0


def test_in_process_locks_take_them_at_every_write() -> None:
    memo = CartFieldsMemo()
    memo.keep("c1", _cart(), fence=0)
    assert memo.take("c1", fence=0) is not None
    assert memo.take("c1", fence=0) is None
    memo.keep("c1", _cart(), fence=0)
    assert memo.take("c1", fence=1) is None  # a Redis fence never follows fence 0


def test_sharers_of_the_lock_see_the_fields_the_last_holder_left() -> None:
    memo = CartFieldsMemo()
    memo.keep("c1", _cart(), fence=7)
    first, second = memo.peek("c1", fence=7), memo.peek("c1", fence=7)
    assert first is not None and first is second  # looked at, still kept
    assert memo.peek("c1", fence=8) is None  # holder 8 may have changed them
    assert memo.take("c1", fence=8) is not None  # the next holder still follows holder 7
    memo.keep("c1", _cart(), fence=0)
    assert memo.peek("c1", fence=0) is not None
    assert memo.peek("c1", fence=0) is not None
    assert memo.take("c1", fence=0) is not None
    assert memo.peek("c1", fence=0) is None  # a holder took them out


def test_the_fields_expire_and_are_bounded() -> None:
    clock = Clock()
    memo = CartFieldsMemo(max_carts=2, max_age=60, clock=clock)
    memo.keep("c1", _cart(), fence=1)
    clock.now = 61
    assert memo.take("c1", fence=2) is None
    for cart_id in ("a", "b", "c"):
        memo.keep(cart_id, _cart(), fence=1)
    assert len(memo) == 2
    assert memo.take("a", fence=2) is None
    assert memo.take("c", fence=2) is not None


def test_only_the_cart_s_own_fields_are_kept() -> None:
    memo = CartFieldsMemo()
    memo.keep("c1", _cart(), fence=0)
    kept = memo.take("c1", fence=0)
    assert kept is not None
    data = kept["data"]
    assert "links" not in data
    assert data["meta"] == {"timestamps": {"created_at": CREATED, "updated_at": CREATED}}
    assert set(data["relationships"]) == {"customers"}


def test_carts_whose_item_writes_change_more_than_they_show_are_not_kept() -> None:
    memo = CartFieldsMemo()
    discounted = _cart(custom_discounts={"data": [{"type": "custom_discount", "id": "d"}]})
    grouped = _cart(shipping_groups={"data": [{"type": "shipping_group", "id": "g"}]})
    for cart in (discounted, grouped, {**_cart(), "included": {"custom_discounts": [{"id": "d"}]}}):
        memo.keep("c1", _cart(), fence=0)
        memo.keep("c1", cart, fence=0)  # replaces what was kept, by nothing
        assert memo.take("c1", fence=0) is None


def test_the_answer_is_the_fields_with_the_write_s_items_totals_and_times() -> None:
    answer = cart_with_items(_cart(), _items())
    assert answer is not None
    data = answer["data"]
    assert data["name"] == "Mine"
    assert data["meta"]["display_price"] == {"with_tax": {"amount": 3000, "currency": "USD"}}
    assert data["meta"]["timestamps"]["updated_at"] == "2026-11-29T10:05:00Z"
    assert data["relationships"] == {
        "customers": {},
        "items": {"data": [{"type": "cart_item", "id": "i1"}, {"type": "cart_item", "id": "i2"}]}}
    assert [i["id"] for i in answer["included"]["items"]] == ["i1", "i2"]


def test_no_answer_is_built_from_another_cart_or_a_short_items_answer() -> None:
    assert cart_with_items(_cart(), _items(created_at="2026-11-29T11:00:00Z")) is None
    short = _items()
    del short["meta"]["timestamps"]
    assert cart_with_items(_cart(), short) is None
    assert cart_with_items(_cart(), {"data": []}) is None
    assert cart_with_items(
        _cart(custom_discounts={"data": [{"type": "custom_discount", "id": "d"}]}), _items()
    ) is None
