"""What a backend can do that another cannot: machine-readable, so a storefront branches
on data (``backends { capabilities }``), not on the backend's name.

Each is one row of README's "Where the vendors differ"; the parity suite
(``tests/parity/``) allows a difference between the vendors only with its reason, and
the capability, when there is one, that explains it.
"""

from __future__ import annotations

from enum import Enum


class Capability(Enum):
    """One thing a backend does; absent, the backend does not."""

    LINE_LEVEL_COUPON_ALLOCATION = "LINE_LEVEL_COUPON_ALLOCATION"
    """Codes are allocated to the lines they reduce and rounded per line; without it a
    code is taken once off the cart (``Cart.discountAllocations``)."""

    EMPTY_CART = "EMPTY_CART"
    """Removing a cart's last line keeps the empty cart; without it the cart is deleted
    (``cart: null`` and ``CART_DELETED``). Creating an empty cart works everywhere."""

    CART_NAME = "CART_NAME"
    """``attributes.name`` and ``attributes.description`` are stored."""

    BUYER_EMAIL = "BUYER_EMAIL"
    """``buyerIdentity.email`` is stored on the cart."""

    CATALOG_LIST_PRICE = "CATALOG_LIST_PRICE"
    """A trusted caller may override a catalog line's ``listPrice``."""

    CUSTOM_LINE_UPDATE = "CUSTOM_LINE_UPDATE"
    """A custom line's quantity can be changed in place."""

    OPTION_SELECTION = "OPTION_SELECTION"
    """A line may name a product and its option values instead of a variant."""

    CART_TAX = "CART_TAX"
    """The cart itself can carry calculated tax (``totalTaxAmount``); without it tax is
    calculated only at checkout."""

    CHECKOUT_URL = "CHECKOUT_URL"
    """The cart answers a hosted ``checkoutUrl``."""

    CART_SETTINGS = "CART_SETTINGS"
    """``snapshotAt``, ``deferInventoryChecks``, ``discountSettings`` and
    ``clearPaymentIntent`` are kept on the cart."""

    MANUAL_DISCOUNTS = "MANUAL_DISCOUNTS"
    """``cartManualDiscountsUpdate`` grants amounts off the cart or a line. Every backend
    does now, so none publishes it; kept so that clients naming it still parse."""

    MANUAL_DISCOUNT_TITLES = "MANUAL_DISCOUNT_TITLES"
    """Manual discounts keep their titles and stay where they were given (the cart or a
    line); without it they show as ``manual discount`` allocations on the lines, a
    cart-level amount spread over them by value (BigCommerce)."""

    GIFT_WRAPPING = "GIFT_WRAPPING"
    """A line can be gift wrapped (``CartLineInput.giftWrapping``, ``CartLine.giftWrapping``)."""

    GIFT_CERTIFICATES = "GIFT_CERTIFICATES"
    """Gift certificates can be bought as lines (``giftCertificates``)."""

    CHANNELS = "CHANNELS"
    """A cart is created on a sales channel (``channelId``)."""

    PROMOTION_BANNERS = "PROMOTION_BANNERS"
    """The vendor words eligible promotions as banners (``Cart.promotionBanners``)."""

    DELIVERY_QUOTES = "DELIVERY_QUOTES"
    """The vendor quotes the delivery options for an address itself; without it they are
    priced from the operator's rate table (``CARTGATE_ELASTICPATH_SHIPPING_RATES``)."""

    VENDOR_TAX = "VENDOR_TAX"
    """The vendor calculates tax once the cart has a delivery address; without it tax is
    what the store's own tax service sets (``cartTaxItemsSet``)."""

    TAX_ITEMS = "TAX_ITEMS"
    """A trusted caller may set the cart's tax items (``cartTaxItemsSet``)."""

    BILLING_ADDRESS = "BILLING_ADDRESS"
    """The cart keeps a billing address (``cartBillingAddressUpdate``)."""
