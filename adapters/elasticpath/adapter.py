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
cart returned is the cart as that change left it: read, or built, under the lock.

Round trips are kept to what the guarantees need. An item write answers with the
cart's items, totals and times; with the cart's own fields from before it (a new cart's
creation answer, or those kept from the last write through the gateway:
``cart_fields.py``) that is the whole cart (``answers.py``), so no read follows. A change
without ``expectedVersion`` to a cart this process has answered with (``known_carts.py``)
writes at once, without the read a version check needs. Such a write of one vendor call
to the cart's items shares the lock with others like it (Elastic Path applies them in
turn); every other write holds the lock alone.

Several lines are added in one all-or-nothing request; when Elastic Path refuses it
without naming the entry, ``item_writes.first_refused`` finds the one to name on
a scratch cart, and the shopper's cart is untouched.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from typing import Any

import httpx

from adapters import user_messages as messages
from adapters.answer_memo import AnswerMemo
from adapters.base import CartBackend
from adapters.capabilities import Capability
from adapters.elasticpath.answers import cart_with_items
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
    refuse_gift_certificates,
)
from adapters.elasticpath.cart_fields import CartFieldsMemo
from adapters.elasticpath.cart_settings import settings_body
from adapters.elasticpath.catalog_facts import DEFAULT_TTL as CATALOG_TTL
from adapters.elasticpath.catalog_facts import CatalogFacts
from adapters.elasticpath.client import ElasticPathClient
from adapters.elasticpath.custom_attributes import custom_attributes_body
from adapters.elasticpath.delivery import ElasticPathDelivery
from adapters.elasticpath.gateway_attributes import with_reserved
from adapters.elasticpath.item_writes import add_entries, replace_codes
from adapters.elasticpath.known_carts import KnownCart, KnownCarts
from adapters.elasticpath.manual_discounts import (
    custom_discounts,
    discount_entries,
    item_of,
)
from adapters.elasticpath.mapping import DEFAULT_CURRENCY
from adapters.elasticpath.rates import EMPTY, RateTable
from adapters.elasticpath.reads import CartReads
from adapters.errors import (
    CartgateError,
    CartNotFound,
    CartUserError,
    InvalidDiscountCode,
    InvalidInput,
    LineNotFound,
    NeedsOptions,
    ServiceUnavailable,
    UnsupportedCurrency,
    UnsupportedOperation,
    VersionConflict,
)
from adapters.model import (
    Backend,
    BuyerIdentity,
    Cart,
    CartAttributes,
    CartSettings,
    CustomLineToAdd,
    GiftCertificateToAdd,
    LineToAdd,
    LineUpdate,
    ManualDiscount,
    NewCart,
)
from adapters.observer import BackendObserver
from adapters.shared_state.json_cache import JsonCache
from adapters.shared_state.locks import Lease
from adapters.shared_state.state import SharedState, namespace
from adapters.vendor_answers import LARGE_ADDITION, ensure_room

# The lease of the cart the current task is writing, checked before each vendor write.
_LEASE: ContextVar[Lease | None] = ContextVar("elasticpath_cart_lease", default=None)


def _item_id(line_id: str) -> bool:
    """Whether an id can name an Elastic Path cart item (a UUID); any other id is
    checked against a read, never sent.
    """
    try:
        uuid.UUID(line_id)
    except ValueError:
        return False
    return True


class ElasticPathBackend(ElasticPathDelivery, CartBackend):
    """Carts of one Elastic Path Commerce Cloud store."""

    backend = Backend.ELASTIC_PATH
    capabilities = frozenset({
        Capability.EMPTY_CART, Capability.CART_NAME, Capability.BUYER_EMAIL,
        Capability.CUSTOM_LINE_UPDATE, Capability.CART_TAX, Capability.TAX_ITEMS,
        Capability.CART_SETTINGS, Capability.MANUAL_DISCOUNT_TITLES,
    })

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
        catalog: JsonCache | None = None,
        rates: RateTable = EMPTY,
    ) -> None:
        self.sandbox = sandbox
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
        self._catalog = CatalogFacts(self._client, catalog if catalog is not None
                                     else shared.cache(account, ttl=CATALOG_TTL))
        self._known = KnownCarts()
        self._fields = CartFieldsMemo()
        # Carts by the answer they were built from: the app hands its own (RemembersAnswers).
        self._reads = CartReads(client=self._client, catalog=self._catalog, rates=rates,
                                known=self._known, answers=AnswerMemo(), clock=clock)

    def __repr__(self) -> str:
        return f"ElasticPathBackend(sandbox={self.sandbox})"

    def remember_answers(self, memo: AnswerMemo[Any]) -> None:
        """Remember cart answers in ``memo`` from now on (``adapters/answer_memo.py``)."""
        self._reads.remember_answers(memo)

    # Reads

    async def get_cart(self, cart_id: str) -> Cart | None:
        """None for an id Elastic Path never stored (see ``mapping.cart_exists``)."""
        return await self._reads.get_cart(cart_id)

    def catalog_answers(self) -> tuple[int, int]:
        """Products whose catalog facts were cached, and those that cost a catalog call."""
        return self._catalog.hits, self._catalog.misses

    async def _still_known(self, cart_id: str, known: KnownCart, cart: Cart) -> Cart:
        """The cart after a write made without a read, under its lock; CartNotFound when
        that write created it anew (the cart had been deleted), which is deleted again.
        """
        if cart.created_at != known.created_at:
            self._known.forget(cart_id)
            self._fields.forget(cart_id)
            await self._delete_quietly(cart_id)
            raise CartNotFound("no such cart", field=("cartId",))
        return cart

    async def _after_item_write(
        self, cart_id: str, before: Mapping[str, Any] | None, items: Any,
        currency: str | None = None,
    ) -> Cart:
        """The cart after an item write, under its lock: built from its fields ``before``
        the write and the write's ``items`` answer when they hold it all, read otherwise.
        Its fields are kept for the next holder of the lock.
        """
        answer = (cart_with_items(before, items)
                  if before is not None and isinstance(items, Mapping) else None)
        if answer is None:
            return await self._read_kept(cart_id, currency)
        cart = await self._reads.from_answer(answer, currency)
        self._keep_fields(cart_id, answer)
        return cart

    async def _read_kept(self, cart_id: str, currency: str | None = None) -> Cart:
        """The cart read under its lock, its fields kept for the next holder."""
        answer, cart = await self._reads.read_answer(cart_id, currency)
        self._keep_fields(cart_id, answer)
        return cart

    def _keep_fields(self, cart_id: str, answer: Mapping[str, Any]) -> None:
        lease = _LEASE.get()
        if lease is not None:
            self._fields.keep(cart_id, answer, lease.fence)

    async def _delete_quietly(self, cart_id: str) -> None:
        with suppress(CartgateError):
            await self._client.delete_cart(cart_id)

    async def _cart_gone(self, cart_id: str) -> bool:
        """Whether a refused write met no cart (Elastic Path names only the item)."""
        if await self.get_cart(cart_id) is None:
            self._known.forget(cart_id)
            return True
        return False

    @asynccontextmanager
    async def _writing(
        self, cart_id: str, *, shared: bool = False,
    ) -> AsyncIterator[Mapping[str, Any] | None]:
        """Hold the cart's lock; a write conflict Elastic Path reports carries the cart.

        Yields the cart's fields as the last write through the gateway left them, when
        no other came between (``cart_fields.py``); a holder keeps them for no one else.
        ``shared``: a write of one vendor call to the cart's items, made without a check,
        which Elastic Path applies in turn with the others; it shares the lock with them,
        so adds to one cart (a shopper's several tabs, a bundle's lines) do not queue.
        """
        locked = self._locks.share(cart_id) if shared else self._locks.hold(cart_id)
        async with locked as lease:
            fields = (self._fields.peek(cart_id, lease.fence) if shared
                      else self._fields.take(cart_id, lease.fence))
            token = _LEASE.set(lease)
            try:
                yield fields
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

    # Above the complexity bound: every NewCart field is checked here, before the one create call.
    async def create_cart(self, new: NewCart) -> Cart:  # noqa: C901
        refuse_catalog_prices(new.lines, ("input",))
        refuse_gift_certificates(new.gift_certificates, ("input",))
        if new.channel_id is not None:
            raise UnsupportedOperation(
                "Elastic Path carts have no channel; a catalog rule picks the catalog by "
                "channel tag from the shopper's headers", field=("input", "channelId"))
        check_attributes(new.attributes, ("input", "attributes"))
        buyer = new.buyer or BuyerIdentity()
        if buyer.email and buyer.customer_id:
            raise email_with_customer(("input", "buyerIdentity", "email"))
        currency = new.currency or DEFAULT_CURRENCY
        entries = item_entries(new.lines, new.custom_lines, currency, ("input",))
        data: dict[str, Any] = {}
        reserved = with_reserved(None, locale=new.locale, currency=new.currency)
        if new.attributes is not None:
            data |= attribute_fields(new.attributes)
            custom = custom_attributes_body(new.attributes, reserved)
            if custom is not None:
                reserved = custom
            data |= settings_body(CartSettings(), new.attributes.settings,
                                  ("input", "attributes"))
        if buyer.email:
            data["contact"] = {"email": buyer.email}
        if reserved:
            data["custom_attributes"] = reserved
        created = await self._client.create_cart(data)
        try:
            cart_id = str(created["data"]["id"])
        except (KeyError, TypeError) as exc:
            raise ServiceUnavailable("Elastic Path created a cart without an id") from exc
        try:
            async with self._writing(cart_id):
                if buyer.customer_id:
                    await self._client.add_customer(cart_id, buyer.customer_id)
                items = await self._add(cart_id, entries, currency=new.currency)
                if new.discount_codes:
                    await replace_codes(self._client, cart_id, (), new.discount_codes, ("input",))
                elif not buyer.customer_id:
                    answer = created if items is None else cart_with_items(created, items)
                    if answer is not None:
                        cart = await self._reads.to_cart(answer, new.currency)
                        self._known.saw(cart)
                        self._keep_fields(cart_id, answer)
                        return cart
                return await self._read_kept(cart_id, new.currency)
        except CartgateError as error:
            # A refused creation leaves nothing behind.
            with suppress(CartgateError):
                await self._client.delete_cart(cart_id)
            if isinstance(error, UnsupportedCurrency):
                error.message = messages.unsupported_currency(new.currency)
                error.field = ("input", "currencyCode")
            raise

    async def add_lines(
        self,
        cart_id: str,
        lines: Sequence[LineToAdd],
        custom_lines: Sequence[CustomLineToAdd],
        *,
        expected_version: str | None = None,
        gift_certificates: Sequence[GiftCertificateToAdd] = (),
    ) -> Cart:
        refuse_catalog_prices(lines, ())
        refuse_gift_certificates(gift_certificates, ())
        added = [*(line.quantity for line in lines), *(line.quantity for line in custom_lines)]
        # A large addition takes the path that reads the cart, so its total stays an Int.
        known = (self._known.get(cart_id)
                 if expected_version is None and sum(added) < LARGE_ADDITION else None)
        if known is not None:
            return await self._add_known(cart_id, known, lines, custom_lines)
        async with self._writing(cart_id):
            before, cart = await self._checked_full(cart_id, expected_version)
            ensure_room(cart, added, ("lines",))
            entries = item_entries(lines, custom_lines, cart.currency, ())
            # The currency the cart shows, also while it is empty (see mapping._currency).
            items = await self._add(cart_id, entries, currency=cart.currency)
            return await self._after_item_write(cart_id, before, items, cart.currency)

    async def _add(self, cart_id: str, entries: list[Entry], *, currency: str | None) -> Any:
        """The items answer of the add (None: nothing to add); a refused product that
        needs options is named with them.
        """
        return await add_entries(self._client, cart_id, entries, currency=currency,
                                 tell=self._told)

    async def _told(self, error: CartUserError, entry: Entry) -> CartUserError:
        """A product that needs options, named with the options it needs (the catalog's)."""
        product_id = entry[0].get("id")
        if isinstance(error, NeedsOptions) and isinstance(product_id, str):
            with suppress(CartgateError):
                parent = (await self._catalog.facts([product_id])).get(product_id)
                if parent is not None:
                    error.message = messages.needs_options(parent.variation_names)
        return error

    async def _add_known(
        self, cart_id: str, known: KnownCart, lines: Sequence[LineToAdd],
        custom_lines: Sequence[CustomLineToAdd],
    ) -> Cart:
        """Add to a known cart without reading it first.

        A refusal is the shopper's error as on the read path, or CART_NOT_FOUND when the
        cart is gone; either way the cart is forgotten, so the next change reads it (its
        currency may have changed since, if another process emptied and refilled it).
        """
        entries = item_entries(lines, custom_lines, known.currency, ())
        async with self._writing(cart_id, shared=True) as before:
            try:
                # The currency the cart shows, also while it is empty, as on the read path.
                items = await self._add(cart_id, entries, currency=known.currency)
            except CartUserError:
                self._known.forget(cart_id)
                if await self._cart_gone(cart_id):
                    raise CartNotFound("no such cart", field=("cartId",)) from None
                raise
            cart = await self._after_item_write(cart_id, before, items, known.currency)
            return await self._still_known(cart_id, known, cart)

    # Above the complexity bound: the one-call quantity change, then the planned change that puts
    # back what it did when a step is refused.
    async def update_lines(  # noqa: C901
        self, cart_id: str, updates: Sequence[LineUpdate], *, expected_version: str | None = None
    ) -> Cart | None:
        for index, update in enumerate(updates):
            if update.list_price is not None:
                raise no_list_price(("lines", str(index), "listPrice"))
        quantity = updates[0].quantity if len(updates) == 1 else None
        if expected_version is None and quantity is not None and _item_id(updates[0].line_id):
            line_id = updates[0].line_id
            async with self._writing(cart_id, shared=True) as before:
                items = await self._direct(cart_id, ("lines", "0", "id"), self._client.update_item(
                    cart_id, line_id, {"type": "cart_item", "id": line_id, "quantity": quantity},
                ) if quantity > 0 else self._client.delete_item(cart_id, line_id))
                return await self._after_item_write(cart_id, before, items)
        async with self._writing(cart_id):
            before, cart = await self._checked_full(cart_id, expected_version)
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
            answer: Any = None  # the last write's answer: the cart's answer after them all
            for line_id, quantity, was, at in (p for p in planned if p[1] > 0):
                try:
                    answer = await self._client.update_item(
                        cart_id, line_id, {"type": "cart_item", "id": line_id,
                                           "quantity": quantity})
                except CartUserError as error:
                    await self._restore_quantities(cart_id, done)
                    raise locate(error, ({}, at, "id")) from None
                done.append((line_id, was))
            for line_id in dict.fromkeys(p[0] for p in planned if p[1] == 0):
                answer = await self._client.delete_item(cart_id, line_id)
            if not planned:
                return cart
            return await self._after_item_write(cart_id, before, answer)

    async def _direct(self, cart_id: str, field: Path, write: Awaitable[Any]) -> Any:
        """One write to a line, without a read first, and its answer: the vendor's 404 is
        LINE_NOT_FOUND, or CART_NOT_FOUND when the cart is gone; nothing changed either way.
        """
        try:
            return await write
        except LineNotFound:
            if await self._cart_gone(cart_id):
                raise CartNotFound("no such cart", field=("cartId",)) from None
            raise LineNotFound("the cart has no such line", field=field) from None
        except VersionConflict:
            raise
        except CartUserError as error:
            raise locate(error, ({}, field[:-1], "id")) from None

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
        if expected_version is None and len(line_ids) == 1 and _item_id(line_ids[0]):
            async with self._writing(cart_id, shared=True) as before:
                items = await self._direct(cart_id, ("lineIds", "0"),
                                           self._client.delete_item(cart_id, line_ids[0]))
                return await self._after_item_write(cart_id, before, items)
        async with self._writing(cart_id):
            before, cart = await self._checked_full(cart_id, expected_version)
            for index, line_id in enumerate(line_ids):
                if cart.line(line_id) is None:
                    raise LineNotFound("the cart has no such line", field=("lineIds", str(index)))
            if not line_ids:
                return cart
            answer: Any = None
            for line_id in dict.fromkeys(line_ids):
                answer = await self._client.delete_item(cart_id, line_id)
            return await self._after_item_write(cart_id, before, answer)

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
        return await self._reads.read(cart_id)

    async def update_attributes(
        self, cart_id: str, attributes: CartAttributes, *, expected_version: str | None = None
    ) -> Cart:
        check_attributes(attributes, ("attributes",))
        async with self._writing(cart_id):
            payload, cart = await self._reads.at_version(cart_id, expected_version)
            wanted: dict[str, Any] = {
                key: value for key, value in attribute_fields(attributes).items()
                if getattr(cart, key) != (value or None)
            }
            # The current custom attributes as sent: a write replaces them all.
            custom = custom_attributes_body(attributes, payload["data"].get("custom_attributes"))
            if custom is not None:
                wanted["custom_attributes"] = custom
            wanted |= settings_body(cart.settings or CartSettings(), attributes.settings,
                                    ("attributes",))
            if not wanted:
                return cart
            await self._client.update_cart(cart_id, wanted)
        return await self._reads.read(cart_id)

    async def update_manual_discounts(
        self, cart_id: str, discounts: Sequence[ManualDiscount], *,
        expected_version: str | None = None,
    ) -> Cart:
        """Custom discounts replaced: the old ones deleted, the new ones added in one call."""
        async with self._writing(cart_id):
            payload, cart = await self._reads.at_version(cart_id, expected_version)
            entries = discount_entries(cart, discounts)
            settings = cart.settings or CartSettings()
            if entries and settings.use_rule_promotions:
                raise InvalidInput("Elastic Path takes no custom discounts on a cart that uses "
                                   "rule promotions", field=("discounts",))
            present = custom_discounts(payload)
            if not entries and not present:
                return cart
            if entries and not settings.custom_discounts_enabled:
                await self._client.update_cart(cart_id, {"discount_settings": {
                    "custom_discounts_enabled": True, "use_rule_promotions": False}})
            if any(item_of(cd) is None for cd in present):
                await self._client.delete_cart_custom_discounts(cart_id)
            for cd in present:
                if (item := item_of(cd)) is not None:
                    await self._client.delete_item_custom_discount(cart_id, item, str(cd["id"]))
            if entries:
                await self._client.add_custom_discounts(cart_id, entries)
        return await self._reads.read(cart_id)

    async def update_discount_codes(
        self, cart_id: str, codes: Sequence[str], *, expected_version: str | None = None
    ) -> Cart:
        known = self._known.get(cart_id) if expected_version is None else None
        if known is not None and len(codes) == 1:
            return await self._apply_one_code(cart_id, known, codes[0])
        async with self._writing(cart_id):
            cart = await self.checked_cart(cart_id, expected_version)
            present = tuple(c.code for c in cart.discount_codes)
            if not await replace_codes(self._client, cart_id, present, codes, ()):
                return cart
        return await self._reads.read(cart_id)

    async def _apply_one_code(self, cart_id: str, known: KnownCart, code: str) -> Cart:
        """Make one code the cart's only one: add it (a code already applied is kept as
        it is), then read the cart, and take off any other code it shows.
        """
        async with self._writing(cart_id) as before:
            try:
                items = await self._client.add_items(
                    cart_id, [{"type": "promotion_item", "code": code}], about="promotion")
            except VersionConflict:
                raise
            except CartUserError:
                if await self._cart_gone(cart_id):
                    raise CartNotFound("no such cart", field=("cartId",)) from None
                raise InvalidDiscountCode(messages.code_refused(code),
                                          field=("discountCodes", "0")) from None
            cart = await self._still_known(
                cart_id, known, await self._after_item_write(cart_id, before, items))
            stale = [c.code for c in cart.discount_codes if c.code.upper() != code.upper()]
            if not stale:
                return cart
            for other in stale:
                await self._client.delete_promotion_code(cart_id, other)
            return await self._read_kept(cart_id)

    async def delete_cart(self, cart_id: str) -> None:
        """Elastic Path answers 204 to deleting a cart it never had, so CART_NOT_FOUND
        needs a read, unless the last write through the gateway left the cart and none
        came since (its fields are this holder's): then the delete goes alone.
        """
        async with self._writing(cart_id) as fields:
            if fields is None and await self.get_cart(cart_id) is None:
                raise CartNotFound("no such cart", field=("cartId",))
            await self._client.delete_cart(cart_id)
            self._known.forget(cart_id)

    async def delete_cart_if_at(self, cart_id: str, version: str) -> Cart | None:
        # Under the cart's lock no write through the gateway lands between read and delete.
        async with self._writing(cart_id):
            cart = await self.get_cart(cart_id)
            if cart is None:
                return None
            if cart.version != version:
                return cart
            await self._client.delete_cart(cart_id)
        return None

    async def ping(self) -> None:
        await self._client.ping()

    async def aclose(self) -> None:
        await self._client.aclose()
        await self._tokens.aclose()
