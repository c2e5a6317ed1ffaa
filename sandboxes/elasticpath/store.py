"""In-memory carts, their lines and custom discounts, and the expiry after the last change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .delivery_state import ShippingGroup, TaxItem

MAX_UNIQUE_ITEMS = 100
MAX_CUSTOM_DISCOUNTS = 5


@dataclass(slots=True)
class CustomDiscount:
    """A discount computed by an external engine, on the cart or on one line."""

    id: str
    amount: int
    description: str
    discount_code: str
    discount_engine: str
    external_id: str
    item_id: str | None = None
    item_type: str | None = None


@dataclass(slots=True)
class Line:
    """A `cart_item` (catalog product) or `custom_item` line, priced in minor units."""

    id: str
    type: str
    sku: str
    name: str
    description: str
    quantity: int
    unit_amount: int
    includes_tax: bool
    created_at: datetime
    updated_at: datetime
    product_id: str | None = None
    slug: str = ""
    image_href: str = ""
    custom_inputs: dict[str, Any] | None = None
    custom_discounts: list[CustomDiscount] = field(default_factory=list)
    shipping_group_id: str | None = None
    tax_items: list[TaxItem] = field(default_factory=list)


@dataclass(slots=True)
class AppliedPromotion:
    """A promotion code entered on the cart; cart-level ones are shown as a promotion item."""

    code: str
    promotion_item_id: str


@dataclass(slots=True)
class Cart:
    """One cart: its properties, lines, promotion codes and custom discounts."""

    id: str
    name: str
    description: str
    created_at: datetime
    updated_at: datetime
    expiry_days: int
    custom_discounts_enabled: bool
    use_rule_promotions: bool
    currency: str | None = None
    defer_inventory_check: bool = False
    contact: dict[str, Any] | None = None
    custom_attributes: dict[str, Any] | None = None
    snapshot_date: str | None = None
    payment_intent_id: str | None = None
    lines: list[Line] = field(default_factory=list)
    promotions: list[AppliedPromotion] = field(default_factory=list)
    custom_discounts: list[CustomDiscount] = field(default_factory=list)
    customer_ids: list[str] = field(default_factory=list)
    shipping_groups: list[ShippingGroup] = field(default_factory=list)
    # False for the empty cart an unknown id reads as: it was never written.
    stored: bool = False

    @property
    def expires_at(self) -> datetime:
        """Carts are purged this long after their last change."""
        return self.updated_at + timedelta(days=self.expiry_days)

    def unique_item_count(self) -> int:
        """Lines and promotions both count toward the 100 unique items."""
        return len(self.lines) + len(self.promotions)

    def line(self, line_id: str) -> Line | None:
        """The line with this id, if any."""
        return next((li for li in self.lines if li.id == line_id), None)

    def touch(self, now: datetime) -> None:
        """Record a change, which also restarts the expiry countdown."""
        self.updated_at = now

    def clear(self, now: datetime) -> None:
        """Remove every item, promotion and custom discount; the cart itself stays."""
        self.lines.clear()
        self.promotions.clear()
        self.custom_discounts.clear()
        # With nothing priced left, the next first item may fix a new currency.
        self.currency = None
        self.touch(now)


@dataclass(slots=True)
class CartSettings:
    """The store's cart settings (`/v2/settings/cart`)."""

    cart_expiry_days: int = 7
    custom_discounts_enabled: bool = False
    use_rule_promotions: bool = False


class CartStore:
    """Carts by id; an expired cart is gone as if it was never created."""

    def __init__(self) -> None:
        self._carts: dict[str, Cart] = {}

    def get(self, cart_id: str, now: datetime) -> Cart | None:
        """The live cart with this id, purging it first if it has expired."""
        cart = self._carts.get(cart_id)
        if cart is not None and now >= cart.expires_at:
            del self._carts[cart_id]
            return None
        return cart

    def all(self, now: datetime) -> list[Cart]:
        """Every live cart, the most recently updated first."""
        for cart_id in list(self._carts):
            self.get(cart_id, now)
        return sorted(self._carts.values(), key=lambda c: c.updated_at, reverse=True)

    def put(self, cart: Cart) -> None:
        """Store (or replace) a cart."""
        cart.stored = True
        self._carts[cart.id] = cart

    def delete(self, cart_id: str) -> None:
        """Forget a cart; deleting an unknown cart is not an error."""
        self._carts.pop(cart_id, None)


def new_cart(
    cart_id: str, *, settings: CartSettings, now: datetime, name: str = "Cart",
    description: str = "",
) -> Cart:
    """A fresh empty cart that takes its discount settings from the store's."""
    return Cart(
        id=cart_id,
        name=name,
        description=description,
        created_at=now,
        updated_at=now,
        expiry_days=settings.cart_expiry_days,
        custom_discounts_enabled=settings.custom_discounts_enabled,
        use_rule_promotions=settings.use_rule_promotions,
    )


def new_id() -> str:
    """A fresh resource id."""
    return str(uuid.uuid4())
