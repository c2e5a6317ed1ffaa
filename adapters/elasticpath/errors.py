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

from adapters.errors import (
    CartgateError,
    CartNotFound,
    CurrencyMismatch,
    InsufficientStock,
    InvalidDiscountCode,
    InvalidInput,
    LineNotFound,
    MerchandiseNotFound,
    VersionConflict,
)
from adapters.vendor_text import logged

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
    """Our error for an Elastic Path 4xx; ``about`` is cart, item, line or promotion."""
    entries = error_entries(body)
    detail = describe(entries)
    # The vendor's words decide the class and go to the log, scrubbed; the message is ours.
    logged(VENDOR, status, detail)
    titles = " ".join(str(e.get("title") or "") for e in entries).lower()
    text = f"{titles} {detail.lower()}"
    if status == 409:
        return VersionConflict(f"{VENDOR} saw a conflicting write to the cart")
    if "currency mismatch" in titles:
        return CurrencyMismatch("the cart uses another currency", field=field)
    if about == "promotion" and status in (400, 404, 422):
        return InvalidDiscountCode("the discount code was not accepted", field=field)
    if "stock" in text:
        return InsufficientStock("not enough stock", field=field)
    if "price not found" in titles:
        return CurrencyMismatch("the item has no price in the cart's currency", field=field)
    if "product not found" in titles:
        return MerchandiseNotFound(f"{VENDOR} does not sell that item", field=field)
    if status == 404 and about == "line":
        return LineNotFound("no such line in the cart", field=field)
    if status == 404:
        return CartNotFound("no such cart", field=field or ("cartId",))
    return InvalidInput(f"{VENDOR} refused the request ({status})", field=field)
