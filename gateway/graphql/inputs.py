"""Strawberry inputs, validated before any backend call and turned into domain commands."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import strawberry

from adapters import model
from adapters.errors import ErrorCode, InvalidInput
from adapters.money import CurrencyError, normalize_currency
from gateway.access.customer_tokens import CustomerTokens
from gateway.access.trusted_only import TRUSTED_ONLY
from gateway.graphql.delivery_inputs import CartAddressInput, address_command
from gateway.graphql.limits import input_limits as limits
from gateway.graphql.limits.input_limits import (
    MAX_CODE_LENGTH,
    MAX_DISCOUNT_CODES,
    MAX_LINES_PER_MUTATION,
    MAX_QUANTITY,
    Path,
)
from gateway.graphql.types import Backend

__all__ = ["MAX_CODE_LENGTH", "MAX_DISCOUNT_CODES", "MAX_LINES_PER_MUTATION", "MAX_QUANTITY",
           "InvalidInput"]


@strawberry.input
class SelectedOptionInput:
    option_id: str
    value: str


@strawberry.input(description="Wrap the line's items together or one by one, with a message "
                               "per wrap (BigCommerce's gift_wrapping)")
class GiftWrappingInput:
    wrap_together: bool
    messages: list[str] = strawberry.field(default_factory=list)
    option_id: int = strawberry.field(default=0,
                                      description="The store's gift wrapping option")


@strawberry.input
class CartLineInput:
    product_id: str | None = strawberry.field(default=None, description="The backend's product id")
    sku: str | None = strawberry.field(default=None, description="Resolved through the catalog")
    variant_id: str | None = None
    quantity: int = 1
    list_price: Decimal | None = strawberry.field(
        default=None, description="Price override, where the backend allows it",
        directives=TRUSTED_ONLY,
    )
    options: list[SelectedOptionInput] | None = None
    gift_wrapping: GiftWrappingInput | None = strawberry.field(
        default=None, description="Gift wrapping for this line (BigCommerce)")


@strawberry.input(directives=TRUSTED_ONLY,
                  description="An item outside the catalog at a price the caller sets")
class CustomLineInput:
    name: str
    list_price: Decimal
    sku: str | None = None
    quantity: int = 1


@strawberry.input
class GiftCertificateContactInput:
    name: str
    email: str


@strawberry.input(description="A gift certificate bought as a line (BigCommerce)")
class GiftCertificateInput:
    name: str
    amount: Decimal = strawberry.field(description="Its value, in the store's default currency")
    theme: str = strawberry.field(
        description="BigCommerce: Birthday, Boy, Celebration, Christmas, General or Girl")
    sender: GiftCertificateContactInput
    recipient: GiftCertificateContactInput
    message: str | None = None
    quantity: int = 1


@strawberry.input(description="An amount off the cart, or off one line, granted by hand")
class ManualDiscountInput:
    amount: Decimal = strawberry.field(description="Positive, in the cart's currency")
    title: str
    line_id: strawberry.ID | None = strawberry.field(
        default=None, description="The line it is taken off; the whole cart when null")


@strawberry.input
class CartLineUpdateInput:
    id: strawberry.ID
    quantity: int | None = None
    list_price: Decimal | None = strawberry.field(default=None, directives=TRUSTED_ONLY)


@strawberry.input
class CartBuyerIdentityInput:
    customer_id: str | None = strawberry.field(default=None, directives=TRUSTED_ONLY)
    email: str | None = None
    customer_access_token: str | None = strawberry.field(
        default=None, description="A signed-in customer's JWT from the storefront's own login; "
                                  "binds the customer it names (sub)",
    )


@strawberry.input(description="A key/value pair on the cart; a null value removes the key")
class AttributeInput:
    key: str
    value: str | None = None


@strawberry.input
class CartDiscountSettingsInput:
    custom_discounts_enabled: bool | None = None
    use_rule_promotions: bool | None = None


@strawberry.input
class CartAttributesInput:
    name: str | None = None
    description: str | None = None
    attributes: list[AttributeInput] | None = strawberry.field(
        default=None, description="Replaces every attribute the cart has; [] removes them all",
    )
    note: str | None = strawberry.field(default=None,
                                        description="An empty string removes the note")
    # Store policy, not a shopper's choice: future prices and promotions, stock checks.
    snapshot_at: datetime | None = strawberry.field(
        default=None, description="Elastic Path: price the cart as of this future moment (a "
                                  "preview cart, which cannot be checked out or turned back)",
        directives=TRUSTED_ONLY,
    )
    defer_inventory_checks: bool | None = strawberry.field(
        default=None, description="Elastic Path: add and change items without checking stock "
                                  "until checkout",
        directives=TRUSTED_ONLY,
    )
    discount_settings: CartDiscountSettingsInput | None = strawberry.field(
        default=None, description="Elastic Path: which discounts the cart takes",
        directives=TRUSTED_ONLY,
    )
    clear_payment_intent: bool | None = strawberry.field(
        default=None, description="Elastic Path: true unlinks the cart's payment intent",
        directives=TRUSTED_ONLY,
    )


@strawberry.input
class CartCreateInput:
    backend: Backend | None = None
    currency_code: str | None = None
    locale: str | None = None
    lines: list[CartLineInput] | None = None
    custom_lines: list[CustomLineInput] | None = None
    buyer_identity: CartBuyerIdentityInput | None = None
    attributes: CartAttributesInput | None = None
    discount_codes: list[str] | None = strawberry.field(
        default=None, description="Codes applied once the cart exists"
    )
    gift_certificates: list[GiftCertificateInput] | None = None
    # A channel can carry its own price lists: choosing it is choosing prices.
    channel_id: int | None = strawberry.field(
        default=None, description="BigCommerce: the channel (storefront) the cart belongs to; "
                                  "the store's default channel when not given",
        directives=TRUSTED_ONLY,
    )
    delivery_address: CartAddressInput | None = strawberry.field(
        default=None, description="Where the cart goes, set once it exists")
    delivery_option_handle: str | None = strawberry.field(
        default=None, description="The delivery option to select at deliveryAddress")


def _quantity(value: int, field: Path, *, minimum: int) -> int:
    if value < minimum:
        raise InvalidInput(f"quantity must be at least {minimum}", field=field,
                           code=ErrorCode.LESS_THAN)
    if value > MAX_QUANTITY:
        raise InvalidInput(f"quantity must be at most {MAX_QUANTITY}", field=field)
    return value


def _price(value: Decimal, field: Path) -> Decimal:
    if not value.is_finite():
        raise InvalidInput("price must be a finite number", field=field)
    if value < 0:
        raise InvalidInput("price must not be negative", field=field)
    if value > limits.MAX_PRICE:
        raise InvalidInput(f"price must be at most {limits.MAX_PRICE}", field=field)
    return value


def _id(value: str | None, field: Path) -> str | None:
    return limits.optional_text(value, field, maximum=limits.MAX_ID_LENGTH, what="an id")


def _sku(value: str | None, field: Path) -> str | None:
    return limits.optional_text(value, field, maximum=limits.MAX_SKU_LENGTH, what="a SKU")


def _options(options: list[SelectedOptionInput] | None,
             at: Path) -> tuple[model.OptionChoice, ...]:
    limits.count(options, (*at, "options"), maximum=limits.MAX_OPTIONS_PER_LINE,
                 what="options on a line")
    return tuple(
        model.OptionChoice(
            option_id=limits.text(o.option_id, (*at, "options", str(i), "optionId"),
                                  maximum=limits.MAX_ID_LENGTH, what="an option id"),
            value=limits.text(o.value, (*at, "options", str(i), "value"),
                              maximum=limits.MAX_OPTION_VALUE_LENGTH, what="an option value"),
        )
        for i, o in enumerate(options or [])
    )


def line_commands(lines: list[CartLineInput] | None, prefix: Path) -> tuple[model.LineToAdd, ...]:
    limits.line_count(lines, (*prefix, "lines"))
    commands = []
    for index, line in enumerate(lines or []):
        at = (*prefix, "lines", str(index))
        if not line.product_id and not line.sku:
            raise InvalidInput("a line needs a productId or a sku", field=at,
                               code=ErrorCode.INVALID_MERCHANDISE_LINE)
        commands.append(
            model.LineToAdd(
                quantity=_quantity(line.quantity, (*at, "quantity"), minimum=1),
                product_id=_id(line.product_id, (*at, "productId")) or None,
                sku=_sku(line.sku, (*at, "sku")) or None,
                variant_id=_id(line.variant_id, (*at, "variantId")) or None,
                list_price=_price(line.list_price, (*at, "listPrice"))
                if line.list_price is not None else None,
                options=_options(line.options, at),
                gift_wrapping=_gift_wrapping(line.gift_wrapping, (*at, "giftWrapping")),
            )
        )
    return tuple(commands)


def _gift_wrapping(wrapping: GiftWrappingInput | None, at: Path) -> model.GiftWrapping | None:
    if wrapping is None:
        return None
    limits.count(wrapping.messages, (*at, "messages"), maximum=limits.MAX_GIFT_WRAP_MESSAGES,
                 what="gift wrap messages")
    if wrapping.option_id < 0:
        raise InvalidInput("a wrapping option id is 0 or more", field=(*at, "optionId"))
    messages = tuple(limits.text(m, (*at, "messages", str(i)),
                                 maximum=limits.MAX_CART_TEXT_LENGTH, what="a message")
                     for i, m in enumerate(wrapping.messages))
    return model.GiftWrapping(wrap_together=wrapping.wrap_together,
                              option_id=wrapping.option_id, messages=messages)


def custom_line_commands(
    lines: list[CustomLineInput] | None, prefix: Path
) -> tuple[model.CustomLineToAdd, ...]:
    limits.line_count(lines, (*prefix, "customLines"))
    commands = []
    for index, line in enumerate(lines or []):
        at = (*prefix, "customLines", str(index))
        if not line.name.strip():
            raise InvalidInput("a custom line needs a name", field=(*at, "name"))
        commands.append(
            model.CustomLineToAdd(
                name=limits.text(line.name, (*at, "name"),
                                 maximum=limits.MAX_CUSTOM_NAME_LENGTH, what="a name"),
                quantity=_quantity(line.quantity, (*at, "quantity"), minimum=1),
                list_price=_price(line.list_price, (*at, "listPrice")),
                sku=_sku(line.sku, (*at, "sku")) or None,
            )
        )
    return tuple(commands)


def _contact(contact: GiftCertificateContactInput, at: Path) -> model.Contact:
    return model.Contact(
        name=limits.text(contact.name, (*at, "name"), maximum=limits.MAX_CUSTOM_NAME_LENGTH,
                         what="a name"),
        email=limits.text(contact.email, (*at, "email"), maximum=limits.MAX_EMAIL_LENGTH,
                          what="an email address"),
    )


def gift_certificate_commands(
    certificates: list[GiftCertificateInput] | None, prefix: Path
) -> tuple[model.GiftCertificateToAdd, ...]:
    limits.line_count(certificates, (*prefix, "giftCertificates"))
    commands = []
    for index, certificate in enumerate(certificates or []):
        at = (*prefix, "giftCertificates", str(index))
        amount = _price(certificate.amount, (*at, "amount"))
        if amount == 0:
            raise InvalidInput("a gift certificate is worth more than 0", field=(*at, "amount"))
        commands.append(model.GiftCertificateToAdd(
            name=limits.text(certificate.name, (*at, "name"),
                             maximum=limits.MAX_CUSTOM_NAME_LENGTH, what="a name"),
            amount=amount,
            quantity=_quantity(certificate.quantity, (*at, "quantity"), minimum=1),
            card=model.GiftCertificate(
                sender=_contact(certificate.sender, (*at, "sender")),
                recipient=_contact(certificate.recipient, (*at, "recipient")),
                theme=limits.text(certificate.theme, (*at, "theme"),
                                  maximum=limits.MAX_OPTION_VALUE_LENGTH, what="a theme"),
                message=limits.optional_text(certificate.message, (*at, "message"),
                                             maximum=limits.MAX_GIFT_MESSAGE_LENGTH,
                                             what="a gift message") or None,
            ),
        ))
    return tuple(commands)


def manual_discount_commands(
    discounts: list[ManualDiscountInput], native_line_ids: list[str | None]
) -> tuple[model.ManualDiscount, ...]:
    limits.count(discounts, ("discounts",), maximum=limits.MAX_MANUAL_DISCOUNTS,
                 what="manual discounts")
    commands = []
    for index, (discount, line_id) in enumerate(zip(discounts, native_line_ids, strict=True)):
        at = ("discounts", str(index))
        amount = _price(discount.amount, (*at, "amount"))
        if amount == 0:
            raise InvalidInput("a discount takes more than 0 off", field=(*at, "amount"))
        title = limits.text(discount.title, (*at, "title"),
                            maximum=limits.MAX_CART_TEXT_LENGTH, what="a title")
        if not title.strip():
            raise InvalidInput("a discount needs a title", field=(*at, "title"))
        commands.append(model.ManualDiscount(amount=amount, title=title, line_id=line_id))
    return tuple(commands)


def update_commands(
    lines: list[CartLineUpdateInput], native_ids: list[str]
) -> tuple[model.LineUpdate, ...]:
    limits.line_count(lines, ("lines",))
    commands = []
    for index, (line, native_id) in enumerate(zip(lines, native_ids, strict=True)):
        at = ("lines", str(index))
        commands.append(
            model.LineUpdate(
                line_id=native_id,
                quantity=_quantity(line.quantity, (*at, "quantity"), minimum=0)
                if line.quantity is not None else None,
                list_price=_price(line.list_price, (*at, "listPrice"))
                if line.list_price is not None else None,
            )
        )
    return tuple(commands)


def buyer_command(
    buyer: CartBuyerIdentityInput | None, customers: CustomerTokens,
    prefix: Path = ("buyerIdentity",),
) -> model.BuyerIdentity | None:
    if buyer is None:
        return None
    customer_id = _id(buyer.customer_id, (*prefix, "customerId"))
    if buyer.customer_access_token is not None:
        at = (*prefix, "customerAccessToken")
        if buyer.customer_id is not None:
            raise InvalidInput("give a customerId or a customerAccessToken, not both", field=at)
        customer_id = customers.customer_id(buyer.customer_access_token, at)
    return model.BuyerIdentity(
        customer_id=customer_id,
        email=limits.optional_text(buyer.email, (*prefix, "email"),
                                   maximum=limits.MAX_EMAIL_LENGTH, what="an email address"),
    )


def attributes_command(
    attributes: CartAttributesInput | None, prefix: Path = ("attributes",)
) -> model.CartAttributes | None:
    if attributes is None:
        return None
    return model.CartAttributes(
        name=limits.optional_text(attributes.name, (*prefix, "name"),
                                  maximum=limits.MAX_CART_TEXT_LENGTH, what="a cart name"),
        description=limits.optional_text(attributes.description, (*prefix, "description"),
                                         maximum=limits.MAX_CART_TEXT_LENGTH,
                                         what="a cart description"),
        attributes=_attribute_pairs(attributes.attributes, (*prefix, "attributes")),
        note=limits.optional_text(attributes.note, (*prefix, "note"),
                                  maximum=limits.MAX_NOTE_LENGTH, what="a note"),
        settings=_settings(attributes, prefix),
    )


def _settings(attributes: CartAttributesInput, prefix: Path) -> model.CartSettingsChange | None:
    discounts = attributes.discount_settings or CartDiscountSettingsInput()
    change = model.CartSettingsChange(
        snapshot_at=attributes.snapshot_at,
        defer_inventory_checks=attributes.defer_inventory_checks,
        custom_discounts_enabled=discounts.custom_discounts_enabled,
        use_rule_promotions=discounts.use_rule_promotions,
        clear_payment_intent=bool(attributes.clear_payment_intent),
    )
    if not change.fields():
        return None
    moment = change.snapshot_at
    if moment is not None and (moment.tzinfo is None or moment <= datetime.now(UTC)):
        raise InvalidInput("snapshotAt must be a future moment with its UTC offset",
                           field=(*prefix, "snapshotAt"))
    return change


def _attribute_pairs(
    pairs: list[AttributeInput] | None, at: Path
) -> tuple[model.Attribute, ...] | None:
    """The cart's new set of pairs: null values dropped, keys unique and not reserved."""
    if pairs is None:
        return None
    if len(pairs) > limits.MAX_ATTRIBUTES:
        raise InvalidInput(f"a cart has at most {limits.MAX_ATTRIBUTES} attributes", field=at)
    seen: set[str] = set()
    kept: list[model.Attribute] = []
    for index, pair in enumerate(pairs):
        key_at = (*at, str(index), "key")
        key = limits.text(pair.key, key_at, maximum=limits.MAX_ATTRIBUTE_KEY_LENGTH,
                          what="an attribute key")
        if not key.strip():
            raise InvalidInput("an attribute key must not be blank", field=key_at)
        if key.startswith(model.RESERVED_ATTRIBUTE_PREFIX):
            raise InvalidInput(f"keys starting with {model.RESERVED_ATTRIBUTE_PREFIX} are the "
                               "gateway's own", field=key_at)
        if key in seen:
            raise InvalidInput(f"the key {key!r} is given twice", field=key_at)
        seen.add(key)
        if pair.value is None:
            continue
        value = limits.text(pair.value, (*at, str(index), "value"),
                            maximum=limits.MAX_ATTRIBUTE_VALUE_LENGTH, what="an attribute value")
        if not value:
            raise InvalidInput("an attribute value must not be empty; null removes the key",
                               field=(*at, str(index), "value"))
        kept.append(model.Attribute(key=key, value=value))
    return tuple(kept)


def new_cart_command(data: CartCreateInput, customers: CustomerTokens) -> model.NewCart:
    currency = None
    if data.currency_code is not None:
        try:
            currency = normalize_currency(data.currency_code)
        except CurrencyError:
            raise InvalidInput("not an ISO 4217 currency code",
                               field=("input", "currencyCode")) from None
    return model.NewCart(
        currency=currency,
        locale=limits.optional_text(data.locale, ("input", "locale"),
                                    maximum=limits.MAX_LOCALE_LENGTH, what="a locale") or None,
        lines=line_commands(data.lines, ("input",)),
        custom_lines=custom_line_commands(data.custom_lines, ("input",)),
        buyer=buyer_command(data.buyer_identity, customers, ("input", "buyerIdentity")),
        attributes=attributes_command(data.attributes, ("input", "attributes")),
        discount_codes=discount_code_list(data.discount_codes or [], ("input", "discountCodes")),
        channel_id=_channel(data.channel_id),
        gift_certificates=gift_certificate_commands(data.gift_certificates, ("input",)),
        delivery_address=address_command(data.delivery_address, ("input", "deliveryAddress"))
        if data.delivery_address else None,
        delivery_option=_handle(data),
    )


def _channel(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise InvalidInput("a channel id is at least 1", field=("input", "channelId"))
    return value


def _handle(data: CartCreateInput) -> str | None:
    if data.delivery_option_handle is None:
        return None
    at = ("input", "deliveryOptionHandle")
    if data.delivery_address is None:
        raise InvalidInput("a delivery option needs a deliveryAddress", field=at)
    return limits.text(data.delivery_option_handle, at, maximum=limits.MAX_ID_LENGTH,
                       what="a handle")


def discount_code_list(
    codes: list[str], field: Path = ("discountCodes",)
) -> tuple[str, ...]:
    """Codes trimmed, deduplicated in order; each at most 50 characters (BigCommerce's limit)."""
    if len(codes) > MAX_DISCOUNT_CODES:
        raise InvalidInput(f"at most {MAX_DISCOUNT_CODES} discount codes", field=field)
    result: list[str] = []
    for index, code in enumerate(codes):
        text = code.strip()
        if not text or len(text) > MAX_CODE_LENGTH:
            raise InvalidInput(f"a discount code has 1 to {MAX_CODE_LENGTH} characters",
                               field=(*field, str(index)))
        if text.upper() not in (c.upper() for c in result):
            result.append(text)
    return tuple(result)
