"""Elastic Path error answers -> our errors: the envelope readers and the status table.

The envelope is ``{"errors": [{"status", "title", "detail", "meta"}]}`` with ``status``
a string (token endpoint) or an integer (``/v2``); one vendor page shows ``errors`` as a
single object, and some answers are a bare ``{status, title, detail}``. All three are read.
401, 403, 429 and 5xx are shared by every vendor (``adapters.http``); this table maps
the rest by what was addressed (``about``) and the error's title.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from adapters import user_messages as messages
from adapters.errors import (
    CartgateError,
    CartNotFound,
    CurrencyMismatch,
    InsufficientStock,
    InvalidDiscountCode,
    InvalidInput,
    LineNotFound,
    MerchandiseNotFound,
    NeedsOptions,
    ServiceUnavailable,
    UnsupportedCurrency,
    VersionConflict,
)
from adapters.vendor_text import logged, scrubbed

VENDOR = "Elastic Path"


def error_entries(body: Any) -> list[Mapping[str, Any]]:
    """The error objects of an answer, whichever of the three shapes it has."""
    if not isinstance(body, Mapping):
        return []
    errors = body.get("errors")
    if isinstance(errors, Mapping):
        return [errors]
    if isinstance(errors, list):
        return [e for e in errors if isinstance(e, Mapping)]
    if "title" in body or "status" in body:
        return [body]
    return []


def entry_status(entry: Mapping[str, Any], default: int) -> int:
    """An entry's ``status`` as an int, written as a string or a number."""
    status = entry.get("status")
    if isinstance(status, int) and not isinstance(status, bool):
        return status
    if isinstance(status, str) and status.strip().isdigit():
        return int(status)
    return default


def describe(entries: Sequence[Mapping[str, Any]]) -> str:
    """Titles and details for a message; never the request or any credential."""
    parts = []
    for entry in entries:
        title = str(entry.get("title") or "").strip()
        detail = str(entry.get("detail") or "").strip()
        parts.append(": ".join(p for p in (title, detail) if p))
    return "; ".join(p for p in parts if p) or "no detail"


def error_for(
    status: int, body: Any, *, about: str, field: Sequence[str] | None = None
) -> CartgateError:
    """Our error for an Elastic Path 4xx; ``about`` is cart, item, line or promotion.

    Messages are the gateway's own (``adapters.user_messages``); Elastic Path's words are
    kept in ``vendor_detail`` for logs.
    """
    entries = error_entries(body)
    error = _typed_error(status, entries, about=about, field=field)
    # Kept and logged scrubbed: cut short, every credential redacted (adapters.vendor_text).
    error.vendor_detail = scrubbed(describe(entries))
    logged(VENDOR, status, error.vendor_detail)
    return error


# Above the complexity bound: one branch per row of the vendor's error table, in the order they are
# matched.
def _typed_error(  # noqa: C901
    status: int, entries: Sequence[Mapping[str, Any]], *, about: str,
    field: Sequence[str] | None,
) -> CartgateError:
    detail = describe(entries)
    titles = " ".join(str(e.get("title") or "") for e in entries).lower()
    text = f"{titles} {detail.lower()}"
    if about == "catalog":
        # The shopper catalog refusing a look-up says nothing about the shopper's cart.
        return ServiceUnavailable(f"{VENDOR}'s catalog refused a product look-up ({status})")
    if status == 409:
        return VersionConflict(messages.VERSION_CONFLICT)
    if "currency mismatch" in titles:
        return CurrencyMismatch(messages.NO_PRICE_IN_CURRENCY, field=field)
    if "invalid currency" in titles:
        return UnsupportedCurrency(messages.unsupported_currency(None), field=field)
    if about == "promotion" and status in (400, 404, 422):
        return InvalidDiscountCode(messages.CODE_REFUSED, field=field)
    if "stock" in text:
        return InsufficientStock(messages.NOT_ENOUGH_STOCK, field=field)
    if "price not found" in titles:
        return CurrencyMismatch(messages.NO_PRICE_IN_CURRENCY, field=field)
    if "parent product" in titles:
        return NeedsOptions(messages.needs_options(()), field=field)
    if "product not found" in titles:
        return MerchandiseNotFound(messages.NOT_IN_CATALOG, field=field)
    if status == 404 and about == "line":
        return LineNotFound(messages.LINE_NOT_FOUND, field=field)
    if status == 404:
        return CartNotFound(messages.CART_NOT_FOUND, field=field or ("cartId",))
    return InvalidInput(messages.REFUSED, field=field)
