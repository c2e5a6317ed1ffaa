"""Where a cart goes and what getting it there costs: addresses, delivery options, tax items.

Frozen dataclasses with no I/O, part of the single cart model (``adapters.model``).
A cart has at most one delivery group: one address, the options a vendor quotes for
it, and the option the shopper chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from adapters.money import Money


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address; ``country_code`` is ISO 3166-1 alpha-2, upper case."""

    country_code: str
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    province_code: str | None = None
    zip: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryOption:
    """One way to deliver a group, priced by the vendor or the operator's rate table."""

    handle: str
    title: str
    cost: Money


@dataclass(frozen=True, slots=True)
class DeliveryGroup:
    """The cart's lines going to one address."""

    id: str
    address: Address
    options: tuple[DeliveryOption, ...] = ()
    selected: DeliveryOption | None = None


@dataclass(frozen=True, slots=True)
class TaxItem:
    """A tax a store's own tax service computed for one line: ``rate`` is a fraction."""

    line_id: str
    name: str
    rate: Decimal
    code: str | None = None
    jurisdiction: str | None = None
