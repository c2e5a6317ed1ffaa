"""GraphQL types of where a cart goes: its address, delivery groups and options."""

from __future__ import annotations

import strawberry

from adapters import delivery, model
from gateway.graphql import ids
from gateway.graphql.money_type import Money, money


@strawberry.type(description="A postal address")
class CartAddress:
    """An ``adapters.delivery.Address`` as the storefront reads it."""

    country_code: str
    first_name: str | None
    last_name: str | None
    company: str | None
    address1: str | None
    address2: str | None
    city: str | None
    province_code: str | None
    zip: str | None
    phone: str | None
    email: str | None


@strawberry.type(description="One way to deliver a group, with what it costs")
class CartDeliveryOption:
    """A vendor's quoted way to deliver a group, with its cost."""

    handle: str = strawberry.field(description="What cartSelectedDeliveryOptionsUpdate names")
    title: str
    estimated_cost: Money


@strawberry.type(description="The cart's lines going to one address")
class CartDeliveryGroup:
    """The lines going to one address and the ways they can get there."""

    id: strawberry.ID
    delivery_address: CartAddress
    delivery_options: list[CartDeliveryOption]
    selected_delivery_option: CartDeliveryOption | None


def address(value: delivery.Address) -> CartAddress:
    return CartAddress(
        country_code=value.country_code, first_name=value.first_name,
        last_name=value.last_name, company=value.company, address1=value.address1,
        address2=value.address2, city=value.city, province_code=value.province_code,
        zip=value.zip, phone=value.phone, email=value.email,
    )


def _option(value: delivery.DeliveryOption, locale: str) -> CartDeliveryOption:
    return CartDeliveryOption(handle=value.handle, title=value.title,
                              estimated_cost=money(value.cost, locale))


def delivery_groups(value: model.Cart, locale: str) -> list[CartDeliveryGroup]:
    return [
        CartDeliveryGroup(
            id=strawberry.ID(ids.encode(value.backend, "CartDeliveryGroup", group.id)),
            delivery_address=address(group.address),
            delivery_options=[_option(o, locale) for o in group.options],
            selected_delivery_option=_option(group.selected, locale) if group.selected
            else None,
        )
        for group in value.delivery_groups
    ]
