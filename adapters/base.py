"""CartBackend: the async contract every vendor adapter fulfils.

Every mutation returns the whole normalized cart as it is after the change (or None
when the change deleted the cart), so the gateway never has to re-read it.
``expected_version``, when given, must equal the cart's current version or the
method raises VersionConflict carrying the current cart and changes nothing.
Errors are the classes of ``adapters.errors``; nothing else escapes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from adapters.capabilities import Capability
from adapters.delivery import Address, TaxItem
from adapters.errors import CartNotFound, UnsupportedOperation, VersionConflict
from adapters.model import (
    Backend,
    BuyerIdentity,
    Cart,
    CartAttributes,
    CustomLineToAdd,
    GiftCertificateToAdd,
    LineToAdd,
    LineUpdate,
    ManualDiscount,
    NewCart,
)


class CartBackend(ABC):
    """One vendor's carts, in the single model."""

    backend: Backend
    sandbox: bool = False
    # What this backend does that another may not (README: "Where the vendors differ").
    capabilities: frozenset[Capability] = frozenset()

    @abstractmethod
    async def get_cart(self, cart_id: str) -> Cart | None:
        """The cart, or None when it does not exist."""

    @abstractmethod
    async def create_cart(self, new: NewCart) -> Cart:
        """Create a cart with its first lines, buyer and attributes."""

    @abstractmethod
    async def add_lines(
        self,
        cart_id: str,
        lines: Sequence[LineToAdd],
        custom_lines: Sequence[CustomLineToAdd],
        *,
        expected_version: str | None = None,
        gift_certificates: Sequence[GiftCertificateToAdd] = (),
    ) -> Cart:
        """Add catalog lines, custom lines and gift certificates."""

    @abstractmethod
    async def update_lines(
        self, cart_id: str, updates: Sequence[LineUpdate], *, expected_version: str | None = None
    ) -> Cart | None:
        """Change quantities or prices; quantity 0 removes a line. None: the cart was deleted."""

    @abstractmethod
    async def remove_lines(
        self, cart_id: str, line_ids: Sequence[str], *, expected_version: str | None = None
    ) -> Cart | None:
        """Remove lines. None: the backend deleted the now empty cart."""

    @abstractmethod
    async def update_buyer_identity(
        self, cart_id: str, buyer: BuyerIdentity, *, expected_version: str | None = None
    ) -> Cart:
        """Set the customer and contact email."""

    @abstractmethod
    async def update_attributes(
        self, cart_id: str, attributes: CartAttributes, *, expected_version: str | None = None
    ) -> Cart:
        """Set the cart's name and description."""

    @abstractmethod
    async def update_discount_codes(
        self, cart_id: str, codes: Sequence[str], *, expected_version: str | None = None
    ) -> Cart:
        """Replace the cart's discount codes with exactly these."""

    async def update_manual_discounts(
        self, cart_id: str, discounts: Sequence[ManualDiscount], *,
        expected_version: str | None = None,
    ) -> Cart:
        """Replace the cart's manual discounts with exactly these (MANUAL allocations)."""
        raise UnsupportedOperation(f"{self.backend.value} carts take no manual discounts here",
                                   field=("discounts",))

    # Delivery and tax: a vendor that cannot do one says so (UNSUPPORTED_OPERATION).

    async def update_delivery_address(
        self, cart_id: str, address: Address | None, *, expected_version: str | None = None
    ) -> Cart:
        """Deliver the cart to this address (None: to none); options are quoted afresh."""
        raise UnsupportedOperation(f"{self.backend.value} carts have no delivery address",
                                   field=("address",))

    async def select_delivery_option(
        self, cart_id: str, group_id: str, handle: str, *, expected_version: str | None = None
    ) -> Cart:
        """Choose one of the options quoted for the delivery group."""
        raise UnsupportedOperation(f"{self.backend.value} carts have no delivery options",
                                   field=("selectedDeliveryOptions",))

    async def update_billing_address(
        self, cart_id: str, address: Address, *, expected_version: str | None = None
    ) -> Cart:
        """Set the address the shopper is billed at."""
        raise UnsupportedOperation(f"{self.backend.value} keeps no billing address on a cart",
                                   field=("billingAddress",))

    async def set_tax_items(
        self, cart_id: str, items: Sequence[TaxItem], *, expected_version: str | None = None
    ) -> Cart:
        """Replace every line's tax items with these (taxes a store computed itself)."""
        raise UnsupportedOperation(f"{self.backend.value} calculates tax itself",
                                   field=("taxItems",))

    @abstractmethod
    async def delete_cart(self, cart_id: str) -> None:
        """Delete the cart; CartNotFound when there is none."""

    async def delete_cart_if_at(self, cart_id: str, version: str) -> Cart | None:
        """Delete the cart only while it is still at ``version``: None when it was
        deleted (or is gone), else the cart as it is now, kept.

        This default compares a fresh read, then deletes: a vendor with no versioned
        delete leaves the short window between the two. A backend that serialises its
        writes overrides it to hold the cart's lock across both.
        """
        cart = await self.get_cart(cart_id)
        if cart is None:
            return None
        if cart.version != version:
            return cart
        try:
            await self.delete_cart(cart_id)
        except CartNotFound:
            pass
        return None

    @abstractmethod
    async def ping(self) -> None:
        """Raise a BackendError when the backend cannot be reached with our credentials."""

    async def checked_cart(self, cart_id: str, expected_version: str | None) -> Cart:
        """The cart, or CartNotFound; VersionConflict (carrying it) when it is not at
        ``expected_version``.
        """
        cart = await self.get_cart(cart_id)
        if cart is None:
            raise CartNotFound("no such cart", field=("cartId",))
        return at_version(cart, expected_version)

    @abstractmethod
    async def aclose(self) -> None:
        """Release connections."""


def at_version(cart: Cart, expected_version: str | None) -> Cart:
    """The cart; VersionConflict (carrying it) when it is not at ``expected_version``."""
    if expected_version is not None and expected_version != cart.version:
        raise VersionConflict(
            f"the cart is at version {cart.version}, not {expected_version}", current=cart
        )
    return cart
