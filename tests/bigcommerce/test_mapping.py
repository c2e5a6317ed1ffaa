"""to_cart on payloads shaped exactly like carts.v3.yml's examples, quirks included."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from adapters.bigcommerce.mapping import _LINE_FIELDS, to_cart
from adapters.errors import ServiceUnavailable
from adapters.line_memo import LineMemo
from adapters.model import Backend, DiscountKind, LineKind

# The DELETE /carts/{cartId}/items/{itemId} 200 example of carts.v3.yml, verbatim in
# shape: no `version`, `parent_id: {}`, custom item quantity and price as numbers.
SPEC_EXAMPLE = """{
  "id": "bc218c65-7a32-4ab7-8082-68730c074d02", "customer_id": 11,
  "email": "customer@example.com", "currency": {"code": "USD"}, "tax_included": false,
  "base_amount": 189.75, "discount_amount": 0, "cart_amount": 212.81, "coupons": [],
  "line_items": {
    "physical_items": [{
      "id": "6e193ce6-f327-4dcc-b75e-72cf6738525e", "parent_id": {}, "variant_id": 362,
      "product_id": 191, "sku": "OPENHOUSE-3", "name": "Openhouse No. 3",
      "url": "https://id30h7ohwf.mybigcommerce.com/all/openhouse-no-3/", "quantity": 5,
      "taxable": true, "image_url": "https://cdn8.bigcommerce.com/openhousevol3.jpg",
      "discounts": [], "coupons": [], "discount_amount": 0, "coupon_amount": 0,
      "original_price": 27.95, "list_price": 27.95, "sale_price": 27.95,
      "extended_list_price": 139.75, "extended_sale_price": 139.75,
      "is_require_shipping": true,
      "options": [{"name": "Add a $5 Donation", "nameId": 82, "value": "No", "valueId": 186}]
    }],
    "digital_items": [],
    "custom_items": [{"extended_list_price": 5.99,
      "id": "78239b69-1952-4c35-9d58-ea30158b4e39", "list_price": 5.99,
      "name": "Rope Toy", "quantity": 1, "sku": "ROPE-TOY"}],
    "gift_certificates": [{"id": "6e38bbc2-8873-472c-a452-8bd4aaea5d3a",
      "name": "Happy Birthday", "theme": "Birthday", "amount": 50, "quantity": 1,
      "taxable": false,
      "sender": {"name": "Jane Does", "email": "janedoe@example.com"},
      "recipient": {"name": "Jane Does", "email": "janedoe@example.com"},
      "message": "Happy Birthday Jane!"}]
  },
  "created_time": "2018-09-17T14:27:39.000Z", "updated_time": "2018-09-17T14:53:40.000Z",
  "meta": {}
}"""


def _load(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return data


def test_spec_example_maps_every_kind_of_line() -> None:
    cart = to_cart(_load(SPEC_EXAMPLE))
    assert cart.backend is Backend.BIGCOMMERCE
    assert cart.id == "bc218c65-7a32-4ab7-8082-68730c074d02"
    assert cart.customer_id == "11"
    assert cart.email == "customer@example.com"
    assert [line.kind for line in cart.lines] == [
        LineKind.PHYSICAL, LineKind.CUSTOM, LineKind.GIFT_CERTIFICATE
    ]
    physical, custom, gift = cart.lines
    assert physical.product_id == "191" and physical.variant_id == "362"
    assert physical.quantity == 5
    assert str(physical.cost.subtotal.amount) == "139.75"
    assert physical.options[0].name == "Add a $5 Donation" and physical.options[0].value == "No"
    assert str(custom.cost.total.amount) == "5.99"
    assert str(gift.cost.total.amount) == "50.00"
    assert str(cart.cost.subtotal.amount) == "195.74"
    assert str(cart.cost.total.amount) == "212.81"
    assert str(cart.cost.total_discount.amount) == "0.00"
    assert cart.cost.total_tax is None
    assert cart.created_at is not None and cart.created_at.year == 2018


def test_a_missing_version_is_derived_from_content() -> None:
    data = _load(SPEC_EXAMPLE)
    first = to_cart(data).version
    assert first.startswith("h")
    assert to_cart(_load(SPEC_EXAMPLE)).version == first
    data["line_items"]["physical_items"][0]["quantity"] = 6
    assert to_cart(data).version != first


def test_custom_item_strings_and_coupon_ids_of_either_type() -> None:
    data = _load(SPEC_EXAMPLE)
    data["version"] = 7
    data["line_items"]["custom_items"][0].update({"quantity": "2", "list_price": "5.99",
                                                  "extended_list_price": Decimal("11.98")})
    data["coupons"] = [{"id": 4, "code": "SAVE5", "coupon_type": "2",
                        "discounted_amount": 5}]
    item = data["line_items"]["physical_items"][0]
    item["discounts"] = [{"id": "coupon", "discounted_amount": Decimal("3.5")},
                         {"id": 12, "discounted_amount": Decimal("1.5")}]
    item["coupon_amount"] = Decimal("3.5")
    cart = to_cart(data)
    assert cart.version == "7"
    custom = cart.lines[1]
    assert custom.quantity == 2 and str(custom.cost.subtotal.amount) == "11.98"
    physical = cart.lines[0]
    assert [(a.kind, a.code, str(a.amount.amount)) for a in physical.discounts] == [
        (DiscountKind.CODE, "SAVE5", "3.50"), (DiscountKind.AUTOMATIC, None, "1.50")
    ]
    assert str(physical.cost.total.amount) == "134.75"
    # 1.50 of the 5.00 coupon is not on any line: a cart-level allocation.
    assert [(a.kind, a.code, str(a.amount.amount)) for a in cart.discounts] == [
        (DiscountKind.CODE, "SAVE5", "1.50")
    ]
    assert [(c.code, c.applicable) for c in cart.discount_codes] == [("SAVE5", True)]


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("currency"),
        lambda d: d.pop("cart_amount"),
        lambda d: d["currency"].update(code="???"),
        lambda d: d["line_items"]["physical_items"][0].pop("list_price"),
        lambda d: d["line_items"]["physical_items"][0].update(quantity="lots"),
        lambda d: d.update(line_items=[1, 2]),
    ],
)
def test_malformed_payloads_are_service_unavailable(breakage: Any) -> None:
    data = _load(SPEC_EXAMPLE)
    breakage(data)
    with pytest.raises(ServiceUnavailable):
        to_cart(data)


def test_a_float_never_enters() -> None:
    data = json.loads(SPEC_EXAMPLE)  # parsed with floats, as a careless client would
    with pytest.raises(ServiceUnavailable):
        to_cart(data)


def test_line_cost_is_before_discounts_and_a_catalog_sale_is_the_was_price() -> None:
    data = _load(SPEC_EXAMPLE)
    item = data["line_items"]["physical_items"][0]
    # A catalog sale (list below the default price) and a 10.00 coupon on the line.
    item |= {"original_price": Decimal("30.00"), "list_price": Decimal("27.95"),
             "sale_price": Decimal("25.95"), "extended_sale_price": Decimal("129.75"),
             "discounts": [{"id": "coupon", "discounted_amount": Decimal("10.00")}],
             "coupon_amount": Decimal("10.00")}
    data["coupons"] = [{"code": "TENOFF", "discounted_amount": Decimal("10.00")}]
    line = to_cart(data).lines[0]
    assert (line.cost.amount_per_quantity.amount, line.cost.subtotal.amount,
            line.cost.total.amount) == (Decimal("27.95"), Decimal("139.75"), Decimal("129.75"))
    assert line.cost.compare_at_amount_per_quantity is not None
    assert line.cost.compare_at_amount_per_quantity.amount == Decimal("30.00")
    item["original_price"] = Decimal("27.95")
    assert to_cart(data).lines[0].cost.compare_at_amount_per_quantity is None


def test_a_cart_of_more_lines_than_any_shop_holds_is_refused_before_mapping() -> None:
    data = _load(SPEC_EXAMPLE)
    item = data["line_items"]["physical_items"][0]
    data["line_items"]["physical_items"] = [item] * 1001
    with pytest.raises(ServiceUnavailable):
        to_cart(data)
    data["line_items"]["physical_items"] = [item] * 998  # with the custom item and card
    assert len(to_cart(data).lines) == 1000


def test_unchanged_items_give_back_the_lines_built_before() -> None:
    memo = LineMemo()
    data = _load(SPEC_EXAMPLE)
    first = to_cart(data, memo)
    changed = _load(SPEC_EXAMPLE)
    changed["line_items"]["custom_items"][0]["quantity"] = 3
    second = to_cart(changed, memo)
    assert [a is b for a, b in zip(first.lines, second.lines, strict=True)] == [
        True, False, True]
    assert first == to_cart(_load(SPEC_EXAMPLE)) and second == to_cart(changed)
    assert second.lines[1].quantity == 3


@pytest.mark.parametrize(("path", "values"), [
    # The same number in other types or scales: each is its own text, and its own line.
    (("custom_items", "quantity"), [1, "1", Decimal("1"), Decimal("1.0"), 2]),
    (("custom_items", "list_price"), [Decimal("5.99"), "5.99", Decimal("5.990"), 5]),
    (("physical_items", "original_price"), [Decimal("27.95"), Decimal("30"), None, "30"]),
    (("physical_items", "sku"), ["OPENHOUSE-3", None, "", "openhouse-3"]),
])
def test_a_remembered_line_is_the_line_its_item_maps_to(
    path: tuple[str, str], values: list[Any],
) -> None:
    memo = LineMemo()
    group, field = path
    for value in values * 2:
        data = _load(SPEC_EXAMPLE)
        data["line_items"][group][0][field] = value
        assert to_cart(data, memo) == to_cart(data)
    assert memo.hits > 0


@pytest.mark.parametrize("group", ["physical_items", "custom_items", "gift_certificates"])
def test_a_line_reads_no_field_but_those_it_is_remembered_by(group: str) -> None:
    # A remembered line is named by its item's _LINE_FIELDS alone: no other field may
    # change what it maps to.
    data = _load(SPEC_EXAMPLE)
    unread = [key for key in data["line_items"][group][0] if key not in _LINE_FIELDS]
    assert unread
    for key in unread:
        changed = _load(SPEC_EXAMPLE)
        # The cart reads an item's coupon_amount (what its coupons left unallocated).
        changed["line_items"][group][0][key] = (
            Decimal("0.01") if key == "coupon_amount" else {"changed": True})
        assert to_cart(changed).lines == to_cart(data).lines, key


@pytest.mark.parametrize(("group", "field"), [
    (group, field) for group in ("physical_items", "gift_certificates")
    for field in _LINE_FIELDS])
def test_each_field_a_line_is_remembered_by_is_told_apart_when_absent(
        group: str, field: str) -> None:
    memo = LineMemo()
    for present in (True, False, True, False):
        data = _load(SPEC_EXAMPLE)
        item = data["line_items"][group][0]
        item[field] = item.get(field)
        if not present:
            del item[field]
        try:
            expected = to_cart(data)
        except ServiceUnavailable:
            with pytest.raises(ServiceUnavailable):
                to_cart(data, memo)
            continue
        assert to_cart(data, memo) == expected


def test_the_coupon_a_line_names_is_part_of_what_it_is_remembered_by() -> None:
    memo = LineMemo()
    lines = []
    for code in ("SAVE5", "SAVE10"):
        data = _load(SPEC_EXAMPLE)
        data["coupons"] = [{"code": code, "discounted_amount": 1}]
        data["line_items"]["physical_items"][0]["discounts"] = [
            {"id": "coupon", "discounted_amount": 1}]
        lines.append(to_cart(data, memo).lines[0])
    assert [line.discounts[0].code for line in lines] == ["SAVE5", "SAVE10"]


@pytest.mark.parametrize(("field", "value"), [("quantity", 0), ("quantity", 2**31),
                                              ("image_url", {"url": "u"}), ("sku", 5)])
def test_a_line_the_schema_cannot_carry_is_refused_and_never_remembered(
        field: str, value: Any) -> None:
    memo = LineMemo()
    for _ in range(2):
        data = _load(SPEC_EXAMPLE)
        data["line_items"]["custom_items"][0][field] = value
        with pytest.raises(ServiceUnavailable):
            to_cart(data, memo)
    # The physical item before it is remembered, then reused; the custom one never.
    assert (memo.misses, memo.hits, len(memo)) == (3, 1, 1)
