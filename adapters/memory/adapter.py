"""CartBackend kept in process memory: a vendor with no network, for tests and demos.

It fulfils the contract the way the real vendors do (``adapters/base.py``): typed errors
naming the input refused, a version that changes on every write and is checked under the
cart's lock (``VersionConflict`` carries the cart as it is, nothing changed), exact money
in the currency's minor units, discount codes from a small table. What it does not do is
absent from ``capabilities`` and answers ``UnsupportedOperation``, as the base class does
for delivery, tax, billing and manual discounts.

    backend = MemoryBackend()                  # the sandboxes' SKUs, prices and codes
    cart = await backend.create_cart(NewCart(currency="USD",
                                             lines=(LineToAdd(quantity=2, sku="MUG-ORBIT"),)))
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import datetime

from adapters import user_messages as messages
from adapters.base import CartBackend, at_version
from adapters.capabilities import Capability
from adapters.errors import (
    CartNotFound,
    InvalidDiscountCode,
    InvalidInput,
    LineNotFound,
    UnsupportedCurrency,
    UnsupportedOperation,
)
from adapters.memory.calls import CART, CARTS, DISCOUNTS, ITEMS, StoreCalls
from adapters.memory.catalog import DEFAULT_CATALOG, Catalog
from adapters.memory.lines import Path, added, exact_price
from adapters.memory.pricing import price, version_of
from adapters.memory.store import (
    MAX_CARTS,
    MAX_LINES,
    CartStore,
    Change,
    StoredCart,
    StoredLine,
)
from adapters.model import (
    Backend,
    BuyerIdentity,
    Cart,
    CartAttributes,
    CustomLineToAdd,
    GiftCertificateToAdd,
    LineKind,
    LineToAdd,
    LineUpdate,
    NewCart,
)
from adapters.observer import BackendObserver
from adapters.vendor_answers import MAX_INT

DEFAULT_CURRENCY = "USD"
MAX_TEXT = 255


class MemoryBackend(CartBackend):
    """Carts in a dict of this process, priced from a small built-in catalog."""

    backend = Backend.MEMORY
    capabilities = frozenset({
        Capability.EMPTY_CART, Capability.CART_NAME, Capability.BUYER_EMAIL,
        Capability.CUSTOM_LINE_UPDATE,
    })

    def __init__(self, *, catalog: Catalog = DEFAULT_CATALOG, latency: float = 0.0,
                 max_carts: int = MAX_CARTS, max_lines: int = MAX_LINES,
                 observer: BackendObserver | None = None) -> None:
        # No real store stands behind it: ``backends { sandbox }`` says so.
        self.sandbox = True
        self.catalog = catalog
        self._store = CartStore(latency=latency, max_carts=max_carts, max_lines=max_lines)
        # Each store operation is one vendor call to the observer, as an HTTP call is.
        self.calls = StoreCalls(observer)

    def __repr__(self) -> str:
        return f"MemoryBackend(carts={len(self._store)})"

    def _priced(self, stored: StoredCart) -> Cart:
        return price(stored, self.catalog, backend=self.backend)

    async def _change(self, cart_id: str, change: Change, method: str, endpoint: str) -> Cart:
        """The cart changed under its lock: one call, a write only when something changed."""
        async with self.calls.change(method, endpoint) as call:

            def writing(cart: StoredCart) -> StoredCart:
                changed = change(cart)
                if changed is not cart:
                    call.wrote()
                return changed

            return self._priced(await self._store.change(cart_id, writing))

    def _checked(self, stored: StoredCart, expected_version: str | None) -> None:
        at_version(self._priced(stored), expected_version)

    # Reads

    async def get_cart(self, cart_id: str) -> Cart | None:
        async with self.calls.call("GET", CART) as call:
            stored = await self._store.get(cart_id)
            if stored is None:
                call.not_found()
        return None if stored is None else self._priced(stored)

    # Creation and lines

    async def create_cart(self, new: NewCart) -> Cart:
        prefix: Path = ("input",)
        if new.channel_id is not None:
            raise UnsupportedOperation("in-memory carts have no channel",
                                       field=(*prefix, "channelId"))
        currency = new.currency or DEFAULT_CURRENCY
        if currency not in self.catalog.currencies:
            raise UnsupportedCurrency(messages.unsupported_currency(currency),
                                      field=(*prefix, "currencyCode"))
        lines = added((), new.lines, new.custom_lines, new.gift_certificates,
                      catalog=self.catalog, currency=currency, prefix=prefix)
        buyer = new.buyer or BuyerIdentity()
        codes = self._codes(new.discount_codes, (*prefix, "discountCodes"))

        # Built and checked whole before the store is touched: a refused creation leaves
        # nothing behind. The store stamps its revision and times.
        draft = StoredCart(id=str(uuid.uuid4()), revision=0, currency=currency,
                           created_at=datetime.min, updated_at=datetime.min, locale=new.locale,
                           lines=lines, codes=codes, customer_id=buyer.customer_id or None,
                           email=buyer.email or None)
        draft = _with_attributes(draft, new.attributes or CartAttributes(),
                                 (*prefix, "attributes"))
        async with self.calls.call("POST", CARTS):
            return self._priced(await self._store.create(draft))

    async def add_lines(
        self,
        cart_id: str,
        lines: Sequence[LineToAdd],
        custom_lines: Sequence[CustomLineToAdd],
        *,
        expected_version: str | None = None,
        gift_certificates: Sequence[GiftCertificateToAdd] = (),
    ) -> Cart:
        def change(cart: StoredCart) -> StoredCart:
            self._checked(cart, expected_version)
            more = [*(line.quantity for line in lines), *(line.quantity for line in custom_lines)]
            if sum(line.quantity for line in cart.lines) + sum(more) > MAX_INT:
                raise InvalidInput(f"a cart holds at most {MAX_INT} items", field=("lines",))
            grown = added(cart.lines, lines, custom_lines, gift_certificates,
                          catalog=self.catalog, currency=cart.currency, prefix=())
            return dataclasses.replace(cart, lines=grown) if grown != cart.lines else cart

        return await self._change(cart_id, change, "POST", ITEMS)

    async def update_lines(
        self, cart_id: str, updates: Sequence[LineUpdate], *, expected_version: str | None = None
    ) -> Cart | None:
        """Quantity 0 removes a line; the emptied cart is kept (``EMPTY_CART``)."""

        def change(cart: StoredCart) -> StoredCart:
            self._checked(cart, expected_version)
            lines = {line.id: line for line in cart.lines}
            for index, update in enumerate(updates):
                at = ("lines", str(index))
                line = lines.get(update.line_id)
                if line is None:
                    if update.line_id in {u.line_id for u in updates[:index]}:
                        continue  # removed by an earlier update of this change
                    raise LineNotFound(messages.LINE_NOT_FOUND, field=(*at, "id"))
                lines[line.id] = _updated(line, update, cart.currency, at)
                if update.quantity == 0:
                    del lines[line.id]
            kept = tuple(lines[line.id] for line in cart.lines if line.id in lines)
            return dataclasses.replace(cart, lines=kept) if kept != cart.lines else cart

        return await self._change(cart_id, change, "PUT", ITEMS)

    async def remove_lines(
        self, cart_id: str, line_ids: Sequence[str], *, expected_version: str | None = None
    ) -> Cart | None:
        """Remove lines; the emptied cart is kept (``EMPTY_CART``)."""

        def change(cart: StoredCart) -> StoredCart:
            self._checked(cart, expected_version)
            present = {line.id for line in cart.lines}
            for index, line_id in enumerate(line_ids):
                if line_id not in present:
                    raise LineNotFound(messages.LINE_NOT_FOUND, field=("lineIds", str(index)))
            kept = tuple(line for line in cart.lines if line.id not in set(line_ids))
            return dataclasses.replace(cart, lines=kept) if kept != cart.lines else cart

        return await self._change(cart_id, change, "DELETE", ITEMS)

    # Buyer, attributes, discounts

    async def update_buyer_identity(
        self, cart_id: str, buyer: BuyerIdentity, *, expected_version: str | None = None
    ) -> Cart:
        """None leaves a field as it is; "" clears it."""

        def change(cart: StoredCart) -> StoredCart:
            self._checked(cart, expected_version)
            customer = cart.customer_id if buyer.customer_id is None else buyer.customer_id
            email = cart.email if buyer.email is None else buyer.email
            if (customer or None, email or None) == (cart.customer_id, cart.email):
                return cart
            return dataclasses.replace(cart, customer_id=customer or None, email=email or None)

        return await self._change(cart_id, change, "PUT", CART)

    async def update_attributes(
        self, cart_id: str, attributes: CartAttributes, *, expected_version: str | None = None
    ) -> Cart:
        def change(cart: StoredCart) -> StoredCart:
            self._checked(cart, expected_version)
            return _with_attributes(cart, attributes, ("attributes",))

        return await self._change(cart_id, change, "PUT", CART)

    async def update_discount_codes(
        self, cart_id: str, codes: Sequence[str], *, expected_version: str | None = None
    ) -> Cart:
        wanted = self._codes(codes, ("discountCodes",))

        def change(cart: StoredCart) -> StoredCart:
            self._checked(cart, expected_version)
            return dataclasses.replace(cart, codes=wanted) if wanted != cart.codes else cart

        return await self._change(cart_id, change, "PUT", DISCOUNTS)

    def _codes(self, codes: Sequence[str], field: Path) -> tuple[str, ...]:
        """The codes as the table spells them, each once; an unknown one is refused."""
        known: list[str] = []
        for index, code in enumerate(codes):
            rule = self.catalog.code(code)
            if rule is None:
                raise InvalidDiscountCode(messages.code_refused(code), field=(*field, str(index)))
            if rule.code not in known:
                known.append(rule.code)
        return tuple(known)

    async def delete_cart(self, cart_id: str) -> None:
        async with self.calls.call("DELETE", CART):
            await self._store.delete(cart_id)

    async def delete_cart_if_at(self, cart_id: str, version: str) -> Cart | None:
        # Under the cart's lock: no write lands between the comparison and the delete.
        try:
            async with self.calls.change("DELETE", CART) as call:

                def unchanged_since(cart: StoredCart) -> bool:
                    if version_of(cart) != version:
                        return False  # kept: it was only read
                    call.wrote()
                    return True

                kept = await self._store.delete(cart_id, when=unchanged_since)
        except CartNotFound:
            return None
        return None if kept is None else self._priced(kept)

    async def ping(self) -> None:
        """Always reachable: the carts are in this process."""

    async def aclose(self) -> None:
        """Nothing to release."""


def _updated(line: StoredLine, update: LineUpdate, currency: str, at: Path) -> StoredLine:
    if update.quantity is not None and update.quantity < 0:
        raise InvalidInput("a quantity is 0 (remove) or more", field=(*at, "quantity"))
    if update.list_price is not None and line.kind is not LineKind.CUSTOM:
        raise UnsupportedOperation("in-memory carts price catalog lines from the catalog",
                                   field=(*at, "listPrice"))
    changed = line
    if update.list_price is not None:
        unit = exact_price(update.list_price, currency, (*at, "listPrice")).amount
        changed = dataclasses.replace(changed, unit_price=unit)
    if update.quantity:
        changed = dataclasses.replace(changed, quantity=update.quantity)
    return changed


def _with_attributes(cart: StoredCart, attributes: CartAttributes, prefix: Path) -> StoredCart:
    """The cart with the attributes given; None leaves a field, "" clears the note."""
    if attributes.settings is not None:
        for name in attributes.settings.fields():
            raise UnsupportedOperation(f"in-memory carts have no setting {name}",
                                       field=(*prefix, name))
    changes: dict[str, object] = {}
    for name in ("name", "description"):
        value = getattr(attributes, name)
        if value is None:
            continue
        if len(value) > MAX_TEXT:
            raise InvalidInput(f"a cart {name} has at most {MAX_TEXT} characters",
                               field=(*prefix, name))
        changes[name] = value or None
    if attributes.attributes is not None:
        changes["attributes"] = tuple(sorted(attributes.attributes, key=lambda a: a.key))
    if attributes.note is not None:
        changes["note"] = attributes.note or None
    if all(getattr(cart, name) == value for name, value in changes.items()):
        return cart
    return dataclasses.replace(cart, **changes)  # type: ignore[arg-type]
