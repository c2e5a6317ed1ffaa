"""BigCommerce promotion banners (include=promotions.banners) -> Cart.promotion_banners."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.bigcommerce.promotion_banners import promotion_banners
from adapters.model import PromotionBanner

FREE_SHIPPING = {"id": "7", "type": "applied", "page": ["cart", "checkout"],
                 "text": "Free shipping over $50"}


@pytest.mark.parametrize(("data", "expected"), [
    ({"promotions": {"banners": [FREE_SHIPPING]}},
     (PromotionBanner("7", "applied", "Free shipping over $50", ("cart", "checkout")),)),
    ({"promotions": {"banners": FREE_SHIPPING}},  # one object, as carts.v3.yml draws it
     (PromotionBanner("7", "applied", "Free shipping over $50", ("cart", "checkout")),)),
    ({"promotions": {"banners": []}}, ()),
    ({}, ()),
    ({"promotions": None}, ()),
    ({"promotions": {"banners": [{"id": 1}, "text", {"text": "Buy 2", "page": "cart"}]}},
     (PromotionBanner("", "", "Buy 2", ()),)),
])
def test_banners(data: dict[str, Any], expected: tuple[PromotionBanner, ...]) -> None:
    assert promotion_banners(data) == expected
