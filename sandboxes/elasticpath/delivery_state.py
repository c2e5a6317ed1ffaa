"""Shipping groups and tax items of a sandbox cart (amounts in minor units)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(slots=True)
class ShippingGroup:
    """Where some of the cart's items go and what the store charges for it.

    Elastic Path quotes nothing: ``shipping_type`` and ``total`` are what the store set.
    """

    id: str
    shipping_type: str
    total: int
    base: int
    address: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    tracking_reference: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class TaxItem:
    """A tax the store's own service computed for one item; ``rate`` is a fraction."""

    id: str
    name: str
    rate: Decimal
    code: str = ""
    jurisdiction: str = ""
