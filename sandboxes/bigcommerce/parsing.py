"""Request bodies read into plain commands; shape and type errors become 400/422."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import fields
from .errors import unprocessable
from .state import Contact, GiftWrap

GIFT_CERTIFICATE_THEMES = frozenset(
    {"Birthday", "Boy", "Celebration", "Christmas", "General", "Girl"}
)


@dataclass(frozen=True, slots=True)
class OptionSelectionRequest:
    """An option_selections entry: an option and the id of its chosen value."""

    option_id: int
    value_id: int
    name: str | None
    value: str | None


@dataclass(frozen=True, slots=True)
class LineItemRequest:
    """A catalog product to add or update."""

    product_id: int
    quantity: int
    variant_id: int | None
    list_price: Decimal | None
    name: str | None
    option_selections: tuple[OptionSelectionRequest, ...]
    gift_wrapping: GiftWrap | None = None


@dataclass(frozen=True, slots=True)
class CustomItemRequest:
    """A custom item to add."""

    sku: str
    name: str
    quantity: int
    list_price: Decimal
    image_url: str | None


@dataclass(frozen=True, slots=True)
class GiftCertificateRequest:
    """A gift certificate to add."""

    name: str
    theme: str
    amount: Decimal
    quantity: int
    sender: Contact
    recipient: Contact
    message: str


@dataclass(frozen=True, slots=True)
class ItemsRequest:
    """Lines to add, as POST /carts and POST /carts/{id}/items carry them."""

    line_items: tuple[LineItemRequest, ...]
    custom_items: tuple[CustomItemRequest, ...]
    gift_certificates: tuple[GiftCertificateRequest, ...]
    version: int | None

    @property
    def is_empty(self) -> bool:
        """Whether the request adds nothing at all."""
        return not (self.line_items or self.custom_items or self.gift_certificates)


@dataclass(frozen=True, slots=True)
class CartCreateRequest:
    """The body of POST /carts."""

    items: ItemsRequest
    customer_id: int
    channel_id: int
    currency: str
    locale: str


def _option_selection(raw: Any, field: str) -> OptionSelectionRequest:
    entry = fields.obj(raw, field)
    value = fields.required(entry, "option_value", field)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return OptionSelectionRequest(
        option_id=fields.req_int(entry, "option_id", field),
        value_id=fields.integer(value, f"{field}.option_value"),
        name=fields.opt_text(entry, "name", field),
        value=fields.opt_text(entry, "value", field),
    )


def _gift_wrapping(item: dict[str, Any], field: str) -> GiftWrap | None:
    """cart_PostVariant's ``gift_wrapping``: ``wrap_together`` and ``wrap_details``."""
    raw = item.get("gift_wrapping")
    if raw is None:
        return None
    field = f"{field}.gift_wrapping"
    wrapping = fields.obj(raw, field)
    together = wrapping.get("wrap_together", False)
    if not isinstance(together, bool):
        raise unprocessable(f"{field}.wrap_together", "wrap_together must be a boolean")
    details = []
    for i, detail in enumerate(fields.array(wrapping, "wrap_details")):
        at = f"{field}.wrap_details.{i}"
        detail = fields.obj(detail, at)
        details.append((fields.req_int(detail, "id", at, minimum=0),
                        fields.opt_text(detail, "message", at)))
    return GiftWrap(wrap_together=together, details=tuple(details))


def parse_line_item(raw: Any, field: str) -> LineItemRequest:
    """One line_items entry (cart_PostVariant or cart_PostModifier)."""
    item = fields.obj(raw, field)
    selections = fields.array(item, "option_selections")
    return LineItemRequest(
        product_id=fields.req_int(item, "product_id", field),
        quantity=fields.req_int(item, "quantity", field, minimum=1),
        variant_id=fields.opt_int(item, "variant_id", field),
        list_price=fields.opt_amount(item, "list_price", field),
        name=fields.opt_text(item, "name", field),
        option_selections=tuple(
            _option_selection(s, f"{field}.option_selections.{i}") for i, s in enumerate(selections)
        ),
        gift_wrapping=_gift_wrapping(item, field),
    )


def _custom_item(raw: Any, field: str) -> CustomItemRequest:
    item = fields.obj(raw, field)
    name = fields.req_text(item, "name", field)
    if not 1 <= len(name) <= 250:
        raise unprocessable(f"{field}.name", f"{field}.name must be 1 to 250 characters")
    return CustomItemRequest(
        sku=fields.opt_text(item, "sku", field) or "",
        name=name,
        quantity=fields.req_int(item, "quantity", field, minimum=1),
        list_price=fields.req_amount(item, "list_price", field),
        image_url=fields.opt_text(item, "image_url", field),
    )


def _contact(raw: Any, field: str) -> Contact:
    entry = fields.obj(raw, field)
    return Contact(
        name=fields.req_text(entry, "name", field), email=fields.req_text(entry, "email", field)
    )


def _gift_certificate(raw: Any, field: str) -> GiftCertificateRequest:
    item = fields.obj(raw, field)
    theme = fields.req_text(item, "theme", field)
    if theme not in GIFT_CERTIFICATE_THEMES:
        themes = ", ".join(sorted(GIFT_CERTIFICATE_THEMES))
        raise unprocessable(f"{field}.theme", f"{field}.theme must be one of {themes}")
    amount = fields.req_amount(item, "amount", field)
    if not 1 <= amount <= 1000:
        raise unprocessable(f"{field}.amount", f"{field}.amount must be between 1 and 1000")
    message = fields.opt_text(item, "message", field) or ""
    if len(message) > 200:
        raise unprocessable(f"{field}.message", f"{field}.message must be at most 200 characters")
    return GiftCertificateRequest(
        name=fields.req_text(item, "name", field),
        theme=theme,
        amount=amount,
        quantity=fields.req_int(item, "quantity", field, minimum=1),
        sender=_contact(fields.required(item, "sender", field), f"{field}.sender"),
        recipient=_contact(fields.required(item, "recipient", field), f"{field}.recipient"),
        message=message,
    )


def parse_items(body: dict[str, Any]) -> ItemsRequest:
    """The line_items, custom_items and gift_certificates of a body, plus its version."""
    lines = fields.array(body, "line_items")
    customs = fields.array(body, "custom_items")
    gifts = fields.array(body, "gift_certificates")
    return ItemsRequest(
        line_items=tuple(parse_line_item(r, f"line_items.{i}") for i, r in enumerate(lines)),
        custom_items=tuple(_custom_item(r, f"custom_items.{i}") for i, r in enumerate(customs)),
        gift_certificates=tuple(
            _gift_certificate(r, f"gift_certificates.{i}") for i, r in enumerate(gifts)
        ),
        version=fields.parse_version(body),
    )


def parse_cart_create(body: dict[str, Any]) -> CartCreateRequest:
    """The body of POST /carts (CartCreatePostData); it carries no version."""
    code = "USD"
    if body.get("currency") is not None:
        currency = fields.obj(body["currency"], "currency")
        code = (fields.opt_text(currency, "code", "currency") or "USD").upper()
    items = parse_items({k: v for k, v in body.items() if k != "version"})
    if items.is_empty:
        message = "A cart needs at least one line item, custom item or gift certificate"
        raise unprocessable("line_items", message)
    return CartCreateRequest(
        items=items,
        customer_id=fields.opt_int(body, "customer_id", "", minimum=0) or 0,
        channel_id=fields.opt_int(body, "channel_id", "", minimum=1) or 1,
        currency=code,
        locale=fields.opt_text(body, "locale", "") or "en",
    )


def parse_customer_update(body: dict[str, Any]) -> tuple[int, int | None]:
    """The body of PUT /carts/{id} (CartUpdatePutRequestData): customer_id and version."""
    customer_id = fields.req_int(body, "customer_id", "", minimum=0)
    return customer_id, fields.parse_version(body)


def parse_line_item_update(body: dict[str, Any]) -> tuple[LineItemRequest, int | None]:
    """The body of PUT /carts/{id}/items/{itemId} (Cart_Line_Item_Update_Put)."""
    line_item = parse_line_item(fields.required(body, "line_item", ""), "line_item")
    return line_item, fields.parse_version(body)


def parse_coupon_code(body: dict[str, Any]) -> tuple[str, int | None]:
    """The body of POST /checkouts/{id}/coupons (CouponCodeRequest)."""
    code = fields.req_text(body, "coupon_code", "")
    if not 1 <= len(code) <= 50:
        raise unprocessable("coupon_code", "coupon_code must be 1 to 50 characters")
    return code, fields.parse_version(body)
