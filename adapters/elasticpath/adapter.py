"""CartBackend for Elastic Path: commands -> v2 carts calls, answers -> the model.

Elastic Path has no cart version and no concurrency control. Every write through this
backend holds the cart's lock (``adapters.locks``) while it reads the cart, compares
the derived version with ``expected_version`` and writes, so the check and the write
are atomic for every write made through the gateway process. The cart returned is read
after the lock is released: it is the cart as it is now.

Several lines are added in one all-or-nothing request; when Elastic Path refuses it
without naming the entry, the entries are replayed one by one on a scratch cart
(created and deleted again) to find the one to name; the shopper's cart is untouched.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

import httpx

from adapters.base import CartBackend
from adapters.elasticpath.auth import TokenSource
from adapters.elasticpath.client import ElasticPathClient
from adapters.elasticpath.mapping import DEFAULT_CURRENCY, cart_exists, to_cart
from adapters.errors import (
    BackendError,
    CartgateError,
    CartNotFound,
    CartUserError,
    InsufficientStock,
    InvalidDiscountCode,
    InvalidInput,
    LineNotFound,
    MerchandiseNotFound,
    ServiceUnavailable,
    UnsupportedOperation,
    VersionConflict,
)
from adapters.locks import KeyedLocks
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
from adapters.money import Money

Path = tuple[str, ...]
# An entry of an add-items request, where it came from, and the field naming its product.
Entry = tuple[dict[str, Any], Path, str]
MAX_TEXT = 255


class ElasticPathBackend(CartBackend):
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
    ) -> None:
        self.sandbox = sandbox
        self._tokens = TokenSource(api_url=api_url, client_id=client_id,
                                   client_secret=client_secret, timeout=timeout,
                                   transport=transport, clock=clock)
        self._client = ElasticPathClient(api_url=api_url, tokens=self._tokens,
                                         timeout=timeout, transport=transport)
        self._locks = KeyedLocks()

    def __repr__(self) -> str:
        return f"ElasticPathBackend(sandbox={self.sandbox})"

    # Reads

    async def get_cart(self, cart_id: str) -> Cart | None:
        """None for an id Elastic Path never stored (see ``mapping.cart_exists``)."""
        try:
            payload = await self._client.get_cart(cart_id)
        except CartNotFound:
            return None
        return to_cart(payload) if cart_exists(payload) else None

    async def _read(self, cart_id: str, currency_hint: str | None = None) -> Cart:
        return to_cart(await self._client.get_cart(cart_id), currency_hint=currency_hint)

    async def _current(self, cart_id: str, expected_version: str | None) -> Cart:
        cart = await self.get_cart(cart_id)
        if cart is None:
            raise CartNotFound("no such cart", field=("cartId",))
        if expected_version is not None and expected_version != cart.version:
            raise VersionConflict(
                f"the cart is at version {cart.version}, not {expected_version}", current=cart
            )
        return cart

    @asynccontextmanager
    async def _writing(self, cart_id: str) -> AsyncIterator[None]:
        """Hold the cart's lock; a write conflict Elastic Path reports carries the cart."""
        async with self._locks.hold(cart_id):
            try:
                yield
            except VersionConflict as error:
                if error.current is None:
                    error.current = await self.get_cart(cart_id)
                raise

    # Creation and lines

    async def create_cart(self, new: NewCart) -> Cart:
        _refuse_catalog_prices(new.lines, ("input",))
        _check_attributes(new.attributes, ("input", "attributes"))
        buyer = new.buyer or BuyerIdentity()
        if buyer.email and buyer.customer_id:
            raise _email_with_customer(("input", "buyerIdentity", "email"))
        currency = new.currency or DEFAULT_CURRENCY
        entries = _entries(new.lines, new.custom_lines, currency, ("input",))
        data: dict[str, Any] = {}
        if new.attributes is not None:
            data |= _attribute_fields(new.attributes)
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
        _refuse_catalog_prices(lines, ())
        async with self._writing(cart_id):
            cart = await self._current(cart_id, expected_version)
            entries = _entries(lines, custom_lines, cart.currency, ())
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
                raise _locate(error, entries[0]) from None
            raise await self._culprit(entries, currency, error) from None

    async def _culprit(
        self, entries: list[Entry], currency: str | None, refused: CartUserError
    ) -> CartUserError:
        """The error of the first entry a scratch cart refuses, named by its field."""
        try:
            scratch = await self._client.create_cart(
                {"name": "cartgate-check", "description": "temporary; deleted at once"}
            )
            scratch_id = str(scratch["data"]["id"])
        except (CartgateError, KeyError, TypeError):
            return refused
        try:
            for entry in entries:
                try:
                    await self._client.add_items(scratch_id, [entry[0]], currency=currency)
                except CartUserError as error:
                    return _locate(error, entry)
        except BackendError:
            pass
        finally:
            with suppress(CartgateError):
                await self._client.delete_cart(scratch_id)
        refused.field = (*entries[0][1][:-2], "lines")
        return refused

    async def update_lines(
        self, cart_id: str, updates: Sequence[LineUpdate], *, expected_version: str | None = None
    ) -> Cart | None:
        for index, update in enumerate(updates):
            if update.list_price is not None:
                raise _no_list_price(("lines", str(index), "listPrice"))
        async with self._writing(cart_id):
            cart = await self._current(cart_id, expected_version)
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
                    raise _locate(error, ({}, at, "id")) from None
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
            cart = await self._current(cart_id, expected_version)
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
            raise _email_with_customer(("buyerIdentity", "email"))
        async with self._writing(cart_id):
            cart = await self._current(cart_id, expected_version)
            email = cart.email if buyer.email is None else (buyer.email or None)
            customer = cart.customer_id if buyer.customer_id is None else (
                buyer.customer_id or None)
            if email and customer:
                raise _email_with_customer(
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
        _check_attributes(attributes, ("attributes",))
        async with self._writing(cart_id):
            cart = await self._current(cart_id, expected_version)
            wanted = _attribute_fields(attributes)
            if all(getattr(cart, key) == (value or None) for key, value in wanted.items()):
                return cart
            await self._client.update_cart(cart_id, wanted)
        return await self._read(cart_id)

    async def update_discount_codes(
        self, cart_id: str, codes: Sequence[str], *, expected_version: str | None = None
    ) -> Cart:
        async with self._writing(cart_id):
            cart = await self._current(cart_id, expected_version)
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


def _refuse_catalog_prices(lines: Sequence[LineToAdd], prefix: Path) -> None:
    for index, line in enumerate(lines):
        at = (*prefix, "lines", str(index))
        if line.list_price is not None:
            raise _no_list_price((*at, "listPrice"))
        if line.options:
            raise UnsupportedOperation(
                "Elastic Path carts take a product (or child product) id, not options",
                field=(*at, "options"))


def _no_list_price(field: Path) -> UnsupportedOperation:
    return UnsupportedOperation(
        "Elastic Path prices catalog items from the catalog; use a custom line for a "
        "price of your own", field=field)


def _email_with_customer(field: Path) -> InvalidInput:
    return InvalidInput(
        "Elastic Path keeps a contact email only on carts without a customer", field=field)


def _check_attributes(attributes: CartAttributes | None, prefix: Path) -> None:
    if attributes is None:
        return
    if attributes.name is not None and not 1 <= len(attributes.name) <= MAX_TEXT:
        raise InvalidInput(f"a cart name has 1 to {MAX_TEXT} characters",
                           field=(*prefix, "name"))
    if attributes.description is not None and len(attributes.description) > MAX_TEXT:
        raise InvalidInput(f"a cart description has at most {MAX_TEXT} characters",
                           field=(*prefix, "description"))


def _attribute_fields(attributes: CartAttributes) -> dict[str, str]:
    fields = {"name": attributes.name, "description": attributes.description}
    return {key: value for key, value in fields.items() if value is not None}


def _entries(
    lines: Sequence[LineToAdd], custom_lines: Sequence[CustomLineToAdd], currency: str,
    prefix: Path,
) -> list[Entry]:
    """Items to add: catalog lines by product id (a variant is a child product) or sku."""
    entries: list[Entry] = []
    for index, line in enumerate(lines):
        entry: dict[str, Any] = {"type": "cart_item", "quantity": line.quantity}
        reference = line.variant_id or line.product_id
        if reference:
            entry["id"] = reference
            named_by = "variantId" if line.variant_id else "productId"
        else:
            entry["sku"] = line.sku
            named_by = "sku"
        entries.append((entry, (*prefix, "lines", str(index)), named_by))
    for index, custom in enumerate(custom_lines):
        at = (*prefix, "customLines", str(index))
        price = Money.of(custom.list_price, currency)
        if price.amount != custom.list_price:
            raise InvalidInput(f"{currency} has no amounts as fine as {custom.list_price}",
                               field=(*at, "listPrice"))
        entry = {"type": "custom_item", "name": custom.name, "quantity": custom.quantity,
                 "price": {"amount": price.to_minor(), "includes_tax": False}}
        if custom.sku:
            entry["sku"] = custom.sku
        entries.append((entry, at, "sku"))
    return entries


def _locate(error: CartUserError, entry: Entry) -> CartUserError:
    """The same error, naming the field of the entry Elastic Path refused."""
    _, at, named_by = entry
    if isinstance(error, MerchandiseNotFound):
        error.field = (*at, named_by)
    elif isinstance(error, InsufficientStock):
        error.field = (*at, "quantity")
    elif isinstance(error, LineNotFound):
        error.field = (*at, "id")
    else:
        error.field = at
    return error
