"""The cart's attributes and note as BigCommerce cart metafields, and back.

They live in one namespace of the gateway's, readable on the storefront
(``read_and_sf_access``): a pair is a metafield with its key, the note a metafield under
``NOTE_KEY``. Metafields do not move a cart's ``version``, so the adapter moves it
itself before changing them (see ``BigCommerceBackend.update_attributes``).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.bigcommerce.client import BigCommerceClient
from adapters.errors import CartgateError, ServiceUnavailable, UnsupportedOperation
from adapters.model import NOTE_KEY, RESERVED_ATTRIBUTE_PREFIX, Attribute, Cart, CartAttributes

NAMESPACE = "cartgate"
PERMISSION_SET = "read_and_sf_access"


@dataclass(frozen=True, slots=True)
class Stored:
    """The gateway's metafields of one cart: key -> (metafield id, value); pairs in key order."""

    fields: Mapping[str, tuple[str, str]]

    @property
    def attributes(self) -> tuple[Attribute, ...]:
        return tuple(Attribute(key=key, value=value)
                     for key, (_, value) in sorted(self.fields.items())
                     if not key.startswith(RESERVED_ATTRIBUTE_PREFIX))

    @property
    def note(self) -> str | None:
        return self.fields[NOTE_KEY][1] if NOTE_KEY in self.fields else None

    def on(self, cart: Cart) -> Cart:
        """The cart carrying these attributes and note."""
        attributes, note = self.attributes, self.note
        if (attributes, note) == (cart.attributes, cart.note):
            return cart
        return dataclasses.replace(cart, attributes=attributes, note=note)


# The attributes of a cart read for an operation that does not show them: none read.
UNREAD = Stored(fields={})


def attributes_need_a_line(field: tuple[str, ...]) -> UnsupportedOperation:
    """Metafields belong to a vendor cart, which an empty cart held by the gateway is not."""
    return UnsupportedOperation("BigCommerce keeps attributes and a note on a cart with a "
                                "line; add one first", field=field)


def kept(wanted: Mapping[str, str]) -> Stored:
    """What a cart holds once ``write`` made it keep ``wanted`` (ids unknown: not needed)."""
    return Stored(fields={key: ("", value) for key, value in wanted.items()})


def stored(data: Any) -> Stored:
    """The gateway's metafields from a list answer; anything malformed is the vendor's fault."""
    if not isinstance(data, list):
        raise ServiceUnavailable("BigCommerce listed cart metafields without a list")
    fields: dict[str, tuple[str, str]] = {}
    for entry in data:
        if not isinstance(entry, Mapping) or entry.get("namespace") != NAMESPACE:
            continue
        key, value, number = entry.get("key"), entry.get("value"), str(entry.get("id", ""))
        if not isinstance(key, str) or not isinstance(value, str) or not number.isdigit():
            raise ServiceUnavailable("BigCommerce answered a malformed cart metafield")
        fields[key] = (number, value)
    return Stored(fields=fields)


async def read_stored(client: BigCommerceClient, cart_id: str) -> Stored:
    return stored(await client.metafields(cart_id, NAMESPACE))


def wanted_fields(stored_now: Stored, change: CartAttributes) -> dict[str, str] | None:
    """Every key -> value the cart should keep after ``change``; None when nothing changes."""
    if change.attributes is None and change.note is None:
        return None
    pairs = stored_now.attributes if change.attributes is None else change.attributes
    note = stored_now.note if change.note is None else (change.note or None)
    wanted = {pair.key: pair.value for pair in pairs}
    if note:
        wanted[NOTE_KEY] = note
    current = {key: value for key, (_, value) in stored_now.fields.items()}
    return None if wanted == current else wanted


def _body(key: str, value: str) -> dict[str, str]:
    return {"permission_set": PERMISSION_SET, "namespace": NAMESPACE, "key": key, "value": value}


async def write(client: BigCommerceClient, cart_id: str, stored_now: Stored,
                wanted: Mapping[str, str]) -> None:
    """Create, change and delete metafields at once so the cart keeps exactly ``wanted``."""
    calls: list[Awaitable[Any]] = []
    for key, value in wanted.items():
        present = stored_now.fields.get(key)
        if present is None:
            calls.append(client.create_metafield(cart_id, _body(key, value)))
        elif present[1] != value:
            calls.append(client.update_metafield(cart_id, present[0], _body(key, value)))
    calls.extend(client.delete_metafield(cart_id, number)
                 for key, (number, _) in stored_now.fields.items() if key not in wanted)
    await _all(calls)


async def _all(calls: Sequence[Awaitable[Any]]) -> None:
    """Await every call; the first refusal is raised once all have settled."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, CartgateError):
            raise result
    for result in results:
        if isinstance(result, BaseException):
            raise result
