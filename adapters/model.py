"""The single cart model both vendors are mapped into, and the commands sent to them.

Frozen dataclasses with no I/O. Amounts are Money; ids are the vendor's native ids
(the gateway adds the ``gid://`` prefix).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum, StrEnum

from adapters.delivery import Address, DeliveryGroup
from adapters.money import Money


class Backend(StrEnum):
    """A vendor the gateway fronts; the value is its name in ids and configuration.
    Each member has one entry in ``adapters.registry``, which says what the vendor brings.
    """

    BIGCOMMERCE = "bigcommerce"
    ELASTIC_PATH = "elasticpath"
    MEMORY = "memory"


class LineKind(Enum):
    """What a line sells: goods shipped, a download, a custom item or a gift certificate."""

    PHYSICAL = "PHYSICAL"
    DIGITAL = "DIGITAL"
    CUSTOM = "CUSTOM"
    GIFT_CERTIFICATE = "GIFT_CERTIFICATE"


class DiscountKind(Enum):
    """How a discount came: a code the shopper entered, a store promotion, or by hand."""

    CODE = "CODE"
    AUTOMATIC = "AUTOMATIC"
    MANUAL = "MANUAL"


@dataclass(frozen=True, slots=True)
class SelectedOption:
    """An option chosen on a line, such as Size: M."""

    name: str
    value: str


# A cart's or a line's own id, as each vendor names it: it goes into vendor URL paths and
# into the gateway's ids, so only characters that need no escaping, and never a path.
NATIVE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,127}")
# Attribute keys the gateway keeps for itself on a vendor's cart (the note, say); a
# storefront may not set them and reads never show them as attributes.
RESERVED_ATTRIBUTE_PREFIX = "cartgate_"
# Where a vendor without a note of its own keeps the cart's note among its pairs.
NOTE_KEY = f"{RESERVED_ATTRIBUTE_PREFIX}note"


@dataclass(frozen=True, slots=True)
class Attribute:
    """A key/value pair the storefront keeps on the cart: a gift message, delivery notes."""

    key: str
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
class Contact:
    """A gift certificate's sender or recipient."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class GiftCertificate:
    """A gift certificate line's card: who gives it to whom, its theme and its message."""

    sender: Contact
    recipient: Contact
    theme: str
    message: str | None = None


@dataclass(frozen=True, slots=True)
class LineCost:
    """What one line costs."""

    amount_per_quantity: Money
    compare_at_amount_per_quantity: Money | None
    subtotal: Money
    total: Money


@dataclass(frozen=True, slots=True)
class LineGiftWrapping:
    """The gift wrapping a line shows: the option's name, the message and its cost (as the
    vendor gives it; whether the cost counts in the cart's totals is the vendor's).
    """

    name: str
    message: str | None
    amount: Money | None


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
    gift_certificate: GiftCertificate | None = None
    gift_wrapping: LineGiftWrapping | None = None


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
class PromotionBanner:
    """A promotion the cart is eligible for, as the vendor words it for the storefront."""

    id: str
    type: str
    text: str
    pages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CartSettings:
    """Elastic Path's settings of one cart: preview pricing, inventory and discount rules."""

    snapshot_at: datetime | None = None
    defer_inventory_checks: bool = False
    custom_discounts_enabled: bool = False
    use_rule_promotions: bool = False


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
    attributes: tuple[Attribute, ...] = ()
    note: str | None = None
    settings: CartSettings | None = None
    promotion_banners: tuple[PromotionBanner, ...] = ()
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
class GiftWrapping:
    """Gift wrapping asked for on a line: one wrap for the line or one per item, with the
    vendor's wrapping option and a message per wrap.
    """

    wrap_together: bool
    option_id: int = 0
    messages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LineToAdd:
    """A catalog line to add, by product id or by SKU."""

    quantity: int
    product_id: str | None = None
    sku: str | None = None
    variant_id: str | None = None
    list_price: Decimal | None = None
    options: tuple[OptionChoice, ...] = ()
    gift_wrapping: GiftWrapping | None = None


@dataclass(frozen=True, slots=True)
class CustomLineToAdd:
    """A line that is not in the catalog, priced by the caller."""

    name: str
    quantity: int
    list_price: Decimal
    sku: str | None = None


@dataclass(frozen=True, slots=True)
class GiftCertificateToAdd:
    """A gift certificate bought as a line: its value, how many, and its card."""

    name: str
    amount: Decimal
    quantity: int
    card: GiftCertificate


@dataclass(frozen=True, slots=True)
class ManualDiscount:
    """An amount off the cart, or off one line, that a trusted caller grants by hand."""

    amount: Decimal
    title: str
    line_id: str | None = None


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
    """Free-text attributes; None leaves a field as it is.

    ``attributes`` replaces the cart's whole set of key/value pairs (a cart shows them in
    key order); ``note`` "" clears it.
    """

    name: str | None = None
    description: str | None = None
    attributes: tuple[Attribute, ...] | None = None
    note: str | None = None
    settings: CartSettingsChange | None = None


@dataclass(frozen=True, slots=True)
class CartSettingsChange:
    """Cart settings to change; None leaves one as it is."""

    snapshot_at: datetime | None = None
    defer_inventory_checks: bool | None = None
    custom_discounts_enabled: bool | None = None
    use_rule_promotions: bool | None = None
    clear_payment_intent: bool = False

    def fields(self) -> dict[str, object]:
        """The settings given, by their GraphQL input name, for errors that name one."""
        given = {"snapshotAt": self.snapshot_at,
                 "deferInventoryChecks": self.defer_inventory_checks,
                 "discountSettings": self.custom_discounts_enabled
                 if self.custom_discounts_enabled is not None else self.use_rule_promotions,
                 "clearPaymentIntent": self.clear_payment_intent or None}
        return {name: value for name, value in given.items() if value is not None}


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
    channel_id: int | None = None
    gift_certificates: tuple[GiftCertificateToAdd, ...] = ()
    # Set once the cart exists: where it goes and the option chosen there.
    delivery_address: Address | None = None
    delivery_option: str | None = None
