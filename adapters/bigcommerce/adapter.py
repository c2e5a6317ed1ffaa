"""CartBackend for BigCommerce: commands -> Carts v3 calls, answers -> the model.

BigCommerce checks versions itself: ``version`` in a write body must match or it
answers 409. Changes that take several calls (lines, coupons) chain the version each
answer returns, so a foreign write between two of our calls is caught, not overwritten.

Round trips are kept to what the vendor needs: a SKU's variant comes from the catalog
cache once it was resolved (``adapters.shared_state.json_cache``), and a one-line update
or removal of a line this process has answered with goes straight to the write, whose
answer is the whole cart; the vendor's version check and 404 make it as safe as a read
first.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from typing import Any, TypeVar

import httpx

from adapters import user_messages as messages
from adapters.answer_memo import AnswerMemo
from adapters.base import CartBackend, at_version
from adapters.bigcommerce import metafields
from adapters.bigcommerce.bodies import (
    customer_number,
    email_unsupported,
    native_version,
    next_version,
    number,
    put_version,
    refuse_attributes,
    version_number,
)
from adapters.bigcommerce.checkout_mapping import checkout_to_cart
from adapters.bigcommerce.client import BigCommerceClient
from adapters.bigcommerce.delivery import BigCommerceDelivery, ConsignedCarts
from adapters.bigcommerce.gift_certificates import gift_certificate_bodies
from adapters.bigcommerce.held_carts import LIFETIME, HeldCarts, is_held
from adapters.bigcommerce.known_lines import KnownLine, KnownLines
from adapters.bigcommerce.manual_discounts import discounts_body
from adapters.bigcommerce.mapping import to_cart
from adapters.bigcommerce.metafields import Stored, attributes_need_a_line
from adapters.bigcommerce.reads import read_cart
from adapters.bigcommerce.refusals import tell_refusal
from adapters.bigcommerce.skus import SkuResolver
from adapters.capabilities import Capability
from adapters.errors import (
    CartgateError,
    CartNotFound,
    InvalidDiscountCode,
    InvalidInput,
    LineNotFound,
    ServiceUnavailable,
    UnsupportedOperation,
    VersionConflict,
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
    ManualDiscount,
    NewCart,
)
from adapters.observer import BackendObserver
from adapters.request_context import attributes_wanted
from adapters.shared_state.json_cache import JsonCache, LocalJsonCache
from adapters.shared_state.state import SharedState, namespace
from adapters.unversioned import retried_when_unversioned
from adapters.vendor_answers import LARGE_ADDITION, ensure_room

_T = TypeVar("_T")


def _carrying_attributes(before: Cart, after: Cart) -> Cart:
    """A cart a line, customer or coupon write answered with: its metafields are unchanged."""
    if (after.attributes, after.note) == (before.attributes, before.note):
        return after
    return dataclasses.replace(after, attributes=before.attributes, note=before.note)


# One write of a chain: given the version to send, the call to await.
_Write = Callable[[int | None], Awaitable[Any]]
_Step = tuple[tuple[str, ...], _Write]
# Seconds a SKU's variant is remembered when no cache is given (CARTGATE_CATALOG_CACHE_TTL).
CATALOG_TTL = 300.0
_FIXED_LINES = (LineKind.CUSTOM, LineKind.GIFT_CERTIFICATE)


class BigCommerceBackend(BigCommerceDelivery, CartBackend):
    """Carts of one BigCommerce store."""

    backend = Backend.BIGCOMMERCE
    capabilities = frozenset({
        Capability.LINE_LEVEL_COUPON_ALLOCATION, Capability.CATALOG_LIST_PRICE,
        Capability.OPTION_SELECTION, Capability.CHECKOUT_URL, Capability.DELIVERY_QUOTES,
        Capability.VENDOR_TAX, Capability.BILLING_ADDRESS, Capability.GIFT_CERTIFICATES,
        Capability.GIFT_WRAPPING,
        Capability.CHANNELS, Capability.PROMOTION_BANNERS,
    })

    def __init__(
        self,
        *,
        api_url: str,
        store_hash: str,
        access_token: str,
        timeout: float,
        sandbox: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        observer: BackendObserver | None = None,
        shared: SharedState | None = None,
        catalog: JsonCache | None = None,
        consignments: JsonCache | None = None,
    ) -> None:
        self.sandbox = sandbox
        self._client = BigCommerceClient(
            api_url=api_url, store_hash=store_hash, access_token=access_token,
            timeout=timeout, transport=transport, observer=observer,
        )
        self._skus = SkuResolver(self._client, catalog if catalog is not None
                                 else LocalJsonCache(ttl=CATALOG_TTL))
        self._known = KnownLines()
        # Carts by the answer they were built from: the app hands its own (RemembersAnswers).
        self._read_carts: AnswerMemo[Cart] = AnswerMemo()
        self._consigned = ConsignedCarts(consignments)
        shared = shared or SharedState()
        account = namespace("bigcommerce", api_url.rstrip("/"), store_hash)
        self._held = HeldCarts(self, shared.records(account, ttl=LIFETIME.total_seconds()),
                               shared.locks(account))

    def __repr__(self) -> str:
        return f"BigCommerceBackend(sandbox={self.sandbox})"

    def remember_answers(self, memo: AnswerMemo[Any]) -> None:
        """Remember cart answers in ``memo`` from now on (``adapters/answer_memo.py``)."""
        self._read_carts = memo

    # Reads

    async def get_cart(self, cart_id: str) -> Cart | None:
        if is_held(cart_id):
            return await self._held.get(cart_id)
        found = await self._cart_and_metafields(cart_id)
        return None if found is None else found[0]

    async def _cart_and_metafields(self, cart_id: str, *,
                                   always: bool = False) -> tuple[Cart, Stored] | None:
        """The cart carrying its attributes, and its metafields with their ids."""
        try:
            entry = await self._consigned.entry(cart_id)
            if entry is not None:
                locale = entry.get("locale")
                checkout, stored = await self._alongside(
                    cart_id, self._client.get_checkout(cart_id), always=always)
                cart = checkout_to_cart(checkout, locale if isinstance(locale, str) else None)
                await self._consigned.note(cart)
                return stored.on(cart), stored
            answer, stored = await self._alongside(
                cart_id, self._client.get_cart_answer(cart_id), always=always)
        except CartNotFound:
            return None
        return stored.on(self._seen(read_cart(answer, self._read_carts))), stored

    async def _alongside(self, cart_id: str, call: Awaitable[_T], *,
                         always: bool = False) -> tuple[_T, Stored]:
        """``call``'s result and the cart's attributes, both asked for at once; the
        attributes only when the operation shows them (or ``always``).
        """
        if not (always or attributes_wanted.get()):
            return await call, metafields.UNREAD
        listing = asyncio.ensure_future(metafields.read_stored(self._client, cart_id))
        try:
            result = await call
        except BaseException:
            listing.cancel()
            with suppress(Exception, asyncio.CancelledError):
                await listing
            raise
        return result, await listing

    def _seen(self, cart: Cart) -> Cart:
        self._known.saw(cart)
        self._consigned.saw(cart)
        return cart

    def _to_cart(self, data: Any) -> Cart:
        return self._seen(to_cart(data, self._read_carts.lines))

    async def _landed(self, data: Any) -> Cart:
        """The cart of a Carts API answer; one with a consignment as its checkout shows it
        (shipping, tax, grand total): one more read, for such carts only.
        """
        cart = self._to_cart(data)
        if await self._consigned.entry(cart.id) is None:
            return cart
        return await self.get_cart(cart.id) or cart

    async def _native_version(self, cart_id: str, expected: str | None) -> int | None:
        """The version to send BigCommerce; a derived one is checked here instead."""
        if expected is None:
            return None
        if (number := version_number(expected)) is not None:
            return number
        return native_version(await self.checked_cart(cart_id, expected))

    async def _conflict(self, cart_id: str, error: VersionConflict) -> VersionConflict:
        """The same conflict, carrying the cart as it is now."""
        error.current = await self.get_cart(cart_id)
        return error

    # Creation and lines

    async def create_cart(self, new: NewCart) -> Cart:
        refuse_attributes(new.attributes, prefix=("input", "attributes"))
        if new.buyer is not None and new.buyer.email is not None:
            raise email_unsupported(("input", "buyerIdentity", "email"))
        if new.buyer is not None and new.buyer.customer_id is not None:
            customer_number(new.buyer.customer_id, ("input", "buyerIdentity", "customerId"))
        if not new.lines and not new.custom_lines and not new.gift_certificates:
            # BigCommerce cannot hold an empty cart: the gateway does (see held_carts).
            if metafields.wanted_fields(metafields.UNREAD,
                                        new.attributes or CartAttributes()) is not None:
                raise attributes_need_a_line(("input", "attributes", "attributes"))
            return await self._held.create(new)
        cart = await self.create_with_lines(new, prefix=("input",))
        wanted = metafields.wanted_fields(metafields.UNREAD, new.attributes or CartAttributes())
        if wanted is not None:
            try:
                await metafields.write(self._client, cart.id, metafields.UNREAD, wanted)
            except CartgateError:
                await self._delete_quietly(cart.id)
                raise
            cart = metafields.kept(wanted).on(cart)
        if new.discount_codes:
            try:
                cart = await self.update_discount_codes(cart.id, new.discount_codes)
            except CartgateError as error:
                # Creation is all or nothing: a cart whose codes were refused is removed.
                await self._delete_quietly(cart.id)
                error.field = ("input", *(error.field or ()))
                raise
        return cart

    async def create_with_lines(self, new: NewCart, *, prefix: tuple[str, ...]) -> Cart:
        """A vendor cart with the lines, currency, locale and customer of ``new``."""
        extra: dict[str, Any] = gift_certificate_bodies(new.gift_certificates, prefix)
        if new.channel_id is not None:
            extra["channel_id"] = new.channel_id
        if new.currency:
            extra["currency"] = {"code": new.currency}
        if new.locale:
            extra["locale"] = new.locale
        if new.buyer is not None and new.buyer.customer_id is not None:
            extra["customer_id"] = customer_number(new.buyer.customer_id,
                                                    (*prefix, "buyerIdentity", "customerId"))
        try:
            return self._to_cart(await self._skus.send(
                new.lines, new.custom_lines, prefix,
                lambda body: self._client.create_cart(body | extra)))
        except CartgateError as error:
            raise await tell_refusal(error, new.lines, prefix, self._client,
                                     currency=new.currency) from None

    async def add_lines(
        self,
        cart_id: str,
        lines: Sequence[LineToAdd],
        custom_lines: Sequence[CustomLineToAdd],
        *,
        expected_version: str | None = None,
        gift_certificates: Sequence[GiftCertificateToAdd] = (),
    ) -> Cart:
        gifts = gift_certificate_bodies(gift_certificates, ())
        if is_held(cart_id):
            return await self._held.add_lines(cart_id, lines, custom_lines, expected_version,
                                              gift_certificates=gift_certificates)
        added = [*(line.quantity for line in lines), *(line.quantity for line in custom_lines)]
        if sum(added) >= LARGE_ADDITION:
            # A large addition reads the cart first, so totalQuantity stays an Int; a
            # small one goes straight to the vendor.
            number = version_number(expected_version) if expected_version is not None else None
            cart = await self.checked_cart(cart_id, expected_version if number is None else None)
            ensure_room(cart, added, ("lines",))
            version = number if number is not None or expected_version is None \
                else native_version(cart)
        else:
            version = await self._native_version(cart_id, expected_version)
        try:
            data, stored = await self._alongside(cart_id, self._skus.send(
                lines, custom_lines, (),
                lambda body: self._client.add_items(cart_id, put_version(body | gifts, version))))
            return stored.on(await self._landed(data))
        except VersionConflict as error:
            raise await self._conflict(cart_id, error) from None
        except CartgateError as error:
            raise await tell_refusal(error, lines, (), self._client) from None

    @retried_when_unversioned
    async def update_lines(
        self, cart_id: str, updates: Sequence[LineUpdate], *, expected_version: str | None = None
    ) -> Cart | None:
        if is_held(cart_id):
            return await self._held.update_lines(cart_id, updates, expected_version)
        known = self._known_single(cart_id, [u.line_id for u in updates], expected_version)
        quantity = updates[0].quantity if updates else None
        if known is not None and quantity is not None:
            update = updates[0]
            if known.kind in _FIXED_LINES and quantity != 0:
                raise UnsupportedOperation(
                    "BigCommerce cannot change a custom or gift certificate line; "
                    "remove it and add it again",
                    field=("lines", "0", "id"),
                )
            write = self._line_write(cart_id, update.line_id, known, update, quantity)
            return await self._direct(cart_id, write, expected_version, ("lines", "0", "id"))
        cart = await self.checked_cart(cart_id, expected_version)
        planned = []
        for index, update in enumerate(updates):
            if update.quantity is None and update.list_price is None:
                continue
            line = cart.line(update.line_id)
            if line is None:
                raise LineNotFound("the cart has no such line", field=("lines", str(index), "id"))
            if line.kind in (LineKind.CUSTOM, LineKind.GIFT_CERTIFICATE) and update.quantity != 0:
                raise UnsupportedOperation(
                    "BigCommerce cannot change a custom or gift certificate line; "
                    "remove it and add it again",
                    field=("lines", str(index), "id"),
                )
            planned.append((index, update, line))

        if not planned:
            return cart
        steps: list[_Step] = [
            (("lines", str(index)),
             self._line_write(cart_id, line.id, KnownLine(line.kind, line.product_id,
                                                          line.variant_id),
                              update, line.quantity))
            for index, update, line in planned
        ]
        data = await self._chain(cart_id, cart, steps)
        return _carrying_attributes(cart, await self._landed(data)) if data is not None else None

    def _known_single(
        self, cart_id: str, line_ids: Sequence[str], expected_version: str | None
    ) -> KnownLine | None:
        """The line a one-line change names, when it can go to the vendor without a read.

        Several lines are checked against a read first, so that a missing one changes
        nothing; a derived (non-BigCommerce) version is checked against a read too.
        """
        if len(line_ids) != 1 or (expected_version is not None
                                  and version_number(expected_version) is None):
            return None
        return self._known.get(cart_id, line_ids[0])

    async def _direct(
        self, cart_id: str, write: _Write, expected_version: str | None, field: tuple[str, ...]
    ) -> Cart | None:
        """One write carrying the expected version; its answer is the cart (None: deleted)."""
        version = version_number(expected_version) if expected_version is not None else None
        try:
            data, stored = await self._alongside(cart_id, self._write(cart_id, write(version)))
        except LineNotFound as error:
            # BigCommerce answers 404 alike for a gone line and a gone cart.
            if await self.get_cart(cart_id) is None:
                raise CartNotFound("no such cart", field=("cartId",)) from None
            error.field = field
            raise
        except CartgateError as error:
            error.field = error.field or field
            raise
        return stored.on(await self._landed(data)) if data is not None else None

    def _line_write(
        self, cart_id: str, line_id: str, line: KnownLine, update: LineUpdate, quantity: int
    ) -> _Write:
        if update.quantity == 0:
            return lambda version: self._client.delete_item(
                cart_id, line_id, put_version({}, version)
            )
        item: dict[str, Any] = {
            "product_id": number(line.product_id),
            "quantity": update.quantity if update.quantity is not None else quantity,
        }
        if line.variant_id is not None:
            item["variant_id"] = number(line.variant_id)
        if update.list_price is not None:
            item["list_price"] = update.list_price
        return lambda version: self._client.update_item(
            cart_id, line_id, put_version({"line_item": item}, version)
        )

    async def _chain(self, cart_id: str, cart: Cart, steps: Sequence[_Step]) -> Any:
        """Run writes in order, each carrying the version the previous answer returned.

        The cart's data after the last write, or None when a write deleted the cart. A
        failure after some writes says which were applied and carries the cart as it is.
        """
        version = native_version(cart)
        data: Any = None
        applied: list[str] = []
        for field, write in steps:
            try:
                data = await self._write(cart_id, write(version))
            except CartgateError as error:
                error.field = error.field or field
                if applied:
                    error.message += f" (already applied: {', '.join(applied)})"
                    if error.current is None:
                        error.current = await self._cart_or_none(cart_id)
                raise
            applied.append(".".join(field))
            if data is None:
                return None
            version = next_version(data)
        return data

    async def _delete_quietly(self, cart_id: str) -> None:
        try:
            await self._client.delete_cart(cart_id)
        except CartgateError:
            pass

    async def _cart_or_none(self, cart_id: str) -> Cart | None:
        try:
            return await self.get_cart(cart_id)
        except CartgateError:
            return None

    @retried_when_unversioned
    async def remove_lines(
        self, cart_id: str, line_ids: Sequence[str], *, expected_version: str | None = None
    ) -> Cart | None:
        if is_held(cart_id):
            return await self._held.remove_lines(cart_id, line_ids, expected_version)
        if self._known_single(cart_id, line_ids, expected_version) is not None:
            return await self._direct(cart_id, self._removal(cart_id, line_ids[0]),
                                      expected_version, ("lineIds", "0"))
        cart = await self.checked_cart(cart_id, expected_version)
        for index, line_id in enumerate(line_ids):
            if cart.line(line_id) is None:
                raise LineNotFound("the cart has no such line", field=("lineIds", str(index)))
        steps: list[_Step] = [
            (("lineIds", str(index)), self._removal(cart_id, line_id))
            for index, line_id in enumerate(line_ids)
            if line_id not in line_ids[:index]
        ]
        if not steps:
            return cart
        data = await self._chain(cart_id, cart, steps)
        return _carrying_attributes(cart, await self._landed(data)) if data is not None else None

    def _removal(self, cart_id: str, line_id: str) -> _Write:
        return lambda version: self._client.delete_item(cart_id, line_id, put_version({}, version))

    # Buyer, attributes, discounts

    @retried_when_unversioned
    async def update_buyer_identity(
        self, cart_id: str, buyer: BuyerIdentity, *, expected_version: str | None = None
    ) -> Cart:
        if buyer.email is not None:
            raise email_unsupported(("buyerIdentity", "email"))
        if is_held(cart_id):
            if buyer.customer_id is not None:
                customer_number(buyer.customer_id, ("buyerIdentity", "customerId"))
            return await self._held.update_buyer_identity(cart_id, buyer.customer_id,
                                                          expected_version)
        cart = await self.checked_cart(cart_id, expected_version)
        if buyer.customer_id is None:
            return cart
        body = put_version(
            {"customer_id": customer_number(buyer.customer_id, ("buyerIdentity", "customerId"))},
            native_version(cart),
        )
        data = await self._write(cart_id, self._client.update_cart(cart_id, body))
        return _carrying_attributes(cart, await self._landed(data))

    async def update_attributes(
        self, cart_id: str, attributes: CartAttributes, *, expected_version: str | None = None
    ) -> Cart:
        """Pairs and note as metafields, after moving the cart's version.

        Metafields do not move BigCommerce's ``version``, so the cart is first written
        back unchanged (its own ``customer_id`` with the version it was read at): that
        checks the version atomically, as every other write does, and moves it, so a
        client holding the old version learns that the cart changed.
        """
        refuse_attributes(attributes, prefix=("attributes",))
        if is_held(cart_id):
            return await self._held.update_attributes(cart_id, attributes, expected_version)
        found = await self._cart_and_metafields(cart_id, always=True)
        if found is None:
            raise CartNotFound("no such cart", field=("cartId",))
        cart, stored = found
        at_version(cart, expected_version)
        wanted = metafields.wanted_fields(stored, attributes)
        if wanted is None:
            return cart
        body = put_version({"customer_id": customer_number(cart.customer_id or "", ())},
                           native_version(cart))
        moved = self._to_cart(await self._write(cart_id, self._client.update_cart(cart_id, body)))
        await metafields.write(self._client, cart_id, stored, wanted)
        return metafields.kept(wanted).on(moved)

    @retried_when_unversioned
    async def update_discount_codes(
        self, cart_id: str, codes: Sequence[str], *, expected_version: str | None = None
    ) -> Cart:
        if is_held(cart_id):
            return await self._held.update_discount_codes(cart_id, codes, expected_version)
        if len(codes) == 1 and (expected_version is None
                                or version_number(expected_version) is not None):
            return await self._apply_one_code(cart_id, codes[0], expected_version)
        cart = await self.checked_cart(cart_id, expected_version)
        return await self._replace_codes(cart_id, cart, codes)

    async def _apply_one_code(self, cart_id: str, code: str, expected: str | None) -> Cart:
        """Make one code the cart's only one without reading it first: add it (the
        checkout answer lists every code), take off the others, then read the cart.
        """
        version = version_number(expected) if expected is not None else None
        try:
            checkout = await self._write(cart_id, self._client.add_coupon(
                cart_id, put_version({"coupon_code": code}, version)))
        except InvalidDiscountCode:
            # BigCommerce answers 404 alike for a gone cart and an unknown code.
            cart = await self.get_cart(cart_id)
            if cart is None:
                raise CartNotFound("no such cart", field=("cartId",)) from None
            if code.upper() in {c.code.upper() for c in cart.discount_codes}:
                return await self._replace_codes(cart_id, cart, [code])
            raise InvalidDiscountCode(messages.code_refused(code),
                                      field=("discountCodes", "0")) from None
        version = next_version(checkout)
        listed = checkout.get("coupons") if isinstance(checkout, Mapping) else None
        if not isinstance(listed, list | None):
            raise ServiceUnavailable("BigCommerce answered a coupon with coupons that are "
                                     "not a list")
        for other in [str(c.get("code")) for c in listed or [] if isinstance(c, Mapping)
                      and str(c.get("code")).upper() != code.upper()]:
            checkout = await self._write(cart_id, self._client.delete_coupon(
                cart_id, other, put_version({}, version)))
            version = next_version(checkout)
        return await self.checked_cart(cart_id, None)

    async def _replace_codes(self, cart_id: str, cart: Cart, codes: Sequence[str]) -> Cart:
        present = {c.code.upper(): c.code for c in cart.discount_codes}
        wanted = {code.upper(): code for code in codes}
        version = native_version(cart)
        added: list[str] = []
        for index, code in enumerate(codes):
            if code.upper() in present or code in added:
                continue
            try:
                checkout = await self._write(
                    cart_id,
                    self._client.add_coupon(cart_id, put_version({"coupon_code": code}, version)),
                )
            except InvalidDiscountCode:
                await self._remove_coupons(cart_id, added)
                raise InvalidDiscountCode(messages.code_refused(code),
                                          field=("discountCodes", str(index))) from None
            added.append(code)
            version = next_version(checkout)
        stale = [code for upper, code in present.items() if upper not in wanted]
        for code in stale:
            checkout = await self._write(
                cart_id, self._client.delete_coupon(cart_id, code, put_version({}, version))
            )
            version = next_version(checkout)
        if not added and not stale:
            return cart
        return await self.checked_cart(cart_id, None)

    async def _remove_coupons(self, cart_id: str, codes: Sequence[str]) -> None:
        # Undo what an all-or-nothing update already applied; best effort.
        for code in codes:
            try:
                await self._client.delete_coupon(cart_id, code, {})
            except CartgateError:
                pass

    async def update_manual_discounts(
        self, cart_id: str, discounts: Sequence[ManualDiscount], *,
        expected_version: str | None = None,
    ) -> Cart:
        """The whole new set in one checkout discounts POST (BigCommerce replaces the old
        set with each call), after one read that checks the version and the lines.
        """
        cart = await self.checked_cart(cart_id, expected_version)
        if is_held(cart_id):
            if discounts:
                raise InvalidInput("a cart without lines takes no manual discount",
                                   field=("discounts",))
            return cart
        body = discounts_body(cart, discounts, native_version(cart))
        checkout = await self._write(cart_id, self._client.add_checkout_discounts(cart_id, body))
        after = checkout_to_cart(checkout, cart.locale)
        after = dataclasses.replace(after, checkout_url=cart.checkout_url,
                                    promotion_banners=cart.promotion_banners)
        return self._seen(_carrying_attributes(cart, after))

    async def delete_cart(self, cart_id: str) -> None:
        if is_held(cart_id):
            return await self._held.delete(cart_id)
        await self._client.delete_cart(cart_id)

    async def ping(self) -> None:
        await self._client.ping()

    async def aclose(self) -> None:
        await self._client.aclose()

    # Helpers

    async def _write(self, cart_id: str, call: Any) -> Any:
        try:
            return await call
        except VersionConflict as error:
            raise await self._conflict(cart_id, error) from None
