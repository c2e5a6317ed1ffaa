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


async def test_changes_without_a_version_keep_the_locale_and_currency(
    gateway: GraphQLClient, backend_name: str,
) -> None:
    """Changes that go to the vendor without a read first (a cart this process answered
    with) keep what the gateway stores on the cart: its locale and currency.
    """
    created = await gateway.create({"backend": backend_name, "currencyCode": "EUR",
                                    "locale": "de-DE"})
    assert created["userErrors"] == []
    cart_id = created["cart"]["id"]
    added = await gateway.add_lines(cart_id, [{"sku": "MUG-ORBIT", "quantity": 2}])
    assert added["userErrors"] == []
    line_id = line_by_sku(added["cart"], "MUG-ORBIT")["id"]
    more = await gateway.add_lines(cart_id, [{"sku": "PENCIL-HB"}])
    updated = await gateway.update_lines(cart_id, [{"id": line_id, "quantity": 3}])
    coded = await gateway.discount_codes(cart_id, ["SAVE10"])
    removed = await gateway.remove_lines(cart_id, [line_id])
    answers = [added, more, updated, coded, removed]
    assert [a["userErrors"] for a in answers] == [[]] * len(answers)
    read = await gateway.cart(cart_id)
    assert read is not None
    assert [(c["currencyCode"], c["locale"]) for c in [a["cart"] for a in answers] + [read]] \
        == [("EUR", "de-DE")] * (len(answers) + 1)
    assert read["cost"]["totalAmount"]["formatted"].endswith("\u00a0€")
    assert read["cost"] == removed["cart"]["cost"]
