"""Empty BigCommerce carts, held by the gateway until their first line arrives.

BigCommerce cannot create a cart without a line. ``cartCreate`` with none answers a
cart the gateway holds in the shared state (this process's memory, or Redis when
configured): its id, currency, locale, customer and discount codes, kept as long as
BigCommerce keeps a cart it has not changed (30 days). The first lines create the cart
at BigCommerce with all of it; the id the storefront got stays valid: the record then
names the vendor's cart, and every operation on the held id goes to that cart.

Held ids start with ``held-``, so an ordinary BigCommerce id never costs a look-up.
Writes to one held cart hold its lock, so two first adds at once create one cart.
A held cart's version is ``held-<n>``, checked against ``expectedVersion`` like any.
Codes on a held cart are shown not applicable; when the cart is created, each is
applied, and a code BigCommerce refuses is dropped (the cart then no longer lists it).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from adapters.bigcommerce import metafields
from adapters.errors import (
    CartgateError,
    CartNotFound,
    InvalidDiscountCode,
    LineNotFound,
    VersionConflict,
)
from adapters.model import (
    Backend,
    BuyerIdentity,
    Cart,
    CartAttributes,
    CartCost,
    CustomLineToAdd,
    DiscountCode,
    GiftCertificateToAdd,
    LineToAdd,
    LineUpdate,
    NewCart,
)
from adapters.money import Money
from adapters.shared_state.json_cache import JsonCache
from adapters.shared_state.locks import CartLocks

if TYPE_CHECKING:
    from adapters.bigcommerce.adapter import BigCommerceBackend

PREFIX = "held-"
# BigCommerce deletes a cart 30 days after its last change; a held cart lives as long.
LIFETIME = timedelta(days=30)
# The currency BigCommerce gives a cart created without one: the store's default.
DEFAULT_CURRENCY = "USD"
_T = TypeVar("_T")


def is_held(cart_id: str) -> bool:
    return cart_id.startswith(PREFIX)


@dataclass(slots=True)
class _Record:
    id: str
    currency: str | None
    locale: str | None
    customer_id: str | None
    codes: list[str]
    created_at: str
    updated_at: str
    revision: int = 1
    vendor_id: str | None = None

    @property
    def version(self) -> str:
        return f"{PREFIX}{self.revision}"


@dataclass(slots=True)
class HeldCarts:
    """The held carts of one BigCommerce store, and the way to their vendor carts."""

    backend: BigCommerceBackend
    # Kept for LIFETIME (``SharedState.records``): the only copy of each held cart.
    records: JsonCache
    locks: CartLocks
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    # Records

    async def _load(self, cart_id: str) -> _Record | None:
        raw: Any = await self.records.get(cart_id)
        if not isinstance(raw, dict):
            return None
        try:
            return _Record(**raw)
        except TypeError:
            return None  # not a record this gateway wrote: no such cart

    async def _save(self, record: _Record) -> None:
        await self.records.put(record.id, dataclasses.asdict(record))

    def _cart(self, record: _Record) -> Cart:
        currency = record.currency or DEFAULT_CURRENCY
        zero = Money.zero(currency)
        return Cart(
            id=record.id, backend=Backend.BIGCOMMERCE, version=record.version,
            currency=currency, locale=record.locale or "en", customer_id=record.customer_id,
            cost=CartCost(subtotal=zero, total_discount=zero, total_tax=None, total=zero),
            discount_codes=tuple(DiscountCode(code=c, applicable=False) for c in record.codes),
            created_at=datetime.fromisoformat(record.created_at),
            updated_at=datetime.fromisoformat(record.updated_at),
        )

    async def create(self, new: NewCart) -> Cart:
        now = self.clock().isoformat()
        buyer = new.buyer or BuyerIdentity()
        record = _Record(id=f"{PREFIX}{uuid.uuid4()}", currency=new.currency,
                         locale=new.locale, customer_id=buyer.customer_id or None,
                         codes=list(dict.fromkeys(new.discount_codes)),
                         created_at=now, updated_at=now)
        await self._save(record)
        return self._cart(record)

    # Reads

    async def get(self, cart_id: str) -> Cart | None:
        record = await self._load(cart_id)
        if record is None:
            return None
        if record.vendor_id is None:
            return self._cart(record)
        cart = await self.backend.get_cart(record.vendor_id)
        return _as_held(cart, cart_id)

    # Writes: each holds the cart's lock, then goes to the vendor cart if there is one.

    async def _write(
        self,
        cart_id: str,
        expected_version: str | None,
        held: Callable[[_Record], Awaitable[Cart | None]],
        linked: Callable[[str], Awaitable[_T]],
    ) -> Cart | _T | None:
        async with self.locks.hold(cart_id):
            record = await self._load(cart_id)
            if record is None:
                raise CartNotFound("no such cart", field=("cartId",))
            if record.vendor_id is not None:
                try:
                    result = await linked(record.vendor_id)
                except CartgateError as error:
                    error.current = _as_held(error.current, cart_id)
                    raise
                if result is None:
                    await self.records.evict(cart_id)  # the vendor deleted the emptied cart
                else:
                    await self._save(record)  # the id lives as long as the vendor's cart
                return _as_held(result, cart_id) if isinstance(result, Cart) else result
            if expected_version is not None and expected_version != record.version:
                raise VersionConflict(
                    f"the cart is at version {record.version}, not {expected_version}",
                    current=self._cart(record))
            return await held(record)

    async def _changed(self, record: _Record) -> Cart:
        record.revision += 1
        record.updated_at = self.clock().isoformat()
        await self._save(record)
        return self._cart(record)

    async def add_lines(self, cart_id: str, lines: Sequence[LineToAdd],
                        custom_lines: Sequence[CustomLineToAdd],
                        expected_version: str | None,
                        gift_certificates: Sequence[GiftCertificateToAdd] = ()) -> Cart:
        async def first_lines(record: _Record) -> Cart:
            if not lines and not custom_lines and not gift_certificates:
                return self._cart(record)
            buyer = BuyerIdentity(customer_id=record.customer_id) if record.customer_id \
                else None
            cart = await self.backend.create_with_lines(
                NewCart(currency=record.currency, locale=record.locale, lines=tuple(lines),
                        custom_lines=tuple(custom_lines), buyer=buyer,
                        gift_certificates=tuple(gift_certificates)), prefix=())
            record.vendor_id = cart.id
            await self._save(record)
            for code in record.codes:
                try:
                    cart = await self.backend.update_discount_codes(
                        cart.id, [c.code for c in cart.discount_codes] + [code])
                except InvalidDiscountCode:
                    continue
            return _held_cart(cart, cart_id)

        result = await self._write(
            cart_id, expected_version, first_lines,
            lambda vendor_id: self.backend.add_lines(vendor_id, lines, custom_lines,
                                                     expected_version=expected_version,
                                                     gift_certificates=gift_certificates))
        assert result is not None
        return result

    async def update_attributes(self, cart_id: str, attributes: CartAttributes,
                                expected_version: str | None) -> Cart:
        async def held(record: _Record) -> Cart:
            if metafields.wanted_fields(metafields.UNREAD, attributes) is None:
                return self._cart(record)
            raise metafields.attributes_need_a_line(("attributes", "attributes"))

        result = await self._write(
            cart_id, expected_version, held,
            lambda vendor_id: self.backend.update_attributes(
                vendor_id, attributes, expected_version=expected_version))
        assert result is not None
        return result

    async def update_lines(self, cart_id: str, updates: Sequence[LineUpdate],
                           expected_version: str | None) -> Cart | None:
        async def held(record: _Record) -> Cart:
            for index, update in enumerate(updates):
                if update.quantity is not None or update.list_price is not None:
                    raise LineNotFound("the cart has no such line",
                                       field=("lines", str(index), "id"))
            return self._cart(record)

        return await self._write(
            cart_id, expected_version, held,
            lambda vendor_id: self.backend.update_lines(vendor_id, updates,
                                                        expected_version=expected_version))

    async def remove_lines(self, cart_id: str, line_ids: Sequence[str],
                           expected_version: str | None) -> Cart | None:
        async def held(record: _Record) -> Cart:
            if line_ids:
                raise LineNotFound("the cart has no such line", field=("lineIds", "0"))
            return self._cart(record)

        return await self._write(
            cart_id, expected_version, held,
            lambda vendor_id: self.backend.remove_lines(vendor_id, line_ids,
                                                        expected_version=expected_version))

    async def update_buyer_identity(self, cart_id: str, customer_id: str | None,
                                    expected_version: str | None) -> Cart:
        async def held(record: _Record) -> Cart:
            if customer_id is None or (customer_id or None) == record.customer_id:
                return self._cart(record)
            record.customer_id = customer_id or None
            return await self._changed(record)

        result = await self._write(
            cart_id, expected_version, held,
            lambda vendor_id: self.backend.update_buyer_identity(
                vendor_id, BuyerIdentity(customer_id=customer_id),
                expected_version=expected_version))
        assert result is not None
        return result

    async def update_discount_codes(self, cart_id: str, codes: Sequence[str],
                                    expected_version: str | None) -> Cart:
        async def held(record: _Record) -> Cart:
            wanted = list(dict.fromkeys(codes))
            if wanted == record.codes:
                return self._cart(record)
            record.codes = wanted
            return await self._changed(record)

        result = await self._write(
            cart_id, expected_version, held,
            lambda vendor_id: self.backend.update_discount_codes(
                vendor_id, codes, expected_version=expected_version))
        assert result is not None
        return result

    async def delete(self, cart_id: str) -> None:
        async with self.locks.hold(cart_id):
            record = await self._load(cart_id)
            if record is None:
                raise CartNotFound("no such cart", field=("cartId",))
            await self.records.evict(cart_id)
            if record.vendor_id is not None:
                with suppress(CartNotFound):  # expired at the vendor: gone either way
                    await self.backend.delete_cart(record.vendor_id)


def _held_cart(cart: Cart, held_id: str) -> Cart:
    return dataclasses.replace(cart, id=held_id)


def _as_held(cart: Cart | None, held_id: str) -> Cart | None:
    return _held_cart(cart, held_id) if cart is not None else None
