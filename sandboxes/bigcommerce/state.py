"""The mutable in-memory shape of a sandbox cart and its lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class SelectedOption:
    """An option shown on a line item: names may be overridden by the request."""

    name: str
    name_id: int
    value: str
    value_id: int


@dataclass(frozen=True, slots=True)
class GiftWrap:
    """A line's gift wrapping: one wrap for the whole line or one per item, each detail
    an option id (see pricing.WRAP_OPTIONS) and an optional message.
    """

    wrap_together: bool
    details: tuple[tuple[int, str | None], ...]


@dataclass(slots=True)
class ProductLine:
    """A catalog product line (physical or digital, decided by the product's type)."""

    id: str
    product_id: int
    variant_id: int
    quantity: int
    list_price_override: Decimal | None
    name_override: str | None
    options: tuple[SelectedOption, ...]
    gift_wrapping: GiftWrap | None = None

    def merge_key(self) -> tuple[object, ...]:
        """Lines with equal keys are one line: adding the same thing again adds quantity."""
        value_ids = tuple(sorted((o.name_id, o.value_id) for o in self.options))
        return (self.product_id, self.variant_id, value_ids, self.list_price_override,
                self.gift_wrapping)


@dataclass(slots=True)
class CustomLine:
    """A custom item: a free-form line that is not in the catalog."""

    id: str
    sku: str
    name: str
    quantity: int
    list_price: Decimal
    image_url: str | None


@dataclass(frozen=True, slots=True)
class Contact:
    """A gift certificate's sender or recipient."""

    name: str
    email: str


@dataclass(slots=True)
class GiftCertificateLine:
    """A gift certificate bought as a line of the cart."""

    id: str
    name: str
    theme: str
    amount: Decimal
    quantity: int
    sender: Contact
    recipient: Contact
    message: str


@dataclass(slots=True)
class Consignment:
    """The checkout's lines going to one address, and the shipping option chosen."""

    id: str
    address: dict[str, Any]
    line_item_ids: list[str]
    shipping_option_id: str | None = None


@dataclass(slots=True)
class Cart:
    """A server-to-server cart; `version` counts its changes."""

    id: str
    customer_id: int
    channel_id: int
    currency: str
    locale: str
    created_time: datetime
    updated_time: datetime
    version: int = 1
    email: str = ""
    product_lines: list[ProductLine] = field(default_factory=list)
    custom_lines: list[CustomLine] = field(default_factory=list)
    gift_certificate_lines: list[GiftCertificateLine] = field(default_factory=list)
    coupon_codes: list[str] = field(default_factory=list)
    consignments: list[Consignment] = field(default_factory=list)
    billing_address: dict[str, Any] | None = None
    # Manual discounts (POST /checkouts/{id}/discounts): off the whole cart, and per line.
    manual_discounts: list[Decimal] = field(default_factory=list)
    manual_line_discounts: dict[str, Decimal] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """Whether the cart has no line of any kind left."""
        return not (self.product_lines or self.custom_lines or self.gift_certificate_lines)
