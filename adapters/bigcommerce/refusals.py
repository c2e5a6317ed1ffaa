"""A BigCommerce refusal of line items, told as the gateway tells it on every vendor.

BigCommerce names a refused line by its ``errors`` key (``line_items.0.product_id``);
the same mistake on Elastic Path gives the same code, field and message. A product that
needs options is named with the options it needs, read from the catalog's variants only
on this failure path.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters import user_messages as messages
from adapters.bigcommerce.client import BigCommerceClient
from adapters.bigcommerce.errors import refused_line
from adapters.errors import (
    CartgateError,
    CurrencyMismatch,
    InsufficientStock,
    MerchandiseNotFound,
    NeedsOptions,
    UnsupportedCurrency,
)
from adapters.model import LineToAdd


def named_by(line: LineToAdd) -> tuple[str, str | None]:
    """The input field that named the line's product, and its value."""
    if line.variant_id is not None:
        return "variantId", line.variant_id
    if line.product_id is not None:
        return "productId", line.product_id
    return "sku", line.sku


async def tell_refusal(
    error: CartgateError,
    lines: Sequence[LineToAdd],
    prefix: tuple[str, ...],
    client: BigCommerceClient,
    *,
    currency: str | None = None,
) -> CartgateError:
    """The same error, naming the refused input in the gateway's words."""
    if isinstance(error, UnsupportedCurrency):
        error.message = messages.unsupported_currency(currency)
        error.field = (*prefix, "currencyCode")
        return error
    refused = refused_line(error)
    if refused is None or refused[0] >= len(lines):
        return error
    index = refused[0]
    line = lines[index]
    at = (*prefix, "lines", str(index))
    if isinstance(error, NeedsOptions):
        error.message = messages.needs_options(await _missing_options(client, line))
        error.field = (*at, "options")
    elif isinstance(error, MerchandiseNotFound):
        field, value = named_by(line)
        error.message = messages.not_in_catalog(field, value)
        error.field = (*at, field)
    elif isinstance(error, InsufficientStock):
        error.field = (*at, "quantity")
    elif isinstance(error, CurrencyMismatch):
        error.field = at
    return error


async def _missing_options(client: BigCommerceClient, line: LineToAdd) -> list[str]:
    if line.product_id is None or not (line.product_id.isascii() and line.product_id.isdigit()):
        return []
    try:
        variants = await client.variants_of_products([int(line.product_id)])
    except CartgateError:
        return []  # the refusal is told without the names rather than not at all
    chosen = {choice.option_id for choice in line.options}
    names: dict[str, None] = {}
    for variant in variants or []:
        for value in variant.get("option_values") or []:
            if str(value.get("option_id")) not in chosen:
                names[str(value.get("option_display_name") or value.get("option_id"))] = None
    return list(names)
