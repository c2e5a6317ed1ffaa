"""Request bodies for BigCommerce's Carts v3 and the checks made before sending them.

Pure functions: what the adapter sends, and the errors for what BigCommerce cannot store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from adapters import user_messages as messages
from adapters.errors import InvalidInput, MerchandiseNotFound, UnsupportedOperation
from adapters.model import Cart, CartAttributes, CustomLineToAdd, GiftWrapping, LineToAdd


def line_bodies(
    lines: Sequence[LineToAdd],
    custom_lines: Sequence[CustomLineToAdd],
    prefix: tuple[str, ...],
    by_sku: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """``line_items`` and ``custom_items`` for the lines, SKUs already resolved to variants."""
    items = []
    for index, line in enumerate(lines):
        item: dict[str, Any] = {"quantity": line.quantity}
        if line.product_id is not None:
            item["product_id"] = number(line.product_id, (*prefix, "lines", str(index)))
            if line.variant_id is not None:
                item["variant_id"] = number(line.variant_id, (*prefix, "lines", str(index)))
        else:
            variant = by_sku.get(line.sku or "")
            if variant is None:
                raise MerchandiseNotFound(
                    messages.not_in_catalog("sku", line.sku),
                    field=(*prefix, "lines", str(index), "sku"),
                )
            item["product_id"] = variant["product_id"]
            item["variant_id"] = variant["id"]
        if line.list_price is not None:
            item["list_price"] = line.list_price
        if line.gift_wrapping is not None:
            item["gift_wrapping"] = wrapping_body(line.gift_wrapping)
        if line.options:
            item["option_selections"] = [
                {"option_id": number(o.option_id), "option_value": o.value}
                for o in line.options
            ]
        items.append(item)
    body: dict[str, Any] = {}
    if items:
        body["line_items"] = items
    if custom_lines:
        body["custom_items"] = [
            {
                "sku": c.sku or custom_sku(c.name),
                "name": c.name,
                "quantity": c.quantity,
                "list_price": c.list_price,
            }
            for c in custom_lines
        ]
    return body


def refuse_attributes(attributes: CartAttributes | None, *, prefix: tuple[str, ...]) -> None:
    if attributes is None:
        return
    for field, value in (("name", attributes.name), ("description", attributes.description)):
        if value is not None:
            raise UnsupportedOperation(
                f"BigCommerce carts have no {field}", field=(*prefix, field)
            )
    for field in (attributes.settings.fields() if attributes.settings else {}):
        raise UnsupportedOperation(
            f"BigCommerce carts have no setting {field}", field=(*prefix, field)
        )


def email_unsupported(field: tuple[str, ...]) -> UnsupportedOperation:
    return UnsupportedOperation(
        "BigCommerce takes a cart's email from the checkout billing address, not the cart",
        field=field,
    )


def number(text: str | None, field: tuple[str, ...] = ()) -> int:
    try:
        return int(str(text))
    except ValueError:
        raise InvalidInput(f"BigCommerce ids are numbers, not {text!r}", field=field) from None


def customer_number(text: str, field: tuple[str, ...]) -> int:
    if text == "":
        return 0
    return number(text, field)


def native_version(cart: Cart) -> int | None:
    return version_number(cart.version)


def version_number(text: str) -> int | None:
    """A BigCommerce version as the integer it is; None for any other text (``"²"`` is a
    digit to ``str.isdigit`` but no number to ``int``).
    """
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def wrapping_body(wrapping: GiftWrapping) -> dict[str, Any]:
    """cart_PostVariant's ``gift_wrapping``: a wrap detail per message (one, message-less,
    when there is none).
    """
    messages: list[str | None] = list(wrapping.messages) or [None]
    return {
        "wrap_together": wrapping.wrap_together,
        "wrap_details": [{"id": wrapping.option_id} | ({"message": m} if m else {})
                         for m in messages],
    }


def put_version(body: dict[str, Any], version: int | None) -> dict[str, Any]:
    if version is not None:
        body["version"] = version
    return body


def next_version(data: Any) -> int | None:
    """The version an answer carries; without one, the next write goes unchecked."""
    version = data.get("version") if isinstance(data, Mapping) else None
    if isinstance(version, int | Decimal) and not isinstance(version, bool):
        return int(version)
    return None


def custom_sku(name: str) -> str:
    return "CUSTOM-" + "".join(ch if ch.isalnum() else "-" for ch in name.upper())[:40]
