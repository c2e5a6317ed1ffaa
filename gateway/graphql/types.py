"""Strawberry output types, built eagerly from the domain model (no resolvers to run)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TypeAlias

import strawberry

from adapters import model
from adapters.capabilities import Capability
from adapters.errors import ErrorCode
from gateway.graphql import ids
from gateway.graphql.delivery_types import CartAddress, CartDeliveryGroup, address, delivery_groups
from gateway.graphql.fastpath.identity_memo import ListMemo
from gateway.graphql.money_type import Money, money

__all__ = ["Money", "money"]

# strawberry.enum marks the domain's own enums as GraphQL enums and returns them
# unchanged; the aliases name them in the schema's terms, as types mypy can read.
strawberry.enum(model.Backend, name="Backend")
strawberry.enum(model.LineKind, name="CartLineKind")
strawberry.enum(model.DiscountKind, name="DiscountKind")
strawberry.enum(ErrorCode, name="CartErrorCode")
Backend: TypeAlias = model.Backend
CartLineKind: TypeAlias = model.LineKind
DiscountKind: TypeAlias = model.DiscountKind
CartErrorCode: TypeAlias = ErrorCode


@strawberry.enum
class CartWarningCode(Enum):
    CART_DELETED = "CART_DELETED"
    DISCOUNT_NOT_APPLICABLE = "DISCOUNT_NOT_APPLICABLE"
    NOT_CARRIED = "NOT_CARRIED"
    PRICE_CHANGED = "PRICE_CHANGED"
    SOURCE_CHANGED = "SOURCE_CHANGED"


@strawberry.type
class SelectedOption:
    name: str
    value: str


@strawberry.type(description="A key/value pair the storefront keeps on the cart")
class Attribute:
    key: str
    value: str


@strawberry.type(description="A promotion the cart is eligible for, worded for the storefront")
class PromotionBanner:
    id: str
    type: str
    text: str
    pages: list[str] = strawberry.field(description="Where the vendor means it to show")


@strawberry.type
class CartDiscountSettings:
    custom_discounts_enabled: bool
    use_rule_promotions: bool


@strawberry.type
class CartDiscountCode:
    code: str
    applicable: bool


@strawberry.type
class CartDiscountAllocation:
    kind: DiscountKind
    code: str | None
    title: str | None
    discounted_amount: Money


@strawberry.type
class GiftCertificateContact:
    name: str
    email: str


@strawberry.type(description="A gift certificate line's card")
class GiftCertificate:
    sender: GiftCertificateContact
    recipient: GiftCertificateContact
    theme: str
    message: str | None


@strawberry.type(description="A line's gift wrapping: the wrapping option's name, the "
                              "message(s) and the wrapping's cost as the vendor gives it (not "
                              "counted in the line's or the cart's totals)")
class GiftWrapping:
    name: str
    message: str | None
    amount: Money | None


@strawberry.type
class CartLineCost:
    amount_per_quantity: Money
    compare_at_amount_per_quantity: Money | None
    subtotal_amount: Money
    total_amount: Money


@strawberry.type
class CartLine:
    id: strawberry.ID
    kind: CartLineKind
    product_id: str | None
    variant_id: str | None
    sku: str | None
    name: str
    quantity: int
    image_url: str | None
    options: list[SelectedOption]
    added_by_promotion: bool
    cost: CartLineCost
    discount_allocations: list[CartDiscountAllocation]
    gift_certificate: GiftCertificate | None = strawberry.field(
        description="Gift certificate lines only: who gives it to whom, theme and message")
    gift_wrapping: GiftWrapping | None = strawberry.field(
        default=None,
        description="The line's gift wrapping as the vendor shows it (BigCommerce); null "
                    "when it has none")


@strawberry.type
class CartCost:
    subtotal_amount: Money
    total_discount_amount: Money
    total_tax_amount: Money | None = strawberry.field(
        description="Null until the vendor (or the store's tax service) has calculated tax")
    total_amount: Money = strawberry.field(
        description="What the shopper pays: goods after discounts, shipping and tax")
    total_shipping_amount: Money | None = strawberry.field(
        default=None, description="Null until a delivery option is selected and priced")


@strawberry.type
class Cart:
    id: strawberry.ID
    backend: Backend
    version: str
    currency_code: str
    locale: str | None
    customer_id: str | None
    email: str | None
    name: str | None
    description: str | None
    attributes: list[Attribute]
    note: str | None
    snapshot_at: datetime | None = strawberry.field(
        description="Elastic Path: the moment a preview cart is priced at; null otherwise")
    defer_inventory_checks: bool | None = strawberry.field(
        description="Elastic Path: whether stock is checked only at checkout; null elsewhere")
    discount_settings: CartDiscountSettings | None = strawberry.field(
        description="Elastic Path: which discounts the cart takes; null elsewhere")
    promotion_banners: list[PromotionBanner] = strawberry.field(
        description="BigCommerce: banners of the promotions the cart is eligible for; "
                    "empty where a vendor has none")
    tax_included: bool
    total_quantity: int
    lines: list[CartLine]
    cost: CartCost
    discount_codes: list[CartDiscountCode]
    discount_allocations: list[CartDiscountAllocation] = strawberry.field(
        description="Cart-level discounts only"
    )
    checkout_url: str | None
    created_at: datetime | None
    updated_at: datetime | None
    delivery_groups: list[CartDeliveryGroup] = strawberry.field(
        default_factory=list, description="Where the cart goes: at most one group")
    billing_address: CartAddress | None = strawberry.field(
        default=None, description="Where the vendor keeps one (BigCommerce); else null")


@strawberry.type
class CartUserError:
    code: CartErrorCode
    field: list[str] | None
    message: str


@strawberry.type
class CartWarning:
    code: CartWarningCode
    message: str


@strawberry.type
class CartPayload:
    cart: Cart | None
    user_errors: list[CartUserError]
    warnings: list[CartWarning]


@strawberry.type
class CartDeletePayload:
    deleted_cart_id: strawberry.ID | None
    user_errors: list[CartUserError]


@strawberry.type
class CartTransferPayload:
    cart: Cart | None
    source_cart: Cart | None
    unmatched_lines: list[CartLine]
    user_errors: list[CartUserError]
    warnings: list[CartWarning]


@strawberry.type
class CartComparisonResult:
    backend: Backend
    cart: Cart | None
    user_errors: list[CartUserError]


@strawberry.type
class CartDifferenceValue:
    backend: Backend
    value: str | None


@strawberry.type
class CartDifference:
    path: str
    values: list[CartDifferenceValue]


@strawberry.type
class CartComparisonPayload:
    results: list[CartComparisonResult]
    differences: list[CartDifference]


strawberry.enum(
    Capability, name="BackendCapability",
    description="What a backend does that another may not; README: Where the vendors differ")
BackendCapability: TypeAlias = Capability


@strawberry.type
class BackendInfo:
    backend: Backend
    sandbox: bool
    ready: bool
    capabilities: list[BackendCapability] = strawberry.field(
        description="Branch on these, not on the backend's name")


def _allocation(a: model.DiscountAllocation, locale: str) -> CartDiscountAllocation:
    return CartDiscountAllocation(kind=a.kind, code=a.code, title=a.title,
                                  discounted_amount=money(a.amount, locale))


def line(line: model.CartLine, backend: model.Backend, locale: str) -> CartLine:
    cost = line.cost
    compare_at = cost.compare_at_amount_per_quantity
    return CartLine(
        id=strawberry.ID(ids.encode(backend, "CartLine", line.id)),
        kind=line.kind,
        product_id=line.product_id,
        variant_id=line.variant_id,
        sku=line.sku,
        name=line.name,
        quantity=line.quantity,
        image_url=line.image_url,
        options=[SelectedOption(name=o.name, value=o.value) for o in line.options],
        added_by_promotion=line.added_by_promotion,
        cost=CartLineCost(
            amount_per_quantity=money(cost.amount_per_quantity, locale),
            compare_at_amount_per_quantity=money(compare_at, locale) if compare_at else None,
            subtotal_amount=money(cost.subtotal, locale),
            total_amount=money(cost.total, locale),
        ),
        discount_allocations=[_allocation(a, locale) for a in line.discounts],
        gift_certificate=_gift_certificate(line.gift_certificate),
        gift_wrapping=_gift_wrapping(line.gift_wrapping, locale),
    )


def _gift_wrapping(wrap: model.LineGiftWrapping | None, locale: str) -> GiftWrapping | None:
    if wrap is None:
        return None
    return GiftWrapping(name=wrap.name, message=wrap.message,
                        amount=money(wrap.amount, locale) if wrap.amount else None)


def _gift_certificate(card: model.GiftCertificate | None) -> GiftCertificate | None:
    if card is None:
        return None
    return GiftCertificate(
        sender=GiftCertificateContact(name=card.sender.name, email=card.sender.email),
        recipient=GiftCertificateContact(name=card.recipient.name, email=card.recipient.email),
        theme=card.theme, message=card.message)


def _lines(value: model.Cart, locale: str,
           line_sets: ListMemo[model.CartLine, CartLine]) -> list[CartLine]:
    backend = value.backend
    return line_sets.recall(value.lines, (backend, locale),
                            lambda item: line(item, backend, locale))


def cart(value: model.Cart, default_locale: str,
         line_sets: ListMemo[model.CartLine, CartLine]) -> Cart:
    """The GraphQL Cart of a domain cart; amounts formatted in the cart's locale.
    ``line_sets``: the GraphQL lines of the app's latest carts and domain lines, by
    identity (``GatewayContext.line_sets``; ``gateway/graphql/fastpath/identity_memo.py``).
    """
    locale = value.locale or default_locale
    cost = value.cost
    settings = value.settings
    return Cart(
        id=strawberry.ID(ids.encode(value.backend, "Cart", value.id)),
        backend=value.backend,
        version=value.version,
        currency_code=value.currency,
        locale=value.locale,
        customer_id=value.customer_id,
        email=value.email,
        name=value.name,
        description=value.description,
        attributes=[Attribute(key=a.key, value=a.value) for a in value.attributes],
        note=value.note,
        snapshot_at=settings.snapshot_at if settings else None,
        defer_inventory_checks=settings.defer_inventory_checks if settings else None,
        discount_settings=CartDiscountSettings(
            custom_discounts_enabled=settings.custom_discounts_enabled,
            use_rule_promotions=settings.use_rule_promotions) if settings else None,
        promotion_banners=[PromotionBanner(id=b.id, type=b.type, text=b.text, pages=list(b.pages))
                           for b in value.promotion_banners],
        tax_included=value.tax_included,
        total_quantity=value.total_quantity,
        lines=_lines(value, locale, line_sets),
        cost=CartCost(
            subtotal_amount=money(cost.subtotal, locale),
            total_discount_amount=money(cost.total_discount, locale),
            total_tax_amount=money(cost.total_tax, locale) if cost.total_tax else None,
            total_amount=money(cost.total, locale),
            total_shipping_amount=money(cost.total_shipping, locale) if cost.total_shipping
            else None,
        ),
        discount_codes=[CartDiscountCode(code=d.code, applicable=d.applicable)
                        for d in value.discount_codes],
        discount_allocations=[_allocation(a, locale) for a in value.discounts],
        checkout_url=value.checkout_url,
        created_at=value.created_at,
        updated_at=value.updated_at,
        delivery_groups=delivery_groups(value, locale),
        billing_address=address(value.billing_address) if value.billing_address else None,
    )
