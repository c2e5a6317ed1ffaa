"""A cart's locale is kept on every vendor, and amounts are formatted in it the same way."""

from __future__ import annotations

import pytest

from tests.support import GraphQLClient, line_by_sku

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("currency", "locale", "unit", "total"), [
    ("EUR", "de-DE", "18,50\u00a0€", "55,50\u00a0€"),
    ("JPY", "ja-JP", "￥2,980", "￥8,940"),
    ("JOD", "ar-JO", None, None),
])
async def test_locale_is_kept_and_formats_amounts(
    gateway: GraphQLClient, backend_name: str, currency: str, locale: str,
    unit: str | None, total: str | None,
) -> None:
    created = await gateway.create({"backend": backend_name, "currencyCode": currency,
                                    "locale": locale,
                                    "lines": [{"sku": "TEE-TRAIL-M", "quantity": 3}]})
    assert created["userErrors"] == []
    cart = created["cart"]
    assert cart["locale"] == locale
    line = line_by_sku(cart, "TEE-TRAIL-M")
    if unit is not None:
        assert line["cost"]["amountPerQuantity"]["formatted"] == unit
        assert cart["cost"]["totalAmount"]["formatted"] == total
    read = await gateway.cart(cart["id"])
    assert read is not None
    assert read["locale"] == locale
    assert read["cost"] == cart["cost"]
