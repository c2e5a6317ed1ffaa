"""BigCommerce error answers -> our errors: the status table.

The body is ``{status, title, type}`` with ``errors`` (field -> message) on a 422 and
``detail`` on malformed input. 401, 403, 429 and 5xx are shared by every vendor
(``adapters.http``), a conflict answered to a read too (``adapters.transport``); this
table maps the rest by what was addressed (``about``) and the words of the title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adapters import user_messages as messages
from adapters.errors import (
    CartgateError,
    CartNotFound,
    InsufficientStock,
    InvalidDiscountCode,
    InvalidInput,
    LineNotFound,
    MerchandiseNotFound,
    NeedsOptions,
    UnsupportedCurrency,
    VersionConflict,
)
from adapters.vendor_text import logged, scrubbed

VENDOR = "BigCommerce"


def _detail(body: Any) -> str:
    if isinstance(body, Mapping):
        title = body.get("title")
        errors = body.get("errors")
        parts = [str(title)] if title else []
        if isinstance(errors, Mapping):
            parts.extend(str(value) for value in errors.values())
        return "; ".join(dict.fromkeys(parts)) or "no detail"
    return "no detail"


def refused_line(error: CartgateError) -> tuple[int, str] | None:
    """(index in ``line_items``, the rest of the key) of the line a 422 names, if any."""
    for key in error.vendor_keys:
        match = _LINE_KEY.match(key)
        if match:
            return int(match.group(1)), match.group(2) or ""
    return None


_LINE_KEY = re.compile(r"line_items\.(\d+)(?:\.(.*))?$")


def error_for(status: int, body: Any, *, about: str) -> CartgateError:
    """Our error for a BigCommerce 4xx answer; ``about`` says what was addressed.

    Messages are the gateway's own (``adapters.user_messages``); BigCommerce's words are
    kept in ``vendor_detail`` and the keys of its ``errors`` object in ``vendor_keys``,
    so the adapter can name the refused input.
    """
    error = _typed_error(status, body, about=about)
    # Kept and logged scrubbed: cut short, every credential redacted (adapters.vendor_text).
    error.vendor_detail = scrubbed(_detail(body))
    logged(VENDOR, status, error.vendor_detail)
    errors = body.get("errors") if isinstance(body, Mapping) else None
    error.vendor_keys = tuple(str(k) for k in errors) if isinstance(errors, Mapping) else ()
    return error


def _typed_error(status: int, body: Any, *, about: str) -> CartgateError:
    lowered = _detail(body).lower()
    if status == 409:
        return VersionConflict(messages.VERSION_CONFLICT)
    if status == 404:
        if about == "line":
            return LineNotFound(messages.LINE_NOT_FOUND)
        return CartNotFound(messages.CART_NOT_FOUND)
    if about == "coupon" and status in (400, 404, 422):
        return InvalidDiscountCode(messages.CODE_REFUSED)
    if "stock" in lowered:
        return InsufficientStock(messages.NOT_ENOUGH_STOCK)
    if status == 400 and "currency" in lowered:
        return UnsupportedCurrency(messages.unsupported_currency(None))
    if status == 422 and "option" in lowered:
        return NeedsOptions(messages.needs_options(()))
    if status == 422 and ("product" in lowered or "variant" in lowered or "sku" in lowered):
        return MerchandiseNotFound(messages.NOT_IN_CATALOG)
    return InvalidInput(messages.REFUSED)
