"""Delivery, billing and tax inputs, validated before any backend call."""

from __future__ import annotations

import re
from decimal import Decimal

import strawberry

from adapters.delivery import Address, TaxItem
from adapters.errors import InvalidInput
from gateway.access.trusted_only import TRUSTED_ONLY
from gateway.graphql.limits import input_limits as limits
from gateway.graphql.limits.input_limits import Path

MAX_ADDRESS_TEXT = 255
MAX_TAX_ITEMS = 250
_COUNTRY = re.compile(r"[A-Za-z]{2}")


@strawberry.input(description="A postal address; countryCode is ISO 3166-1 alpha-2")
class CartAddressInput:
    """Read into an ``adapters.delivery.Address`` by ``address_command``."""

    country_code: str
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    province_code: str | None = strawberry.field(
        default=None, description="State or province code, such as CA or BY")
    zip: str | None = None
    phone: str | None = None
    email: str | None = strawberry.field(
        default=None, description="Contact email; BigCommerce requires one with an address")


@strawberry.input
class CartSelectedDeliveryOptionInput:
    """The delivery option chosen for one delivery group."""

    delivery_group_id: strawberry.ID
    delivery_option_handle: str


@strawberry.input(directives=TRUSTED_ONLY,
                  description="A tax a store's own tax service calculated for one line")
class CartTaxItemInput:
    """One tax on one line, as the store's own tax service worked it out."""

    line_id: strawberry.ID
    name: str
    rate: Decimal = strawberry.field(description="A fraction: 0.19 is 19%")
    code: str | None = None
    jurisdiction: str | None = None


def address_command(value: CartAddressInput, at: Path) -> Address:
    """The address, every text bounded; the country code checked and upper-cased."""
    if not _COUNTRY.fullmatch(value.country_code):
        raise InvalidInput("countryCode is a two-letter ISO 3166-1 code",
                           field=(*at, "countryCode"))

    def text(name: str, what: str, maximum: int = MAX_ADDRESS_TEXT) -> str | None:
        camel = re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)
        found = limits.optional_text(getattr(value, name), (*at, camel), maximum=maximum,
                                     what=what)
        return found.strip() or None if found is not None else None

    return Address(
        country_code=value.country_code.upper(),
        first_name=text("first_name", "a first name"),
        last_name=text("last_name", "a last name"),
        company=text("company", "a company"),
        address1=text("address1", "an address line"),
        address2=text("address2", "an address line"),
        city=text("city", "a city"),
        province_code=text("province_code", "a province code", 10),
        zip=text("zip", "a postal code", 20),
        phone=text("phone", "a phone number", 32),
        email=text("email", "an email address", limits.MAX_EMAIL_LENGTH),
    )


def tax_item_commands(items: list[CartTaxItemInput], native_line_ids: list[str]) -> list[TaxItem]:
    """Tax items with rates between 0 and 1 and names present."""
    limits.count(items, ("taxItems",), maximum=MAX_TAX_ITEMS, what="tax items")
    commands = []
    for index, (item, line_id) in enumerate(zip(items, native_line_ids, strict=True)):
        at = ("taxItems", str(index))
        if not item.rate.is_finite() or not Decimal(0) <= item.rate <= Decimal(1):
            raise InvalidInput("rate is a fraction from 0 to 1", field=(*at, "rate"))
        name = limits.text(item.name, (*at, "name"), maximum=MAX_ADDRESS_TEXT, what="a tax name")
        if not name.strip():
            raise InvalidInput("a tax item needs a name", field=(*at, "name"))
        commands.append(TaxItem(
            line_id=line_id, name=name.strip(), rate=item.rate,
            code=limits.optional_text(item.code, (*at, "code"), maximum=MAX_ADDRESS_TEXT,
                                      what="a tax code"),
            jurisdiction=limits.optional_text(item.jurisdiction, (*at, "jurisdiction"),
                                              maximum=MAX_ADDRESS_TEXT, what="a jurisdiction"),
        ))
    return commands
