"""Elastic Path JSON -> the model, with payloads shaped like cart_checkout.yaml's examples."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from adapters.elasticpath.catalog_facts import ProductFacts
from adapters.elasticpath.errors import entry_status, error_entries, error_for
from adapters.elasticpath.mapping import _LINE_FIELDS, cart_exists, cart_version, to_cart
from adapters.errors import (
    CartNotFound,
    CurrencyMismatch,
    InsufficientStock,
    InvalidDiscountCode,
    InvalidInput,
    LineNotFound,
    MerchandiseNotFound,
    ServiceUnavailable,
    VersionConflict,
)
from adapters.line_memo import LineMemo
from adapters.model import (
    Attribute,
    Backend,
    CartCost,
    CartSettings,
    DiscountAllocation,
    DiscountCode,
    DiscountKind,
    LineCost,
    LineKind,
    SelectedOption,
)
from adapters.money import Money

Json = dict[str, Any]


def price(amount: int, currency: str = "USD") -> Json:
    return {"amount": amount, "currency": currency, "formatted": f"{amount}"}


def shown(unit: int, value: int, currency: str = "USD") -> Json:
    return {"unit": price(unit, currency), "value": price(value, currency)}


# The item of getCartItems' example: 100.00 with four sale2024 discounts, 50.00 to pay.
SALE_ITEM: Json = {
    "id": "98de010d-dd10-4fa5-a070-0b9bcdc72974",
    "type": "cart_item",
    "product_id": "5a4662d2-9a2b-4f6e-a215-2970db914b0c",
    "name": "sku1", "description": "sku1", "sku": "sku1", "slug": "sku1",
    "image": {"mime_type": "", "file_name": "", "href": ""},
    "quantity": 1,
    "manage_stock": False,
    "unit_price": {"amount": 10000, "currency": "USD", "includes_tax": False},
    "value": {"amount": 10000, "currency": "USD", "includes_tax": False},
    "discounts": [
        {"amount": {"amount": -2000, "currency": "USD", "includes_tax": False},
         "code": "sale2024", "id": "e4d929d5-f471-4317-9a86-a84a6c572b44",
         "promotion_source": "rule-promotion", "is_cart_discount": True},
        {"amount": {"amount": -1000, "currency": "USD", "includes_tax": False},
         "code": "sale2024", "id": "de19a043-a6da-4bde-b896-d17e16b77e25",
         "promotion_source": "rule-promotion"},
        {"amount": {"amount": -1000, "currency": "USD", "includes_tax": False},
         "code": "sale2024", "id": "509295ee-2971-45b6-801e-95df09756989"},
        {"amount": {"amount": -1000, "currency": "USD", "includes_tax": False},
         "code": "sale2024", "id": "ca79e606-7ecd-41ac-9478-af4c8c28c546",
         "promotion_source": "rule-promotion", "is_cart_discount": True},
    ],
    "links": {"product": "https://useast.api.elasticpath.com/v2/products/5a4662d2"},
    "meta": {
        "display_price": {
            "with_tax": shown(5000, 5000), "without_tax": shown(5000, 5000),
            "tax": shown(0, 0), "discount": shown(-5000, -5000),
            "without_discount": shown(10000, 10000),
        },
        "timestamps": {"created_at": "2024-05-24T18:00:58Z", "updated_at": "2024-05-24T18:00:58Z"},
    },
    "catalog_id": "09b9359f-897f-407f-89a2-702e167fe781",
    "catalog_source": "pim",
}

# The custom item of manageCarts' best-practices example: two at 200.00, tax included.
CUSTOM_ITEM: Json = {
    "id": "c58760f4-8889-4719-b34d-be1f1d11ae59",
    "type": "custom_item",
    "name": "product-1", "description": "My first custom item!", "sku": "sku-1", "slug": "",
    "image": {"mime_type": "", "file_name": "", "href": ""},
    "quantity": 2,
    "manage_stock": False,
    "unit_price": {"amount": 20000, "currency": "USD", "includes_tax": True},
    "value": {"amount": 40000, "currency": "USD", "includes_tax": True},
    "links": {},
    "meta": {
        "display_price": {
            "with_tax": shown(20000, 40000), "without_tax": shown(20000, 40000),
            "tax": shown(0, 0), "discount": shown(0, 0),
            "without_discount": shown(20000, 40000),
        },
        "timestamps": {"created_at": "2023-05-02T16:28:11Z", "updated_at": "2023-05-02T16:28:18Z"},
    },
}

# A cart-level promotion: SAVE10 shown after the products with a negative price.
PROMOTION_ITEM: Json = {
    "id": "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
    "type": "promotion_item",
    "promotion_id": "5d153d23-2818-58a7-aed1-7c9f68588e12",
    "name": "10% off the order", "description": "Promotion", "sku": "SAVE10", "slug": "",
    "image": {"mime_type": "", "file_name": "", "href": ""},
    "quantity": 1,
    "manage_stock": False,
    "unit_price": {"amount": -4500, "currency": "USD", "includes_tax": False},
    "value": {"amount": -4500, "currency": "USD", "includes_tax": False},
    "links": {},
    "meta": {"display_price": {
        "with_tax": shown(-4500, -4500), "without_tax": shown(-4500, -4500),
        "tax": shown(0, 0), "discount": shown(0, 0), "without_discount": shown(-4500, -4500),
    }},
}


def cart_payload(items: list[Json], *, with_tax: int, discount: int, tax: int = 0,
                 currency: str = "USD", **fields: Any) -> Json:
    data: Json = {
        "id": "cart-1", "type": "cart", "name": "Bob's cart", "description": "For Holidays",
        "discount_settings": {"custom_discounts_enabled": False, "use_rule_promotions": True},
        "links": {"self": "https://useast.api.elasticpath.com/v2/carts/cart-1"},
        "meta": {
            "display_price": {
                "with_tax": price(with_tax, currency), "without_tax": price(with_tax, currency),
                "tax": price(tax, currency), "discount": price(discount, currency),
                "without_discount": price(with_tax - discount, currency),
            },
            "timestamps": {"created_at": "2024-05-24T17:59:00Z",
                           "updated_at": "2024-05-24T18:00:58Z",
                           "expires_at": "2024-05-31T18:00:58Z"},
        },
        "relationships": {
            "items": {"data": [{"type": i["type"], "id": i["id"]} for i in items] or None},
            "customers": {}, "accounts": {},
        },
    }
    data.update(fields)
    return {"data": data, "included": {"items": items}}


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


def test_rule_promotion_item_discounts_are_line_allocations() -> None:
    cart = to_cart(cart_payload([SALE_ITEM], with_tax=5000, discount=-5000))
    [line] = cart.lines
    assert line.kind is LineKind.PHYSICAL
    assert (line.id, line.product_id, line.sku, line.name, line.quantity, line.image_url) == (
        "98de010d-dd10-4fa5-a070-0b9bcdc72974", "5a4662d2-9a2b-4f6e-a215-2970db914b0c",
        "sku1", "sku1", 1, None,
    )
    # The unit price is before any discount; a promotion is an allocation, not a "was" price.
    assert line.cost == LineCost(amount_per_quantity=usd("100.00"),
                                 compare_at_amount_per_quantity=None,
                                 subtotal=usd("100.00"), total=usd("50.00"))
    assert [(d.kind, d.code, d.amount) for d in line.discounts] == [
        (DiscountKind.CODE, "sale2024", usd("20.00")),
        (DiscountKind.CODE, "sale2024", usd("10.00")),
        (DiscountKind.CODE, "sale2024", usd("10.00")),
        (DiscountKind.CODE, "sale2024", usd("10.00")),
    ]
    assert cart.cost == CartCost(subtotal=usd("100.00"), total_discount=usd("50.00"),
                                 total_tax=None, total=usd("50.00"))
    assert cart.discount_codes == (DiscountCode(code="sale2024", applicable=True),)
    assert cart.discounts == ()


def test_custom_item_and_cart_fields() -> None:
    payload = cart_payload([CUSTOM_ITEM], with_tax=40000, discount=0,
                           contact={"email": "tester@email.com"})
    cart = to_cart(payload)
    [line] = cart.lines
    assert line.kind is LineKind.CUSTOM
    assert line.cost == LineCost(amount_per_quantity=usd("200.00"),
                                 compare_at_amount_per_quantity=None,
                                 subtotal=usd("400.00"), total=usd("400.00"))
    assert line.product_id is None and line.sku == "sku-1"
    assert cart.id == "cart-1" and cart.backend is Backend.ELASTIC_PATH
    assert (cart.name, cart.description, cart.email, cart.customer_id, cart.locale) == (
        "Bob's cart", "For Holidays", "tester@email.com", None, None)
    assert cart.tax_included is True
    assert cart.checkout_url is None
    assert cart.created_at == datetime(2024, 5, 24, 17, 59, tzinfo=UTC)
    assert cart.updated_at == datetime(2024, 5, 24, 18, 0, 58, tzinfo=UTC)
    assert cart.total_quantity == 2


def test_custom_attributes_note_and_settings() -> None:
    payload = cart_payload([CUSTOM_ITEM], with_tax=40000, discount=0, custom_attributes={
        "wrap": {"type": "string", "value": "blue"},
        "cartgate_note": {"type": "string", "value": "Ring twice"},
        "weight": {"type": "float", "value": Decimal("1.25")},
        "member": {"type": "boolean", "value": True},
        "broken": "not an attribute object",
    }, inventory_settings={"defer_inventory_check": True},
        snapshot_date="2026-09-10T00:12:00Z")
    cart = to_cart(payload)
    assert cart.attributes == (Attribute("member", "true"), Attribute("weight", "1.25"),
                               Attribute("wrap", "blue"))
    assert cart.note == "Ring twice"
    assert cart.settings == CartSettings(
        snapshot_at=datetime(2026, 9, 10, 0, 12, tzinfo=UTC), defer_inventory_checks=True,
        custom_discounts_enabled=False, use_rule_promotions=True)
    changed = copy.deepcopy(payload)
    changed["data"]["custom_attributes"]["wrap"]["value"] = "red"
    assert cart_version(changed) != cart_version(payload)


def test_promotion_item_is_a_cart_level_code_not_a_line() -> None:
    payload = cart_payload([CUSTOM_ITEM, PROMOTION_ITEM], with_tax=35500, discount=-4500)
    payload["data"]["relationships"]["customers"] = {
        "data": [{"type": "customer", "id": "b3f2b6de-8fd4-4cdf-a9d9-c5f7cecccdfe"}]}
    cart = to_cart(payload)
    assert [line.kind for line in cart.lines] == [LineKind.CUSTOM]
    assert cart.discounts == (DiscountAllocation(kind=DiscountKind.CODE, amount=usd("45.00"),
                                                 code="SAVE10", title="10% off the order"),)
    assert cart.discount_codes == (DiscountCode(code="SAVE10", applicable=True),)
    assert cart.cost == CartCost(subtotal=usd("400.00"), total_discount=usd("45.00"),
                                 total_tax=None, total=usd("355.00"))
    assert cart.customer_id == "b3f2b6de-8fd4-4cdf-a9d9-c5f7cecccdfe"


def test_codes_are_unique_and_in_order() -> None:
    cart = to_cart(cart_payload([SALE_ITEM, PROMOTION_ITEM], with_tax=500, discount=-9500))
    assert [c.code for c in cart.discount_codes] == ["sale2024", "SAVE10"]


def test_minor_units_follow_the_currency() -> None:
    item = copy.deepcopy(CUSTOM_ITEM)
    for key in ("unit_price", "value"):
        item[key]["currency"] = "JPY"
    item["meta"]["display_price"] = {
        k: shown(1000, 2000, "JPY") for k in ("with_tax", "without_tax", "without_discount")}
    item["meta"]["display_price"]["discount"] = shown(0, 0, "JPY")
    cart = to_cart(cart_payload([item], with_tax=2000, discount=0, currency="JPY"))
    assert cart.currency == "JPY"
    assert cart.cost.total == Money(Decimal("2000"), "JPY")
    assert cart.lines[0].cost.amount_per_quantity == Money(Decimal("1000"), "JPY")


def test_an_empty_cart_without_currency_uses_the_hint_or_usd() -> None:
    payload = cart_payload([], with_tax=0, discount=0, currency="")
    assert to_cart(payload).currency == "USD"
    assert to_cart(payload, currency_hint="EUR").currency == "EUR"
    assert to_cart(payload).cost.total == usd("0.00")
    assert to_cart(payload).tax_included is False


def test_a_cart_never_stored_does_not_exist() -> None:
    never = cart_payload([], with_tax=0, discount=0, currency="")
    never["data"]["meta"]["timestamps"] = {"created_at": "0001-01-01T00:00:00Z",
                                           "updated_at": "0001-01-01T00:00:00Z",
                                           "expires_at": "0001-01-08T00:00:00Z"}
    assert cart_exists(never) is False
    del never["data"]["meta"]["timestamps"]
    assert cart_exists(never) is False
    assert cart_exists(cart_payload([], with_tax=0, discount=0)) is True


@pytest.mark.parametrize("path", [
    ("data", "id"), ("data", "meta"), ("included", "items", 0, "meta"),
    ("included", "items", 0, "quantity"),
])
def test_missing_required_fields_are_service_unavailable(path: tuple[Any, ...]) -> None:
    payload = cart_payload([copy.deepcopy(SALE_ITEM)], with_tax=5000, discount=-5000)
    holder: Any = payload
    for key in path[:-1]:
        holder = holder[key]
    del holder[path[-1]]
    with pytest.raises(ServiceUnavailable):
        to_cart(payload)


def test_a_fractional_minor_amount_is_service_unavailable() -> None:
    payload = cart_payload([], with_tax=0, discount=0)
    payload["data"]["meta"]["display_price"]["with_tax"]["amount"] = Decimal("10.5")
    with pytest.raises(ServiceUnavailable):
        to_cart(payload)


def test_version_is_stable_and_follows_every_change() -> None:
    base = cart_payload([copy.deepcopy(SALE_ITEM), copy.deepcopy(PROMOTION_ITEM)],
                        with_tax=500, discount=-9500)
    same = copy.deepcopy(base)
    same["data"]["links"]["self"] = "http://elsewhere/v2/carts/cart-1"
    assert cart_version(same) == cart_version(base) == to_cart(base).version

    def changed(change: Any) -> str:
        payload = copy.deepcopy(base)
        change(payload)
        return cart_version(payload)

    versions = {
        cart_version(base),
        changed(lambda p: p["included"]["items"][0].update(quantity=2)),
        changed(lambda p: p["data"].update(name="Other")),
        changed(lambda p: p["data"].update(description="Other")),
        changed(lambda p: p["data"].update(contact={"email": "a@example.com"})),
        changed(lambda p: p["data"]["meta"]["timestamps"].update(
            updated_at="2024-05-24T18:00:59Z")),
        changed(lambda p: p["included"]["items"].pop()),
        changed(lambda p: p["data"]["relationships"].update(
            customers={"data": [{"type": "customer", "id": "c1"}]})),
    }
    assert len(versions) == 8


@pytest.mark.parametrize("body", [
    {"errors": [{"status": "404", "title": "Not Found", "detail": "Item was not found"}]},
    {"errors": [{"status": 404, "title": "Not Found", "detail": "Item was not found"}]},
    {"errors": {"status": 404, "title": "Not Found", "detail": "Item was not found"}},
    {"status": 404, "title": "Not Found", "detail": "Item was not found"},
])
def test_every_error_envelope_is_read(body: Json) -> None:
    [entry] = error_entries(body)
    assert entry_status(entry, 0) == 404
    error = error_for(404, body, about="line", field=("lines", "0", "id"))
    assert isinstance(error, LineNotFound)
    assert error.field == ("lines", "0", "id")
    # The gateway's own words; Elastic Path's are kept for logs only.
    assert error.message == "the cart has no such line"
    assert error.vendor_detail == "Not Found: Item was not found"


def _body(status: int, title: str, detail: str = "") -> Json:
    return {"errors": [{"status": status, "title": title, "detail": detail}]}


@pytest.mark.parametrize(("status", "title", "about", "error"), [
    (404, "Product not found", "item", MerchandiseNotFound),
    (404, "Not Found", "item", CartNotFound),
    (404, "Not Found", "cart", CartNotFound),
    (404, "Not Found", "line", LineNotFound),
    (400, "Cart Currency Mismatch", "item", CurrencyMismatch),
    (400, "Product price not found", "item", CurrencyMismatch),
    (400, "Insufficient stock", "item", InsufficientStock),
    (404, "Not Found", "promotion", InvalidDiscountCode),
    (422, "Could not apply EP promotion with the given code", "promotion", InvalidDiscountCode),
    (400, "number_gte", "item", InvalidInput),
    (422, "Cannot use both discounts together", "cart", InvalidInput),
    (409, "Write conflict detected", "cart", VersionConflict),
])
def test_status_table(status: int, title: str, about: str, error: type[Exception]) -> None:
    assert type(error_for(status, _body(status, title), about=about)) is error


def test_tax_is_an_amount_only_once_tax_items_are_on_the_cart() -> None:
    payload = cart_payload([SALE_ITEM], with_tax=5000, discount=-5000)
    assert to_cart(payload).cost.total_tax is None  # a 0 nobody calculated
    taxed = copy.deepcopy(SALE_ITEM)
    taxed["relationships"] = {"taxes": {"data": [
        {"type": "tax_item", "id": "662461ad-ddcb-4dbd-8ed7-ade9aa63b5f9"}]}}
    payload = cart_payload([taxed], with_tax=5400, discount=-5000, tax=400)
    assert to_cart(payload).cost.total_tax == usd("4.00")


def test_catalog_facts_give_kind_parent_options_and_a_sales_was_price() -> None:
    item = copy.deepcopy(SALE_ITEM)
    item["discounts"] = []
    item["meta"]["display_price"]["without_tax"] = shown(10000, 10000)
    facts = {SALE_ITEM["product_id"]: ProductFacts(
        digital=True, parent_id="parent-1", options=(SelectedOption("Size", "M"),),
        image_url="https://cdn.example/p.jpg", was_prices={"USD": 12500})}
    [line] = to_cart(cart_payload([item], with_tax=10000, discount=0), facts=facts).lines
    assert (line.kind, line.product_id, line.variant_id, line.options, line.image_url) == (
        LineKind.DIGITAL, "parent-1", SALE_ITEM["product_id"], (SelectedOption("Size", "M"),),
        "https://cdn.example/p.jpg")
    assert line.cost.compare_at_amount_per_quantity == usd("125.00")
    [plain] = to_cart(cart_payload([item], with_tax=10000, discount=0)).lines
    assert (plain.kind, plain.product_id, plain.variant_id, plain.options) == (
        LineKind.PHYSICAL, SALE_ITEM["product_id"], SALE_ITEM["product_id"], ())
    assert plain.cost.compare_at_amount_per_quantity is None


def test_a_cart_of_more_lines_than_any_shop_holds_is_refused_before_mapping() -> None:
    with pytest.raises(ServiceUnavailable):
        to_cart(cart_payload([SALE_ITEM] * 1001, with_tax=0, discount=0))
    assert len(to_cart(cart_payload([SALE_ITEM] * 1000, with_tax=0, discount=0)).lines) == 1000


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [leaf for key, inner in value.items() for leaf in _leaves(inner, (*path, key))]
    return [path]


def _with(item: Json, path: tuple[Any, ...], value: Any) -> Json:
    changed = copy.deepcopy(item)
    inner = changed
    for key in path[:-1]:
        inner = inner[key]
    inner[path[-1]] = value
    return changed


UNIT_AMOUNT = ("meta", "display_price", "without_discount", "unit", "amount")


@pytest.mark.parametrize("path", [p for p in _leaves(SALE_ITEM["meta"]) if
                                  ("meta", *p) != UNIT_AMOUNT],
                         ids=lambda path: ".".join(path))
def test_a_line_reads_no_meta_but_the_unit_list_price(path: tuple[str, ...]) -> None:
    # A remembered line is named by its item without `meta` (and that one amount).
    changed = _with(SALE_ITEM, ("meta", *path), "2099-01-01T00:00:00Z")
    payload = cart_payload([SALE_ITEM], with_tax=5000, discount=-5000)
    assert to_cart(cart_payload([changed], with_tax=5000, discount=-5000)).lines == to_cart(
        payload).lines


@pytest.mark.parametrize("item", [SALE_ITEM, CUSTOM_ITEM], ids=["catalog", "custom"])
def test_a_line_reads_no_field_but_those_it_is_remembered_by(item: Json) -> None:
    payload = cart_payload([item], with_tax=5000, discount=-5000)
    unread = [key for key in item if key not in (*_LINE_FIELDS, "meta")]
    assert "unit_price" in unread
    for key in unread:
        changed = _with(item, (key,), {"changed": True})
        assert to_cart(cart_payload([changed], with_tax=5000, discount=-5000)).lines == (
            to_cart(payload).lines), key


def test_unchanged_items_give_back_the_lines_built_before() -> None:
    memo = LineMemo()
    first = to_cart(cart_payload([SALE_ITEM, CUSTOM_ITEM], with_tax=45000, discount=-5000),
                    lines=memo)
    moved = _with(SALE_ITEM, ("meta", "timestamps", "updated_at"), "2024-06-01T00:00:00Z")
    more = _with(CUSTOM_ITEM, ("quantity",), 3)
    second = to_cart(cart_payload([moved, more], with_tax=65000, discount=-5000), lines=memo)
    assert (second.lines[0] is first.lines[0], second.lines[1] is first.lines[1]) == (
        True, False)
    assert second.lines[1].quantity == 3


@pytest.mark.parametrize(("path", "value"), [
    (UNIT_AMOUNT, 12000), (("quantity",), 2), (("image", "href"), "https://cdn.example/a.jpg"),
    (("name",), "sku one"), (("commodity_type",), "digital"), (("quantity",), Decimal(1)),
    (("relationships",), {"custom_discounts": {"data": [
        {"type": "custom-discount", "id": "509295ee-2971-45b6-801e-95df09756989"}]}}),
])
def test_a_remembered_line_is_the_line_its_item_maps_to(
    path: tuple[str, ...], value: Any,
) -> None:
    memo = LineMemo()
    for item in (SALE_ITEM, _with(SALE_ITEM, path, value)) * 2:
        payload = cart_payload([item], with_tax=5000, discount=-5000)
        assert to_cart(payload, lines=memo) == to_cart(payload)
    assert (memo.hits, memo.misses) == (2, 2)


def test_a_remembered_line_follows_the_catalog_facts_and_the_currency() -> None:
    memo = LineMemo()
    item = _with(SALE_ITEM, ("discounts",), [])
    product = SALE_ITEM["product_id"]
    for facts, currency in [({}, "USD"), ({product: ProductFacts(digital=True)}, "USD"),
                            ({product: ProductFacts(digital=False, parent_id="p")}, "USD"),
                            ({}, "EUR"), ({}, "USD")]:
        payload = cart_payload([item], with_tax=5000, discount=0, currency=currency)
        assert (to_cart(payload, facts=facts, lines=memo)
                == to_cart(payload, facts=facts))
    assert (memo.hits, memo.misses) == (1, 4)


def test_an_item_without_its_price_is_refused_with_or_without_remembered_lines() -> None:
    broken = copy.deepcopy(SALE_ITEM)
    del broken["meta"]
    payload = cart_payload([broken], with_tax=5000, discount=-5000)
    for memo in (LineMemo(), None):
        with pytest.raises(ServiceUnavailable, match=r"\(KeyError\)"):
            to_cart(payload, lines=memo)


@pytest.mark.parametrize(("path", "value"), [
    (("sku",), {"x": 1}), (("image", "href"), ["x"]), (("quantity",), 0),
    (("quantity",), 2 ** 31),
])
def test_a_line_the_schema_cannot_carry_is_refused_and_never_remembered(
        path: tuple[str, ...], value: Any) -> None:
    memo = LineMemo()
    bad = _with(CUSTOM_ITEM, path, value)
    for _ in range(2):
        with pytest.raises(ServiceUnavailable):
            to_cart(cart_payload([SALE_ITEM, bad], with_tax=45000, discount=-5000), lines=memo)
    # The good item before it is remembered, then reused; the bad one never.
    assert (memo.misses, memo.hits, len(memo)) == (3, 1, 1)
