"""The errors every backend raises, whatever the vendor said.

Vendor status codes and transport failures are translated once, at the boundary
(``adapters/http.py`` and each vendor's error table); nothing above the adapters sees
an httpx exception or a vendor error body.

Hierarchy::

    CartgateError
    ├── CartUserError             the storefront can act on it; nothing was changed
    │   ├── InvalidInput          INVALID, LESS_THAN, INVALID_MERCHANDISE_LINE
    │   │   ├── UnsupportedCurrency   INVALID: the store does not sell in the currency
    │   │   └── NeedsOptions          INVALID_MERCHANDISE_LINE: choose a variant or options
    │   ├── CartNotFound          CART_NOT_FOUND
    │   ├── LineNotFound          LINE_NOT_FOUND
    │   ├── MerchandiseNotFound   MERCHANDISE_NOT_FOUND
    │   ├── VersionConflict       VERSION_CONFLICT (carries the cart as it is now)
    │   ├── InvalidDiscountCode   INVALID_DISCOUNT_CODE
    │   ├── InsufficientStock     INSUFFICIENT_STOCK
    │   ├── CurrencyMismatch      CURRENCY_MISMATCH
    │   ├── UnsupportedOperation  UNSUPPORTED_OPERATION
    │   ├── AccessDenied          ACCESS_DENIED: only a trusted server caller may do this
    │   └── CallerRateLimited     RATE_LIMITED: this caller spent its vendor calls; wait
    └── BackendError              the backend failed; retrying later may help
        ├── ServiceUnavailable    SERVICE_UNAVAILABLE: 5xx, timeouts, refused, garbage
        ├── RateLimited           RATE_LIMITED (carries the advised wait)
        └── BackendUnauthorized   BACKEND_UNAUTHORIZED: our credentials were refused
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adapters.model import Cart


class ErrorCode(StrEnum):
    """The contract's CartErrorCode values."""

    INVALID = "INVALID"
    LESS_THAN = "LESS_THAN"
    INVALID_MERCHANDISE_LINE = "INVALID_MERCHANDISE_LINE"
    MERCHANDISE_NOT_FOUND = "MERCHANDISE_NOT_FOUND"
    CART_NOT_FOUND = "CART_NOT_FOUND"
    LINE_NOT_FOUND = "LINE_NOT_FOUND"
    VERSION_CONFLICT = "VERSION_CONFLICT"
    INVALID_DISCOUNT_CODE = "INVALID_DISCOUNT_CODE"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    UNSUPPORTED_OPERATION = "UNSUPPORTED_OPERATION"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    RATE_LIMITED = "RATE_LIMITED"
    BACKEND_UNAUTHORIZED = "BACKEND_UNAUTHORIZED"
    ACCESS_DENIED = "ACCESS_DENIED"


class CartgateError(Exception):
    """Base of every error the adapters raise.

    ``current`` is the cart as it is after the failure, when the caller should see it:
    always for VersionConflict, and for a change of several calls that failed part-way.
    """

    code: ErrorCode = ErrorCode.INVALID

    def __init__(self, message: str, *, field: Sequence[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field: tuple[str, ...] | None = tuple(field) if field is not None else None
        self.current: Cart | None = None
        # What the vendor said, for logs; never shown to the storefront.
        self.vendor_detail: str | None = None
        # The vendor's names for the inputs it refused (BigCommerce ``errors`` keys).
        self.vendor_keys: tuple[str, ...] = ()


class CartUserError(CartgateError):
    """Something the storefront or shopper can correct; nothing was changed."""


class InvalidInput(CartUserError):
    """Input refused before or by the backend: INVALID, LESS_THAN or INVALID_MERCHANDISE_LINE."""

    def __init__(
        self,
        message: str,
        *,
        field: Sequence[str] | None = None,
        code: ErrorCode = ErrorCode.INVALID,
    ) -> None:
        super().__init__(message, field=field)
        self.code = code


class UnsupportedCurrency(InvalidInput):
    """A currency the store does not sell in (INVALID, naming ``currencyCode``)."""


class NeedsOptions(InvalidInput):
    """A product that exists but needs a variant or option values (INVALID_MERCHANDISE_LINE)."""

    def __init__(self, message: str, *, field: Sequence[str] | None = None) -> None:
        super().__init__(message, field=field, code=ErrorCode.INVALID_MERCHANDISE_LINE)


class CartNotFound(CartUserError):
    """The cart does not exist (or has expired)."""

    code = ErrorCode.CART_NOT_FOUND


class LineNotFound(CartUserError):
    """A line id that the cart does not hold."""

    code = ErrorCode.LINE_NOT_FOUND


class MerchandiseNotFound(CartUserError):
    """A product, variant or SKU the backend's catalog does not know."""

    code = ErrorCode.MERCHANDISE_NOT_FOUND


class VersionConflict(CartUserError):
    """The cart changed since the version the client expected."""

    code = ErrorCode.VERSION_CONFLICT

    def __init__(
        self,
        message: str,
        *,
        current: Cart | None = None,
        field: Sequence[str] | None = ("expectedVersion",),
    ) -> None:
        super().__init__(message, field=field)
        self.current = current


class InvalidDiscountCode(CartUserError):
    """A discount code the backend does not accept."""

    code = ErrorCode.INVALID_DISCOUNT_CODE


class InsufficientStock(CartUserError):
    """Not enough stock for the requested quantity."""

    code = ErrorCode.INSUFFICIENT_STOCK


class CurrencyMismatch(CartUserError):
    """The item or request is in another currency than the cart."""

    code = ErrorCode.CURRENCY_MISMATCH


class UnsupportedOperation(CartUserError):
    """The backend cannot store or do this; the field names what."""

    code = ErrorCode.UNSUPPORTED_OPERATION


class AccessDenied(CartUserError):
    """The caller may not do this (a trusted-only input, a refused customer token)."""

    code = ErrorCode.ACCESS_DENIED


class CallerRateLimited(CartUserError):
    """The caller has spent the vendor calls its limit allows for now; nothing ran."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BackendError(CartgateError):
    """The backend failed to answer usefully."""

    code = ErrorCode.SERVICE_UNAVAILABLE


class ServiceUnavailable(BackendError):
    """Outage, timeout, refused connection, or an answer that is not what the API promises."""

    code = ErrorCode.SERVICE_UNAVAILABLE


class RateLimited(BackendError):
    """The backend asked us to slow down."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BackendUnauthorized(BackendError):
    """The backend refused the gateway's credentials."""

    code = ErrorCode.BACKEND_UNAUTHORIZED
