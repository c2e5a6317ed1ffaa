"""Delivery and tax on Elastic Path: shipping groups priced from the operator's rate table,
tax items set by the store's own tax service.

Elastic Path quotes no shipping and calculates no tax. A delivery address is a cart
shipping group (every line linked to it); its options come from the rate table
(``adapters.elasticpath.rates``) for the address's country and the cart's currency; the
chosen option is stored on the group as its ``shipping_type`` and ``shipping_price``,
which Elastic Path then counts in ``meta.display_price.shipping`` and ``with_tax``.
The cart answer names its shipping groups but not their address: a cart whose groups
were read at its current version is read in one call (ShippingGroupMemo), otherwise in
two. Every delivery write holds the cart's lock alone, like the other checked writes.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from adapters.base import at_version
from adapters.delivery import Address, DeliveryGroup, TaxItem
from adapters.elasticpath.client import ElasticPathClient
from adapters.elasticpath.mapping import object_or_none
from adapters.elasticpath.rates import RateTable
from adapters.errors import (
    InvalidInput,
    LineNotFound,
    ServiceUnavailable,
    UnsupportedOperation,
)
from adapters.model import Cart, LineKind
from adapters.money import Money
from adapters.versions import content_version

if TYPE_CHECKING:  # reads.py builds carts with this module's groups
    from adapters.elasticpath.reads import CartReads

# Our Address field -> Elastic Path's ShippingAddress key (all of them are required).
ADDRESS_KEYS = {
    "first_name": "first_name", "last_name": "last_name", "phone": "phone_number",
    "company": "company_name", "address1": "line_1", "address2": "line_2", "city": "city",
    "zip": "postcode", "province_code": "region",
}
_REQUIRED_EMPTY = ("county", "instructions")


def address_body(address: Address) -> dict[str, Any]:
    """A ShippingAddress: Elastic Path requires every key, so absent ones are empty."""
    body = {key: getattr(address, ours) or "" for ours, key in ADDRESS_KEYS.items()}
    body.update(dict.fromkeys(_REQUIRED_EMPTY, ""))
    body["country"] = address.country_code
    return body


def to_address(data: Mapping[str, Any]) -> Address:
    country = data["country"]
    if not isinstance(country, str) or len(country) != 2 or not country.isalpha():
        raise ValueError("a shipping address's country is a two-letter code")
    values = {ours: (str(data[key]) if data.get(key) else None)
              for ours, key in ADDRESS_KEYS.items()}
    return Address(country_code=country.upper(), **values)


def shipping_ids(payload: Mapping[str, Any]) -> list[str]:
    """The shipping groups a cart answer's relationships name; ServiceUnavailable when
    they are not a relationship's shape.
    """
    data = object_or_none(payload.get("data"), "data")
    relationships = object_or_none(data.get("relationships"), "relationships")
    related = object_or_none(relationships.get("shipping_groups"),
                             "relationships.shipping_groups").get("data") or []
    return [str(r["id"]) for r in _list(related, "relationships.shipping_groups.data")
            if isinstance(r, Mapping) and r.get("id")]


def tax_ids(payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(item id, tax item id) of every tax item the cart's items name; ServiceUnavailable
    when they are not a relationship's shape.
    """
    found: list[tuple[str, str]] = []
    included = object_or_none(payload.get("included"), "included")
    for item in _list(included.get("items") or [], "included.items"):
        item = object_or_none(item, "item")
        relationships = object_or_none(item.get("relationships"), "item's relationships")
        related = object_or_none(relationships.get("taxes"), "item's taxes").get("data") or []
        found.extend((_id(item, "item"), _id(r, "tax item"))
                     for r in _list(related, "item's taxes") if isinstance(r, Mapping))
    return found


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ServiceUnavailable(f"Elastic Path answered with a cart whose {name} is not "
                                 "a list")
    return value


def _id(value: Mapping[str, Any], name: str) -> str:
    if value.get("id") is None:
        raise ServiceUnavailable(f"Elastic Path answered with a cart whose {name} has no id")
    return str(value["id"])


def with_groups(cart: Cart, payload: Mapping[str, Any], groups: Sequence[Mapping[str, Any]],
                rates: RateTable) -> Cart:
    """The cart with its delivery groups, shipping cost and a version covering both;
    ServiceUnavailable when Elastic Path's answers cannot be read.
    """
    try:
        return _with_groups(cart, payload, groups, rates)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise ServiceUnavailable(
            "Elastic Path answered with shipping groups the gateway cannot read "
            f"({exc.__class__.__name__})") from exc


def _with_groups(cart: Cart, payload: Mapping[str, Any], groups: Sequence[Mapping[str, Any]],
                 rates: RateTable) -> Cart:
    display = payload["data"]["meta"]["display_price"]
    delivery = []
    for group in groups:
        address = to_address(group.get("address") or {})
        options = rates.options(address.country_code, cart.currency)
        chosen = str(group.get("shipping_type") or "")
        delivery.append(DeliveryGroup(
            id=str(group["id"]), address=address, options=options,
            selected=next((o for o in options if o.handle == chosen), None),
        ))
    shipped = any(g.selected is not None for g in delivery)
    shipping = display.get("shipping")
    cost = dataclasses.replace(
        cart.cost,
        total_shipping=Money.from_minor(_minor(shipping["amount"]), cart.currency)
        if shipped and isinstance(shipping, Mapping) else None,
    )
    content = [cart.version, [(g.id, g.address, g.selected and g.selected.handle)
                              for g in delivery]]
    return dataclasses.replace(cart, delivery_groups=tuple(delivery), cost=cost,
                               version=content_version(repr(content)))


class ShippingGroupMemo:
    """A cart's shipping groups as last read, by the cart's version without them.

    That version covers the cart's ``updated_at``, which moves when a shipping group of
    the cart is written: while it stands, the groups read with it still stand, and a
    read of the cart is one call. Bounded; the oldest carts are forgotten first.
    """

    def __init__(self, kept: int = 10_000) -> None:
        self._groups: OrderedDict[str, tuple[str, Sequence[Mapping[str, Any]]]] = OrderedDict()
        self._kept = kept

    def recall(self, cart_id: str, version: str) -> Sequence[Mapping[str, Any]] | None:
        found = self._groups.get(cart_id)
        if found is None or found[0] != version:
            return None
        self._groups.move_to_end(cart_id)
        return found[1]

    def forget(self, cart_id: str) -> None:
        """After a write to the cart's groups: Elastic Path's times are whole seconds, so
        the version may not have moved.
        """
        self._groups.pop(cart_id, None)

    def keep(self, cart_id: str, version: str, groups: Sequence[Mapping[str, Any]]) -> None:
        self._groups[cart_id] = (version, groups)
        self._groups.move_to_end(cart_id)
        while len(self._groups) > self._kept:
            self._groups.popitem(last=False)


class ElasticPathDelivery:
    """The delivery half of ElasticPathBackend."""

    _client: ElasticPathClient
    _reads: CartReads
    _writing: Callable[[str], AbstractAsyncContextManager[Mapping[str, Any] | None]]
    get_cart: Callable[..., Any]

    async def _checked_full(self, cart_id: str, expected: str | None
                            ) -> tuple[Mapping[str, Any], Cart]:
        payload, cart = await self._reads.full(cart_id)
        self._reads.groups.forget(cart_id)  # a write follows
        return payload, at_version(cart, expected)

    async def _after(self, cart_id: str) -> Cart:
        self._reads.groups.forget(cart_id)
        cart: Cart | None = await self.get_cart(cart_id)
        assert cart is not None, "the cart was written just now"
        return cart

    async def update_delivery_address(
        self, cart_id: str, address: Address | None, *, expected_version: str | None = None
    ) -> Cart:
        async with self._writing(cart_id):
            payload, cart = await self._checked_full(cart_id, expected_version)
            group = cart.delivery_groups[0] if cart.delivery_groups else None
            if address is None:
                for g in cart.delivery_groups:
                    await self._client.delete_shipping_group(cart_id, g.id)
                if not cart.delivery_groups:
                    return cart
            else:
                if not cart.lines:
                    raise InvalidInput("the cart has no line to deliver", field=("address",))
                # A new address is quoted afresh: no option is selected on it yet.
                data = {"type": "shipping_group", "shipping_type": "",
                        "shipping_price": {"total": 0, "base": 0},
                        "address": address_body(address)}
                if group is None:
                    group_id = await self._client.create_shipping_group(cart_id, data)
                    # Bulk updates name each item's quantity too: it stays as it is.
                    await self._client.update_items(cart_id, [
                        {"id": line.id, "quantity": line.quantity, "shipping_group_id": group_id}
                        for line in cart.lines])
                else:
                    await self._client.update_shipping_group(cart_id, group.id, data)
        return await self._after(cart_id)

    async def select_delivery_option(
        self, cart_id: str, group_id: str, handle: str, *, expected_version: str | None = None
    ) -> Cart:
        async with self._writing(cart_id):
            _, cart = await self._checked_full(cart_id, expected_version)
            group = next((g for g in cart.delivery_groups if g.id == group_id), None)
            if group is None:
                raise InvalidInput("the cart has no such delivery group",
                                   field=("selectedDeliveryOptions", "0", "deliveryGroupId"))
            option = next((o for o in group.options if o.handle == handle), None)
            if option is None:
                raise InvalidInput(
                    "no such delivery option for this delivery group",
                    field=("selectedDeliveryOptions", "0", "deliveryOptionHandle"))
            minor = option.cost.to_minor()
            await self._client.update_shipping_group(cart_id, group.id, {
                "type": "shipping_group", "shipping_type": option.handle,
                "shipping_price": {"total": minor, "base": minor},
            })
        return await self._after(cart_id)

    async def set_tax_items(
        self, cart_id: str, items: Sequence[TaxItem], *, expected_version: str | None = None
    ) -> Cart:
        async with self._writing(cart_id):
            payload, cart = await self._checked_full(cart_id, expected_version)
            for index, item in enumerate(items):
                if cart.line(item.line_id) is None:
                    raise LineNotFound("the cart has no such line",
                                       field=("taxItems", str(index), "lineId"))
            per_line: dict[str, int] = {}
            for index, item in enumerate(items):
                per_line[item.line_id] = per_line.get(item.line_id, 0) + 1
                if per_line[item.line_id] > 5:
                    raise UnsupportedOperation("Elastic Path keeps at most 5 tax items a line",
                                               field=("taxItems", str(index)))
            if tax_ids(payload):
                await self._client.delete_tax_items(cart_id)
            if items:
                await self._client.add_tax_items(cart_id, [_tax_body(item, cart) for item in items])
        return await self._after(cart_id)


def _minor(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a whole number of minor units: {value!r}")
    return value


def _tax_body(item: TaxItem, cart: Cart) -> dict[str, Any]:
    line = cart.line(item.line_id)
    kind = "custom_item" if line is not None and line.kind is LineKind.CUSTOM else "cart_item"
    body: dict[str, Any] = {"type": "tax_item", "name": item.name, "rate": item.rate,
                            "relationships": {"item": {"data": {"type": kind,
                                                                "id": item.line_id}}}}
    if item.code:
        body["code"] = item.code
    if item.jurisdiction:
        body["jurisdiction"] = item.jurisdiction
    return body

