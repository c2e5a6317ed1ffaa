"""The single cart model both vendors are mapped into, and the commands sent to them.

Frozen dataclasses with no I/O. Amounts are Money; ids are the vendor's native ids
(the gateway adds the ``gid://`` prefix).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum, StrEnum

from adapters.delivery import Address, DeliveryGroup
from adapters.money import Money


class Backend(StrEnum):
    """A vendor the gateway fronts; the value is its name in ids and configuration."""

    BIGCOMMERCE = "bigcommerce"
    ELASTIC_PATH = "elasticpath"


class LineKind(Enum):
    PHYSICAL = "PHYSICAL"
    DIGITAL = "DIGITAL"
    CUSTOM = "CUSTOM"
    GIFT_CERTIFICATE = "GIFT_CERTIFICATE"


class DiscountKind(Enum):
    CODE = "CODE"
    AUTOMATIC = "AUTOMATIC"
    MANUAL = "MANUAL"


@dataclass(frozen=True, slots=True)
class SelectedOption:
    """An option chosen on a line, such as Size: M."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class DiscountAllocation:
    """A discount applied to a line or to the whole cart, as a positive amount."""

    kind: DiscountKind
    amount: Money
    code: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class DiscountCode:
    """A code on the cart and whether it currently applies."""

    code: str
    applicable: bool


@dataclass(frozen=True, slots=True)
class LineCost:
    """What one line costs."""

    amount_per_quantity: Money
    compare_at_amount_per_quantity: Money | None
    subtotal: Money
    total: Money


@dataclass(frozen=True, slots=True)
class CartLine:
    """One line of a cart."""

    id: str
    kind: LineKind
    name: str
    quantity: int
    cost: LineCost
    product_id: str | None = None
    variant_id: str | None = None
    sku: str | None = None
    image_url: str | None = None
    options: tuple[SelectedOption, ...] = ()
    added_by_promotion: bool = False
    discounts: tuple[DiscountAllocation, ...] = ()


@dataclass(frozen=True, slots=True)
class CartCost:
    """The cart's totals."""

    subtotal: Money
    total_discount: Money
    total_tax: Money | None
    total: Money
    # None until a delivery option is chosen and the vendor priced it.
    total_shipping: Money | None = None


@dataclass(frozen=True, slots=True)
class Cart:
    """A cart as the storefront sees it, whichever vendor holds it."""

    id: str
    backend: Backend
    version: str
    currency: str
    cost: CartCost
    lines: tuple[CartLine, ...] = ()
    locale: str | None = None
    customer_id: str | None = None
    email: str | None = None
    name: str | None = None
    description: str | None = None
    tax_included: bool = False
    discount_codes: tuple[DiscountCode, ...] = ()
    discounts: tuple[DiscountAllocation, ...] = ()
    checkout_url: str | None = None
    delivery_groups: tuple[DeliveryGroup, ...] = ()
    billing_address: Address | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    def line(self, line_id: str) -> CartLine | None:
        return next((line for line in self.lines if line.id == line_id), None)


# Commands: what a storefront asks a backend to do, already validated by the gateway.


@dataclass(frozen=True, slots=True)
class OptionChoice:
    """A product option chosen by id, with the value's id or text."""

    option_id: str
    value: str


@dataclass(frozen=True, slots=True)
class LineToAdd:
    """A catalog line to add, by product id or by SKU."""

    quantity: int
    product_id: str | None = None
    sku: str | None = None
    variant_id: str | None = None
    list_price: Decimal | None = None
    options: tuple[OptionChoice, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomLineToAdd:
    """A line that is not in the catalog, priced by the caller."""

    name: str
    quantity: int
    list_price: Decimal
    sku: str | None = None


@dataclass(frozen=True, slots=True)
class LineUpdate:
    """A change to one line; quantity 0 removes it."""

    line_id: str
    quantity: int | None = None
    list_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class BuyerIdentity:
    """Who the cart belongs to; None leaves a field as it is."""

    customer_id: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class CartAttributes:
    """Free-text attributes; None leaves a field as it is."""

    name: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class NewCart:
    """Everything a cart can be created with."""

    currency: str | None = None
    locale: str | None = None
    lines: tuple[LineToAdd, ...] = ()
    custom_lines: tuple[CustomLineToAdd, ...] = ()
    buyer: BuyerIdentity | None = None
    attributes: CartAttributes | None = None
    discount_codes: tuple[str, ...] = field(default=())
    # Set once the cart exists: where it goes and the option chosen there.
    delivery_address: Address | None = None
    delivery_option: str | None = None
