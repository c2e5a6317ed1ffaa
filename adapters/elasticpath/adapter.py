"""CartBackend for Elastic Path: commands -> v2 carts calls, answers -> the model.

Elastic Path has no cart version and no concurrency control. Every write through this
backend holds the cart's lock (``adapters.locks``) while it reads the cart, compares
the derived version with ``expected_version`` and writes, so the check and the write
are atomic for every write made through the gateway. The locks come from
``adapters.shared_state``: in-process by default, in Redis when several gateway
processes share the carts. Before every vendor write the adapter verifies its lease,
so a holder that stalled until its lock expired stops with ``ServiceUnavailable``
instead of writing over whoever holds the cart now (not ``VersionConflict``: earlier
steps of the change may have landed, and a conflict promises nothing changed). The
cart returned is read after the lock is released: it is the cart as it is now.

Several lines are added in one all-or-nothing request; when Elastic Path refuses it
without naming the entry, ``ElasticPathClient.first_refused`` finds the one to name on
a scratch cart, and the shopper's cart is untouched.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from typing import Any

import httpx

from adapters.answer_memo import AnswerMemo
from adapters.base import CartBackend
from adapters.elasticpath.auth import TokenSource
from adapters.elasticpath.bodies import (
    Entry,
    Path,
    attribute_fields,
    check_attributes,
    email_with_customer,
    item_entries,
    locate,
    no_list_price,
    refuse_catalog_prices,
)
from adapters.elasticpath.client import ElasticPathClient, cart_payload
from adapters.elasticpath.delivery import ElasticPathDelivery, shipping_ids, with_groups
from adapters.elasticpath.mapping import DEFAULT_CURRENCY, cart_exists, to_cart
from adapters.elasticpath.rates import EMPTY, RateTable
from adapters.errors import (
    CartgateError,
    CartNotFound,
    CartUserError,
    InvalidDiscountCode,
    LineNotFound,
    ServiceUnavailable,
    VersionConflict,
)
from adapters.model import (
    Backend,
    BuyerIdentity,
    Cart,
    CartAttributes,
    CustomLineToAdd,
    LineToAdd,
    LineUpdate,
    NewCart,
)
from adapters.observer import BackendObserver
from adapters.shared_state.locks import Lease
from adapters.shared_state.state import SharedState, namespace

# The lease of the cart the current task is writing, checked before each vendor write.
_LEASE: ContextVar[Lease | None] = ContextVar("elasticpath_cart_lease", default=None)


def _existing_cart(answer: httpx.Response) -> Cart | None:
    """The cart a read answered with; None for an id Elastic Path never stored."""
    payload = cart_payload(answer)
    return to_cart(payload) if cart_exists(payload) else None


class ElasticPathBackend(ElasticPathDelivery, CartBackend):
    """Carts of one Elastic Path Commerce Cloud store."""

    backend = Backend.ELASTIC_PATH

    def __init__(
        self,
        *,
        api_url: str,
        client_id: str,
        client_secret: str,
        timeout: float,
        sandbox: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        shared: SharedState | None = None,
        observer: BackendObserver | None = None,
        rates: RateTable = EMPTY,
    ) -> None:
        self.sandbox = sandbox
        self._rates = rates
        shared = shared or SharedState()
        # Keyed by the store's address and client id, never the secret.
        account = namespace("elasticpath", api_url.rstrip("/"), client_id)
        self._tokens = TokenSource(api_url=api_url, client_id=client_id,
                                   client_secret=client_secret, timeout=timeout,
                                   transport=transport, clock=clock,
                                   cache=shared.tokens(account, fetch_timeout=timeout),
                                   observer=observer)
        self._client = ElasticPathClient(api_url=api_url, tokens=self._tokens,
                                         timeout=timeout, transport=transport,
                                         before_write=self._verify_lease, observer=observer)
        self._locks = shared.locks(account)
        self._read_carts: AnswerMemo[Cart | None] = AnswerMemo()

    def __repr__(self) -> str:
        return f"ElasticPathBackend(sandbox={self.sandbox})"

    # Reads

    async def get_cart(self, cart_id: str) -> Cart | None:
        """None for an id Elastic Path never stored (see ``mapping.cart_exists``)."""
        try:
            answer = await self._client.get_cart_answer(cart_id)
        except CartNotFound:
            return None
        cart = self._read_carts.recall(answer.content, lambda: _existing_cart(answer))
        if cart is None or b'"shipping_groups"' not in answer.content:
            return cart
        return await self._delivered(cart, cart_payload(answer))

    async def _delivered(self, cart: Cart, payload: Any) -> Cart:
        """The cart with its shipping groups: one more read, for carts that have one."""
        if not shipping_ids(payload):
            return cart
        groups = await self._client.shipping_groups(cart.id)
        return with_groups(cart, payload, groups, self._rates)

    async def _read_full(self, cart_id: str) -> tuple[Any, Cart]:
        """The cart answer and its cart with delivery groups; CartNotFound when never stored."""
        payload = await self._client.get_cart(cart_id)
        if not cart_exists(payload):
            raise CartNotFound("no such cart", field=("cartId",))
        return payload, await self._delivered(to_cart(payload), payload)

    async def _read(self, cart_id: str, currency_hint: str | None = None) -> Cart:
        payload = await self._client.get_cart(cart_id)
        return await self._delivered(to_cart(payload, currency_hint=currency_hint), payload)

    @asynccontextmanager
    async def _writing(self, cart_id: str) -> AsyncIterator[None]:
        """Hold the cart's lock; a write conflict Elastic Path reports carries the cart."""
        async with self._locks.hold(cart_id) as lease:
            token = _LEASE.set(lease)
            try:
                yield
            except VersionConflict as error:
                if error.current is None:
                    error.current = await self.get_cart(cart_id)
                raise
            finally:
                _LEASE.reset(token)

    async def _verify_lease(self) -> None:
        lease = _LEASE.get()
        if lease is not None:
            await lease.verify()

    # Creation and lines

    async def create_cart(self, new: NewCart) -> Cart:
        refuse_catalog_prices(new.lines, ("input",))
        check_attributes(new.attributes, ("input", "attributes"))
        buyer = new.buyer or BuyerIdentity()
        if buyer.email and buyer.customer_id:
            raise email_with_customer(("input", "buyerIdentity", "email"))
        currency = new.currency or DEFAULT_CURRENCY
        entries = item_entries(new.lines, new.custom_lines, currency, ("input",))
        data: dict[str, Any] = {}
        if new.attributes is not None:
            data |= attribute_fields(new.attributes)
        if buyer.email:
            data["contact"] = {"email": buyer.email}
        created = await self._client.create_cart(data)
        try:
            cart_id = str(created["data"]["id"])
        except (KeyError, TypeError) as exc:
            raise ServiceUnavailable("Elastic Path created a cart without an id") from exc
        try:
            async with self._writing(cart_id):
                if buyer.customer_id:
                    await self._client.add_customer(cart_id, buyer.customer_id)
                await self._add(cart_id, entries, currency=new.currency)
                if new.discount_codes:
                    await self._replace_codes(cart_id, (), new.discount_codes, ("input",))
                return await self._read(cart_id, currency_hint=new.currency)
        except CartgateError:
            # A refused creation leaves nothing behind.
            with suppress(CartgateError):
                await self._client.delete_cart(cart_id)
            raise

    async def add_lines(
        self,
        cart_id: str,
        lines: Sequence[LineToAdd],
        custom_lines: Sequence[CustomLineToAdd],
        *,
        expected_version: str | None = None,
    ) -> Cart:
        refuse_catalog_prices(lines, ())
        async with self._writing(cart_id):
            cart = await self.checked_cart(cart_id, expected_version)
            entries = item_entries(lines, custom_lines, cart.currency, ())
            await self._add(cart_id, entries, currency=cart.currency if cart.lines else None)
        return await self._read(cart_id)

    async def _add(self, cart_id: str, entries: list[Entry], *, currency: str | None) -> None:
        if not entries:
            return
        try:
            await self._client.add_items(cart_id, [e for e, _, _ in entries], currency=currency)
        except VersionConflict:
            raise
        except CartUserError as error:
            if len(entries) == 1:
                raise locate(error, entries[0]) from None
            found = await self._client.first_refused([e for e, _, _ in entries],
                                                     currency=currency)
            if found is None:
                error.field = (*entries[0][1][:-2], "lines")
                raise error from None
            index, refusal = found
            raise locate(refusal, entries[index]) from None

    async def update_lines(
        self, cart_id: str, updates: Sequence[LineUpdate], *, expected_version: str | None = None
    ) -> Cart | None:
        for index, update in enumerate(updates):
            if update.list_price is not None:
                raise no_list_price(("lines", str(index), "listPrice"))
        async with self._writing(cart_id):
            cart = await self.checked_cart(cart_id, expected_version)
            planned: list[tuple[str, int, int, Path]] = []
            for index, update in enumerate(updates):
                line = cart.line(update.line_id)
                if line is None:
                    raise LineNotFound("the cart has no such line",
                                       field=("lines", str(index), "id"))
                if update.quantity is not None and update.quantity != line.quantity:
                    planned.append((line.id, update.quantity, line.quantity,
                                    ("lines", str(index))))
            done: list[tuple[str, int]] = []
            for line_id, quantity, before, at in (p for p in planned if p[1] > 0):
                try:
                    await self._client.update_item(
                        cart_id, line_id, {"type": "cart_item", "id": line_id,
                                           "quantity": quantity})
                except CartUserError as error:
                    await self._restore_quantities(cart_id, done)
                    raise locate(error, ({}, at, "id")) from None
                done.append((line_id, before))
            for line_id in dict.fromkeys(p[0] for p in planned if p[1] == 0):
                await self._client.delete_item(cart_id, line_id)
            if not planned:
                return cart
        return await self._read(cart_id)

    async def _restore_quantities(self, cart_id: str, done: Sequence[tuple[str, int]]) -> None:
        # Undo what an all-or-nothing update already changed; best effort.
        for line_id, quantity in reversed(done):
            with suppress(CartgateError):
                await self._client.update_item(
                    cart_id, line_id, {"type": "cart_item", "id": line_id, "quantity": quantity})

    async def remove_lines(
        self, cart_id: str, line_ids: Sequence[str], *, expected_version: str | None = None
    ) -> Cart | None:
        """Remove lines; Elastic Path keeps the emptied cart, which is returned."""
        async with self._writing(cart_id):
            cart = await self.checked_cart(cart_id, expected_version)
            for index, line_id in enumerate(line_ids):
                if cart.line(line_id) is None:
                    raise LineNotFound("the cart has no such line", field=("lineIds", str(index)))
            if not line_ids:
                return cart
            for line_id in dict.fromkeys(line_ids):
                await self._client.delete_item(cart_id, line_id)
        return await self._read(cart_id)

    # Buyer, attributes, discounts

    async def update_buyer_identity(
        self, cart_id: str, buyer: BuyerIdentity, *, expected_version: str | None = None
    ) -> Cart:
        """Email is the cart's ``contact``; the customer, its customer relationship.

        Elastic Path keeps a contact email only on guest carts, so a cart has one or the
        other; an empty string clears either.
        """
        if buyer.email and buyer.customer_id:
            raise email_with_customer(("buyerIdentity", "email"))
        async with self._writing(cart_id):
            cart = await self.checked_cart(cart_id, expected_version)
            email = cart.email if buyer.email is None else (buyer.email or None)
            customer = cart.customer_id if buyer.customer_id is None else (
                buyer.customer_id or None)
            if email and customer:
                raise email_with_customer(
                    ("buyerIdentity", "email" if buyer.email else "customerId"))
            if (email, customer) == (cart.email, cart.customer_id):
                return cart
            if cart.customer_id and customer != cart.customer_id:
                await self._client.remove_customer(cart_id, cart.customer_id)
            if email != cart.email:
                await self._client.update_cart(
                    cart_id, {"contact": {"email": email} if email else {}})
            if customer and customer != cart.customer_id:
                await self._client.add_customer(cart_id, customer)
        return await self._read(cart_id)

    async def update_attributes(
        self, cart_id: str, attributes: CartAttributes, *, expected_version: str | None = None
    ) -> Cart:
        check_attributes(attributes, ("attributes",))
        async with self._writing(cart_id):
            cart = await self.checked_cart(cart_id, expected_version)
            wanted = attribute_fields(attributes)
            if all(getattr(cart, key) == (value or None) for key, value in wanted.items()):
                return cart
            await self._client.update_cart(cart_id, wanted)
        return await self._read(cart_id)

    async def update_discount_codes(
        self, cart_id: str, codes: Sequence[str], *, expected_version: str | None = None
    ) -> Cart:
        async with self._writing(cart_id):
            cart = await self.checked_cart(cart_id, expected_version)
            present = tuple(c.code for c in cart.discount_codes)
            if not await self._replace_codes(cart_id, present, codes, ()):
                return cart
        return await self._read(cart_id)

    async def _replace_codes(
        self, cart_id: str, present: Sequence[str], codes: Sequence[str], prefix: Path
    ) -> bool:
        """Add the missing codes, then drop the stale ones; whether anything was written."""
        have = {code.upper() for code in present}
        added: list[str] = []
        for index, code in enumerate(codes):
            if code.upper() in have:
                continue
            try:
                await self._client.add_items(
                    cart_id, [{"type": "promotion_item", "code": code}], about="promotion")
            except VersionConflict:
                raise
            except CartUserError as error:
                for done in added:
                    with suppress(CartgateError):
                        await self._client.delete_promotion_code(cart_id, done)
                raise InvalidDiscountCode(error.message,
                                          field=(*prefix, "discountCodes", str(index))) from None
            added.append(code)
            have.add(code.upper())
        wanted = {code.upper() for code in codes}
        stale = [code for code in present if code.upper() not in wanted]
        for code in stale:
            await self._client.delete_promotion_code(cart_id, code)
        return bool(added or stale)

    async def delete_cart(self, cart_id: str) -> None:
        async with self._writing(cart_id):
            if await self.get_cart(cart_id) is None:
                raise CartNotFound("no such cart", field=("cartId",))
            await self._client.delete_cart(cart_id)

    async def ping(self) -> None:
        await self._client.ping()

    async def aclose(self) -> None:
        await self._client.aclose()
        await self._tokens.aclose()
