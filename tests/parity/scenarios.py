"""The carts the parity suite builds on each vendor, the same way on both.

A scenario is a name and the steps a storefront takes; each step's answer (a payload or a
read) is kept under its own name, and the suite compares them vendor against vendor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support import GraphQLClient

Answers = dict[str, Any]
Step = Callable[[GraphQLClient, Answers], Awaitable[Any]]


@dataclass(frozen=True)
class Scenario:
    name: str
    create: dict[str, Any]
    steps: tuple[tuple[str, Step], ...] = field(default=())
    # What a vendor's create input has of its own (its product ids), by vendor.
    own: dict[str, dict[str, Any]] = field(default_factory=dict)


def _cart_id(answers: Answers) -> str:
    cart_id: str = answers["create"]["cart"]["id"]
    return cart_id


def codes(*codes: str) -> tuple[str, Step]:
    return ("codes", lambda g, a: g.discount_codes(_cart_id(a), list(codes)))


def add(*lines: dict[str, Any]) -> tuple[str, Step]:
    return ("add", lambda g, a: g.add_lines(_cart_id(a), list(lines)))


def read() -> tuple[str, Step]:
    return ("read", lambda g, a: g.cart(_cart_id(a)))


def delete() -> tuple[str, Step]:
    return ("delete", lambda g, a: g.delete(_cart_id(a)))


def first_line_quantity(quantity: int) -> tuple[str, Step]:
    async def step(g: GraphQLClient, a: Answers) -> Any:
        cart = a["create"]["cart"]
        return await g.update_lines(cart["id"], [{"id": cart["lines"][0]["id"],
                                                  "quantity": quantity}])
    return ("update", step)


def usd(*lines: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"currencyCode": "USD", "lines": list(lines), **extra}


MUG = {"sku": "MUG-ORBIT", "quantity": 2}
SHIRT = {"sku": "TEE-TRAIL-M", "quantity": 3}
PENCIL = {"sku": "PENCIL-HB", "quantity": 1}
EBOOK = {"sku": "EBOOK-FIELD", "quantity": 1}
TOTE = {"sku": "TOTE-CANVAS", "quantity": 1}
ENGRAVING = {"sku": "ENGRAVING", "name": "Engraving", "quantity": 2, "listPrice": "7.25"}

SCENARIOS = [
    # Every line kind a storefront can add (gift certificates are BigCommerce's alone and
    # cannot be added through the gateway).
    Scenario("line kinds", usd(MUG, EBOOK, customLines=[ENGRAVING]), (read(),)),
    Scenario("variant with options", usd(SHIRT, {"sku": "SOCKS-WOOL-NVY"}), (read(),)),
    Scenario("list price override", usd({**MUG, "listPrice": "9.99"})),
    Scenario("percentage code", usd(SHIRT, MUG, PENCIL), (codes("SAVE15"), read())),
    Scenario("fixed amount off the order", usd(SHIRT, TOTE), (codes("FIVEOFF"),)),
    Scenario("amount off each of a product", usd(MUG, TOTE), (codes("MUG2OFF"),)),
    Scenario("stacked codes", usd(SHIRT, MUG, TOTE), (codes("SAVE10", "FIVEOFF"),)),
    Scenario("codes at creation", usd(SHIRT, discountCodes=["SAVE15"])),
    Scenario("yen", {"currencyCode": "JPY", "locale": "ja-JP", "lines": [SHIRT, PENCIL]}),
    Scenario("dinar", {"currencyCode": "JOD", "locale": "ar-JO", "lines": [MUG, PENCIL]},
             (codes("SAVE10"),)),
    Scenario("de-DE", {"currencyCode": "EUR", "locale": "de-DE", "lines": [SHIRT]},
             (codes("FIVEOFF"), read())),
    Scenario("no locale", usd(MUG)),
    Scenario("quantity change", usd(MUG, PENCIL), (first_line_quantity(5),)),
    Scenario("last line removed", usd(MUG), (first_line_quantity(0),)),
    # Errors: the same mistake, the same code, field and message.
    Scenario("unknown SKU", usd(MUG, {"sku": "NOPE-SKU"})),
    Scenario("unknown product id", usd(), own={
        "BIGCOMMERCE": {"lines": [{"productId": "999999"}]},
        "ELASTIC_PATH": {"lines": [{"productId": "00000000-0000-4000-8000-000000000000"}]}}),
    Scenario("product that needs options", usd(), own={
        "BIGCOMMERCE": {"lines": [{"productId": "112"}]},
        "ELASTIC_PATH": {"lines": [{"productId": "a3664a48-03f7-507d-a58c-e7dc747bce39"}]}}),
    Scenario("variant by product id", usd(), own={
        "BIGCOMMERCE": {"lines": [{"productId": "112", "variantId": "212"}]},
        "ELASTIC_PATH": {"lines": [{"productId": "a3664a48-03f7-507d-a58c-e7dc747bce39",
                                    "variantId": "55aba869-e287-57c3-8127-42cd9d8a89da"}]}}),
    Scenario("unsupported currency", {"currencyCode": "GBP", "lines": [MUG]}),
    Scenario("refused code", usd(MUG, discountCodes=["NOPE"])),
    Scenario("refused code later", usd(MUG), (codes("SAVE10", "NOPE"), read())),
    Scenario("no product named", usd({"quantity": 1})),
    Scenario("quantity below one", usd({"sku": "MUG-ORBIT", "quantity": 0})),
    Scenario("unknown currency code", {"currencyCode": "XYZ", "lines": [MUG]}),
    # Empty carts: held by the gateway on BigCommerce, kept by Elastic Path.
    Scenario("empty cart", {"currencyCode": "EUR", "locale": "de-DE"},
             (read(), add(MUG), read(), delete(), read())),
    Scenario("empty cart with a code", usd(discountCodes=["SAVE10"]), (add(TOTE),)),
]
