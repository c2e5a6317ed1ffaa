"""The sandbox's seed catalog: products, variants, options and coupons from catalog.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class OptionValue:
    """One selectable value of a product option, e.g. Size = M."""

    id: int
    label: str
    option_id: int
    option_display_name: str


@dataclass(frozen=True, slots=True)
class Variant:
    """A purchasable SKU of a product, identified by its option values."""

    id: int
    product_id: int
    sku: str
    option_values: tuple[OptionValue, ...]
    prices: dict[str, Decimal] | None


@dataclass(frozen=True, slots=True)
class Product:
    """A catalog product with its prices per currency and its variants."""

    id: int
    name: str
    type: str
    sku: str
    url: str
    image_url: str
    prices: dict[str, Decimal]
    option_values: dict[int, dict[int, OptionValue]]
    variants: tuple[Variant, ...]

    @property
    def is_digital(self) -> bool:
        """Whether the product is delivered by download rather than shipped."""
        return self.type == "digital"

    def price(self, variant: Variant, currency: str) -> Decimal:
        """The catalog price of a variant in a currency; a variant price beats the product's."""
        if variant.prices is not None and currency in variant.prices:
            return variant.prices[currency]
        return self.prices[currency]

    def variant(self, variant_id: int) -> Variant | None:
        """The product's variant with this id, if it has one."""
        return next((v for v in self.variants if v.id == variant_id), None)


@dataclass(frozen=True, slots=True)
class Coupon:
    """A coupon code: percentage, per-order fixed or per-unit fixed amount off."""

    id: int
    code: str
    name: str
    coupon_type: str
    percent: Decimal | None
    amounts: dict[str, Decimal]
    product_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every product and coupon the sandbox store knows, with lookups."""

    products: dict[int, Product]
    coupons: dict[str, Coupon]

    @property
    def currencies(self) -> frozenset[str]:
        """The currencies every product is priced in."""
        first = next(iter(self.products.values()))
        return frozenset(first.prices)

    def coupon(self, code: str) -> Coupon | None:
        """The coupon for a code; BigCommerce matches coupon codes case-insensitively."""
        return self.coupons.get(code.upper())

    def variants(self) -> list[tuple[Product, Variant]]:
        """All variants of all products, in catalog order."""
        return [(p, v) for p in self.products.values() for v in p.variants]


def _prices(raw: dict[str, str]) -> dict[str, Decimal]:
    return {code: Decimal(amount) for code, amount in raw.items()}


def _product(raw: dict[str, Any]) -> Product:
    option_values: dict[int, dict[int, OptionValue]] = {}
    for option in raw["options"]:
        option_values[option["id"]] = {
            value["id"]: OptionValue(
                id=value["id"],
                label=value["label"],
                option_id=option["id"],
                option_display_name=option["display_name"],
            )
            for value in option["values"]
        }
    variants = tuple(
        Variant(
            id=variant["id"],
            product_id=raw["id"],
            sku=variant["sku"],
            option_values=tuple(
                option_values[ov["option_id"]][ov["id"]] for ov in variant["option_values"]
            ),
            prices=_prices(variant["prices"]) if "prices" in variant else None,
        )
        for variant in raw["variants"]
    )
    return Product(
        id=raw["id"],
        name=raw["name"],
        type=raw["type"],
        sku=raw["sku"],
        url=raw["url"],
        image_url=raw["image_url"],
        prices=_prices(raw["prices"]),
        option_values=option_values,
        variants=variants,
    )


def _coupon(raw: dict[str, Any]) -> Coupon:
    return Coupon(
        id=raw["id"],
        code=raw["code"],
        name=raw["name"],
        coupon_type=raw["coupon_type"],
        percent=Decimal(raw["percent"]) if "percent" in raw else None,
        amounts=_prices(raw.get("amounts", {})),
        product_ids=frozenset(raw.get("product_ids", ())),
    )


def parse_catalog(raw: dict[str, Any]) -> Catalog:
    """Build a Catalog from the decoded catalog.json document."""
    products = {p.id: p for p in map(_product, raw["products"])}
    coupons = {c.code.upper(): c for c in map(_coupon, raw["coupons"])}
    return Catalog(products=products, coupons=coupons)


def load_catalog() -> Catalog:
    """Read the catalog.json shipped beside this module."""
    text = resources.files(__package__).joinpath("catalog.json").read_text(encoding="utf-8")
    return parse_catalog(json.loads(text))
