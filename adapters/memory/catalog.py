"""What the in-memory vendor sells and the discount codes it takes.

The default catalog has the SKUs, prices and codes of the vendor sandboxes (README, "A
first session"), so a storefront's tests read the same figures on every backend. Ids are
the in-memory vendor's own: products and variants are numbered as on BigCommerce's sandbox.
A test may pass a catalog of its own to ``MemoryBackend``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from adapters.model import LineKind, SelectedOption


@dataclass(frozen=True, slots=True)
class Variant:
    """One thing a line can hold: a product with each of its options chosen."""

    id: str
    sku: str
    options: tuple[SelectedOption, ...] = ()
    # Prices by currency when they differ from the product's.
    prices: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Product:
    """A product, its prices by currency (major units, as text) and its variants."""

    id: str
    sku: str
    name: str
    prices: Mapping[str, str]
    variants: tuple[Variant, ...]
    kind: LineKind = LineKind.PHYSICAL
    image_url: str | None = None

    def option_names(self) -> tuple[str, ...]:
        """The options a shopper chooses to pick one variant (empty: there is one)."""
        return tuple(dict.fromkeys(o.name for v in self.variants for o in v.options))

    def price(self, variant: Variant, currency: str) -> Decimal | None:
        """The variant's unit price in the currency; None when it is not sold in it."""
        text = (variant.prices or self.prices).get(currency)
        return Decimal(text) if text is not None else None


@dataclass(frozen=True, slots=True)
class DiscountRule:
    """A discount code: a percentage off the cart, a fixed amount off the cart, or (with
    ``product_ids``) a fixed amount off every unit of those products.
    """

    code: str
    title: str
    percent: Decimal | None = None
    amounts: Mapping[str, str] = field(default_factory=dict)
    product_ids: frozenset[str] = frozenset()

    @property
    def per_item(self) -> bool:
        return bool(self.product_ids)


class Catalog:
    """Products by id and SKU, and discount codes by code (case-insensitive)."""

    def __init__(self, *, products: Sequence[Product], codes: Sequence[DiscountRule] = ()) -> None:
        self.products = tuple(products)
        self.codes = tuple(codes)
        self._by_id = {p.id: p for p in self.products}
        self._by_sku: dict[str, tuple[Product, Variant | None]] = {}
        for product in self.products:
            only = product.variants[0] if len(product.variants) == 1 else None
            self._by_sku[product.sku] = (product, only)
            for variant in product.variants:
                self._by_sku[variant.sku] = (product, variant)
        self._codes = {rule.code.upper(): rule for rule in self.codes}
        prices = [set(p.prices) for p in self.products]
        # The currencies every product has a price in: the ones a cart may use.
        self.currencies = frozenset(set.intersection(*prices)) if prices else frozenset()

    def product(self, product_id: str) -> Product | None:
        return self._by_id.get(product_id)

    def by_sku(self, sku: str) -> tuple[Product, Variant | None] | None:
        """The product a SKU names, with its variant (None: the SKU is a product's with
        several variants).
        """
        return self._by_sku.get(sku)

    def code(self, code: str) -> DiscountRule | None:
        return self._codes.get(code.upper())


def _single(product_id: str, variant_id: str, sku: str, name: str, prices: dict[str, str],
            kind: LineKind = LineKind.PHYSICAL) -> Product:
    slug = sku.lower()
    return Product(id=product_id, sku=sku, name=name, prices=prices, kind=kind,
                   variants=(Variant(id=variant_id, sku=sku),),
                   image_url=f"https://cdn.memory.example/{slug}.jpg")


def _size(value: str) -> tuple[SelectedOption, ...]:
    return (SelectedOption(name="Size", value=value),)


def _color(value: str) -> tuple[SelectedOption, ...]:
    return (SelectedOption(name="Color", value=value),)


def _cur(usd: str, eur: str, jpy: str, jod: str) -> dict[str, str]:
    return {"USD": usd, "EUR": eur, "JPY": jpy, "JOD": jod}


DEFAULT_CATALOG = Catalog(
    products=(
        _single("111", "201", "MUG-ORBIT", "Orbit Coffee Mug",
                _cur("12.50", "11.90", "1800", "8.875")),
        Product(id="112", sku="TEE-TRAIL", name="Trail T-Shirt",
                prices=_cur("19.99", "18.50", "2980", "14.175"),
                image_url="https://cdn.memory.example/tee-trail.jpg",
                variants=(Variant(id="211", sku="TEE-TRAIL-S", options=_size("S")),
                          Variant(id="212", sku="TEE-TRAIL-M", options=_size("M")),
                          Variant(id="213", sku="TEE-TRAIL-L", options=_size("L"),
                                  prices=_cur("21.99", "20.50", "3280", "15.575")))),
        _single("113", "221", "PENCIL-HB", "HB Pencil", _cur("0.10", "0.10", "10", "0.075")),
        _single("114", "231", "TOTE-CANVAS", "Canvas Tote",
                _cur("24.00", "22.00", "3500", "17.250")),
        _single("115", "241", "EBOOK-FIELD", "Field Guide (e-book)",
                _cur("9.99", "9.49", "1500", "7.125"), kind=LineKind.DIGITAL),
        Product(id="116", sku="SOCKS-WOOL", name="Wool Socks",
                prices=_cur("14.00", "13.00", "2100", "9.950"),
                image_url="https://cdn.memory.example/socks-wool.jpg",
                variants=(Variant(id="251", sku="SOCKS-WOOL-GRY", options=_color("Grey")),
                          Variant(id="252", sku="SOCKS-WOOL-NVY", options=_color("Navy")))),
        _single("117", "261", "BEANS-ESP-1KG", "Espresso Beans 1 kg",
                _cur("32.75", "30.90", "4800", "23.125")),
        _single("118", "271", "LAMP-DESK", "Desk Lamp", _cur("89.00", "84.00", "13200", "63.000")),
    ),
    codes=(
        DiscountRule(code="SAVE10", title="10% off the order", percent=Decimal(10)),
        DiscountRule(code="SAVE15", title="15% off the order", percent=Decimal(15)),
        DiscountRule(code="FIVEOFF", title="5 off the order total",
                     amounts=_cur("5.00", "5.00", "700", "3.500")),
        DiscountRule(code="MUG2OFF", title="2 off every mug",
                     amounts=_cur("2.00", "2.00", "300", "1.500"),
                     product_ids=frozenset({"111"})),
    ),
)
