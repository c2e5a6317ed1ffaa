"""Seed products and Promotions Standard promotions, read from `catalog.json`."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Product:
    """A purchasable (child) product: one SKU with a price per currency in minor units."""

    id: str
    sku: str
    name: str
    slug: str
    description: str
    image_href: str
    prices: dict[str, int]
    includes_tax: bool
    commodity_type: str = "physical"
    # A child product: its parent's id and the variation option that defines it.
    parent_id: str | None = None
    variation: tuple[str, str, str, str] | None = None  # (variation id, name, option id, name)


@dataclass(frozen=True, slots=True)
class Parent:
    """A parent product: not purchasable itself, it has one variation whose options each
    name a child product.
    """

    id: str
    sku: str
    name: str
    slug: str
    commodity_type: str
    image_href: str
    variation_id: str
    variation_name: str
    options: tuple[tuple[str, str, str], ...]  # (option id, option name, child product id)


@dataclass(frozen=True, slots=True)
class Promotion:
    """A Promotions Standard promotion reachable by one code."""

    id: str
    code: str
    name: str
    description: str
    promotion_type: str
    automatic: bool
    start: str
    end: str
    targets: tuple[str, ...]
    # percent_discount carries percentages, the fixed types minor-unit amounts.
    values: dict[str, int]

    @property
    def is_item_level(self) -> bool:
        """Item promotions discount matching lines; cart promotions become promotion items."""
        return self.promotion_type.startswith("item_")


class Catalog:
    """Look-ups over the seed data: products by id or sku, promotions by code."""

    def __init__(self, *, products: list[Product], promotions: list[Promotion],
                 parents: list[Parent] | None = None) -> None:
        self._parents = {p.id: p for p in parents or []}
        children = {child_id: (parent, option_id, option_name)
                    for parent in self._parents.values()
                    for option_id, option_name, child_id in parent.options}
        products = [_as_child(p, children.get(p.id)) for p in products]
        self._by_id = {p.id: p for p in products}
        self._by_sku = {p.sku: p for p in products}
        # Codes are matched case-insensitively, as shoppers type them.
        self._by_code = {p.code.upper(): p for p in promotions}

    @classmethod
    def load(cls) -> Catalog:
        """Read the packaged `catalog.json`."""
        text = resources.files(__package__).joinpath("catalog.json").read_text("utf-8")
        raw = json.loads(text)
        by_sku = {p["sku"]: p["id"] for p in raw["products"]}
        return cls(
            products=[_product(p) for p in raw["products"]],
            promotions=[_promotion(p) for p in raw["promotions"]],
            parents=[_parent(p, by_sku) for p in raw.get("parents", [])],
        )

    def product(self, product_id: str) -> Product | None:
        """The product with this id, if any."""
        return self._by_id.get(product_id)

    def parent(self, product_id: str) -> Parent | None:
        """The parent product with this id, if any."""
        return self._parents.get(product_id)

    def products(self) -> list[Product]:
        """Every purchasable product, in catalog order."""
        return list(self._by_id.values())

    def parents(self) -> list[Parent]:
        """Every parent product, in catalog order."""
        return list(self._parents.values())

    def product_by_sku(self, sku: str) -> Product | None:
        """The product with this sku, if any."""
        return self._by_sku.get(sku)

    def promotion(self, code: str) -> Promotion | None:
        """The promotion that this code unlocks, if any."""
        return self._by_code.get(code.upper())


def _product(raw: dict[str, Any]) -> Product:
    return Product(
        id=raw["id"],
        sku=raw["sku"],
        name=raw["name"],
        slug=raw["slug"],
        description=raw["description"],
        image_href=raw["image_href"],
        prices={code: int(p["amount"]) for code, p in raw["price"].items()},
        includes_tax=all(p["includes_tax"] for p in raw["price"].values()),
        commodity_type=raw.get("commodity_type", "physical"),
    )


def _parent(raw: dict[str, Any], child_ids: dict[str, str]) -> Parent:
    variation = raw["variation"]
    return Parent(
        id=raw["id"], sku=raw["sku"], name=raw["name"], slug=raw["slug"],
        commodity_type=raw["commodity_type"], image_href=raw["image_href"],
        variation_id=variation["id"], variation_name=variation["name"],
        options=tuple((o["id"], o["name"], child_ids[o["child_sku"]])
                      for o in variation["options"]),
    )


def _as_child(product: Product, child_of: tuple[Parent, str, str] | None) -> Product:
    if child_of is None:
        return product
    parent, option_id, option_name = child_of
    return dataclasses.replace(
        product, parent_id=parent.id,
        variation=(parent.variation_id, parent.variation_name, option_id, option_name))


def _promotion(raw: dict[str, Any]) -> Promotion:
    schema = raw["schema"]
    key = "percentage" if raw["promotion_type"] == "percent_discount" else "amount"
    return Promotion(
        id=raw["id"],
        code=raw["code"],
        name=raw["name"],
        description=raw["description"],
        promotion_type=raw["promotion_type"],
        automatic=raw["automatic"],
        start=raw["start"],
        end=raw["end"],
        targets=tuple(schema.get("targets", ())),
        values={c["currency"]: int(c[key]) for c in schema["currencies"]},
    )
