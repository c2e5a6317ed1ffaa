"""CartBackend for BigCommerce: commands -> Carts v3 calls, answers -> the model.

BigCommerce checks versions itself: ``version`` in a write body must match or it
answers 409. Changes that take several calls (lines, coupons) chain the version each
answer returns, so a foreign write between two of our calls is caught, not overwritten.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import httpx

from adapters.answer_memo import AnswerMemo
from adapters.base import CartBackend
from adapters.bigcommerce.bodies import (
    customer_number,
    email_unsupported,
    line_bodies,
    native_version,
    next_version,
    number,
    put_version,
    refuse_attributes,
)
from adapters.bigcommerce.checkout_mapping import checkout_to_cart
from adapters.bigcommerce.client import BigCommerceClient
from adapters.bigcommerce.delivery import BigCommerceDelivery, ConsignedCarts
from adapters.bigcommerce.mapping import to_cart
from adapters.bigcommerce.reads import read_cart
from adapters.errors import (
    CartgateError,
    CartNotFound,
    InvalidDiscountCode,
    InvalidInput,
    LineNotFound,
    UnsupportedOperation,
    VersionConflict,
)
from adapters.model import (
    Backend,
    BuyerIdentity,
    Cart,
    CartAttributes,
    CartLine,
    CustomLineToAdd,
    LineKind,
    LineToAdd,
    LineUpdate,
    NewCart,
)
from adapters.observer import BackendObserver

# One write of a chain: given the version to send, the call to await.
_Write = Callable[[int | None], Awaitable[Any]]
_Step = tuple[tuple[str, ...], _Write]


class BigCommerceBackend(BigCommerceDelivery, CartBackend):
    """Carts of one BigCommerce store."""

    backend = Backend.BIGCOMMERCE

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
    ) -> None:
        self.sandbox = sandbox
        self._client = BigCommerceClient(
            api_url=api_url, store_hash=store_hash, access_token=access_token,
            timeout=timeout, transport=transport, observer=observer,
        )
        self._read_carts: AnswerMemo[Cart] = AnswerMemo()
        self._consigned = ConsignedCarts()

    def __repr__(self) -> str:
        return f"BigCommerceBackend(sandbox={self.sandbox})"

    # Reads

    async def get_cart(self, cart_id: str) -> Cart | None:
        try:
            if cart_id in self._consigned:
                cart = checkout_to_cart(await self._client.get_checkout(cart_id))
                self._consigned.note(cart)
                return cart
            answer = await self._client.get_cart_answer(cart_id)
        except CartNotFound:
            return None
        return read_cart(answer, self._read_carts)

    async def _landed(self, cart: Cart) -> Cart:
        """A cart with a consignment as its checkout shows it (shipping, tax, grand total):
        one more read, for such carts only, after a write the Carts API answered."""
        if cart.id not in self._consigned:
            return cart
        return await self.get_cart(cart.id) or cart

    async def _native_version(self, cart_id: str, expected: str | None) -> int | None:
        """The version to send BigCommerce; a derived one is checked here instead."""
        if expected is None:
            return None
        if expected.isdigit():
            return int(expected)
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
        if not new.lines and not new.custom_lines:
            raise InvalidInput(
                "a BigCommerce cart is created with at least one line", field=("input", "lines")
            )
        body: dict[str, Any] = await self._line_bodies(new.lines, new.custom_lines, ("input",))
        if new.currency:
            body["currency"] = {"code": new.currency}
        if new.locale:
            body["locale"] = new.locale
        if new.buyer is not None and new.buyer.customer_id is not None:
            body["customer_id"] = customer_number(new.buyer.customer_id,
                                                   ("input", "buyerIdentity", "customerId"))
        cart = to_cart(await self._client.create_cart(body))
        if new.discount_codes:
            try:
                cart = await self.update_discount_codes(cart.id, new.discount_codes)
            except CartgateError as error:
                # Creation is all or nothing: a cart whose codes were refused is removed.
                await self._delete_quietly(cart.id)
                error.field = ("input", *(error.field or ()))
                raise
        return cart

    async def add_lines(
        self,
        cart_id: str,
        lines: Sequence[LineToAdd],
        custom_lines: Sequence[CustomLineToAdd],
        *,
        expected_version: str | None = None,
    ) -> Cart:
        body = await self._line_bodies(lines, custom_lines, ())
        put_version(body, await self._native_version(cart_id, expected_version))
        try:
            return await self._landed(to_cart(await self._client.add_items(cart_id, body)))
        except VersionConflict as error:
            raise await self._conflict(cart_id, error) from None

    async def update_lines(
        self, cart_id: str, updates: Sequence[LineUpdate], *, expected_version: str | None = None
    ) -> Cart | None:
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
            (("lines", str(index)), self._line_write(cart_id, line, update))
            for index, update, line in planned
        ]
        data = await self._chain(cart_id, cart, steps)
        return await self._landed(to_cart(data)) if data is not None else None

    def _line_write(self, cart_id: str, line: CartLine, update: LineUpdate) -> _Write:
        if update.quantity == 0:
            return lambda version: self._client.delete_item(
                cart_id, line.id, put_version({}, version)
            )
        item: dict[str, Any] = {
            "product_id": number(line.product_id),
            "quantity": update.quantity if update.quantity is not None else line.quantity,
        }
        if line.variant_id is not None:
            item["variant_id"] = number(line.variant_id)
        if update.list_price is not None:
            item["list_price"] = update.list_price
        return lambda version: self._client.update_item(
            cart_id, line.id, put_version({"line_item": item}, version)
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

    async def remove_lines(
        self, cart_id: str, line_ids: Sequence[str], *, expected_version: str | None = None
    ) -> Cart | None:
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
        return await self._landed(to_cart(data)) if data is not None else None

    def _removal(self, cart_id: str, line_id: str) -> _Write:
        return lambda version: self._client.delete_item(cart_id, line_id, put_version({}, version))

    # Buyer, attributes, discounts

    async def update_buyer_identity(
        self, cart_id: str, buyer: BuyerIdentity, *, expected_version: str | None = None
    ) -> Cart:
        if buyer.email is not None:
            raise email_unsupported(("buyerIdentity", "email"))
        cart = await self.checked_cart(cart_id, expected_version)
        if buyer.customer_id is None:
            return cart
        body = put_version(
            {"customer_id": customer_number(buyer.customer_id, ("buyerIdentity", "customerId"))},
            native_version(cart),
        )
        return await self._landed(
            to_cart(await self._write(cart_id, self._client.update_cart(cart_id, body))))

    async def update_attributes(
        self, cart_id: str, attributes: CartAttributes, *, expected_version: str | None = None
    ) -> Cart:
        refuse_attributes(attributes, prefix=("attributes",))
        return await self.checked_cart(cart_id, expected_version)

    async def update_discount_codes(
        self, cart_id: str, codes: Sequence[str], *, expected_version: str | None = None
    ) -> Cart:
        cart = await self.checked_cart(cart_id, expected_version)
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
            except InvalidDiscountCode as error:
                await self._remove_coupons(cart_id, added)
                raise InvalidDiscountCode(error.message, field=("discountCodes", str(index))) \
                    from None
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

    async def delete_cart(self, cart_id: str) -> None:
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

    async def _line_bodies(
        self,
        lines: Sequence[LineToAdd],
        custom_lines: Sequence[CustomLineToAdd],
        prefix: tuple[str, ...],
    ) -> dict[str, Any]:
        # Each SKU is resolved once per request, all of them at the same time.
        skus = sorted({line.sku for line in lines if line.product_id is None and line.sku})
        found = await asyncio.gather(*(self._client.variants_by_sku(sku) for sku in skus))
        by_sku: dict[str, Mapping[str, Any]] = {}
        for sku, variants in zip(skus, found, strict=True):
            match = next((v for v in variants or [] if v.get("sku") == sku), None)
            if match is not None:
                by_sku[sku] = match
        return line_bodies(lines, custom_lines, prefix, by_sku)
