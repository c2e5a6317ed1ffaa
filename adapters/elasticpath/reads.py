"""Elastic Path cart reads, mapped to the model once per distinct answer.

A cart answer holds the cart and its items; a cart is built from it with the catalog
facts of its products (``catalog_facts.py``) and, when it names shipping groups, with
those groups (one more read, unless the cart is as it was when they were last read:
``delivery.ShippingGroupMemo``). A cart built from an answer is remembered by the
answer's bytes and the catalog facts' period, so an unchanged cart is not built again
while the facts it was built with stand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from adapters.answer_memo import AnswerMemo
from adapters.base import at_version
from adapters.elasticpath.catalog_facts import CatalogFacts
from adapters.elasticpath.client import ElasticPathClient, cart_payload
from adapters.elasticpath.delivery import ShippingGroupMemo, shipping_ids, with_groups
from adapters.elasticpath.known_carts import KnownCarts
from adapters.elasticpath.mapping import cart_exists, catalog_product_ids, to_cart
from adapters.elasticpath.rates import RateTable
from adapters.errors import CartNotFound
from adapters.model import Cart


class CartReads:
    """Reads one store's carts; every cart read is noted in ``known``, every cart built
    from a read's answer is remembered in ``answers``.
    """

    def __init__(
        self, *, client: ElasticPathClient, catalog: CatalogFacts, rates: RateTable,
        known: KnownCarts, answers: AnswerMemo[Cart | None], clock: Callable[[], float],
    ) -> None:
        self._client = client
        self._catalog = catalog
        self._rates = rates
        self._known = known
        self._clock = clock
        self._answers = answers
        self.groups = ShippingGroupMemo()

    def remember_answers(self, memo: AnswerMemo[Cart | None]) -> None:
        """Remember the carts built from answers in ``memo`` from now on."""
        self._answers = memo

    async def get_cart(self, cart_id: str) -> Cart | None:
        """None for an id Elastic Path never stored (see ``mapping.cart_exists``)."""
        try:
            answer = await self._client.get_cart_answer(cart_id)
        except CartNotFound:
            return None
        if self._catalog.ttl <= 0:
            # Nothing of the catalog is remembered, so neither is a cart built with it.
            cart = await self._existing_cart(answer)
        else:
            # The catalog facts a remembered cart was built with are kept as long as they are.
            epoch = int(self._clock() // self._catalog.ttl)
            cart = await self._answers.arecall(answer.content + b"@%d" % epoch,
                                               lambda: self._existing_cart(answer))
        if cart is not None and b'"shipping_groups"' in answer.content:
            cart = await self._delivered(cart, cart_payload(answer))
        self._known.saw(cart)
        return cart

    async def read(self, cart_id: str, currency_hint: str | None = None) -> Cart:
        """The cart with its delivery groups, as it is now."""
        return (await self.read_answer(cart_id, currency_hint))[1]

    async def read_answer(self, cart_id: str, currency_hint: str | None = None
                          ) -> tuple[Any, Cart]:
        """The cart answer, and its cart with delivery groups, as it is now."""
        payload = await self._client.get_cart(cart_id)
        return payload, await self.from_answer(payload, currency_hint)

    async def from_answer(self, payload: Any, currency_hint: str | None = None) -> Cart:
        """The cart of a cart answer (read, or built from a write's), with delivery groups."""
        cart = await self._delivered(await self.to_cart(payload, currency_hint), payload)
        self._known.saw(cart)
        return cart

    async def full(self, cart_id: str) -> tuple[Any, Cart]:
        """The cart answer and its cart with delivery groups; CartNotFound when never stored."""
        payload = await self._client.get_cart(cart_id)
        if not cart_exists(payload):
            raise CartNotFound("no such cart", field=("cartId",))
        cart = await self._delivered(await self.to_cart(payload), payload)
        self._known.saw(cart)
        return payload, cart

    async def at_version(self, cart_id: str,
                         expected_version: str | None) -> tuple[Any, Cart]:
        """The cart answer and its cart at ``expected_version``; CartNotFound when never
        stored. Delivery groups are left out: the callers write and read the cart again.
        """
        payload = await self._client.get_cart(cart_id)
        if not cart_exists(payload):
            raise CartNotFound("no such cart", field=("cartId",))
        return payload, at_version(await self.to_cart(payload), expected_version)

    async def to_cart(self, payload: Any, currency_hint: str | None = None) -> Cart:
        """The cart of an answer (a read's, or a write's that carries the cart)."""
        facts = await self._catalog.facts(catalog_product_ids(payload))
        return to_cart(payload, currency_hint=currency_hint, facts=facts,
                       lines=self._answers.lines)

    async def _existing_cart(self, answer: httpx.Response) -> Cart | None:
        """The cart a read answered with; None for an id Elastic Path never stored."""
        payload = cart_payload(answer)
        return await self.to_cart(payload) if cart_exists(payload) else None

    async def _delivered(self, cart: Cart, payload: Any) -> Cart:
        """The cart with its shipping groups: one more read for a cart that has one, unless
        the cart is as it was when its groups were last read (see ShippingGroupMemo).
        """
        if not shipping_ids(payload):
            return cart
        groups = self.groups.recall(cart.id, cart.version)
        if groups is None:
            groups = await self._client.shipping_groups(cart.id)
            delivered = with_groups(cart, payload, groups, self._rates)
            self.groups.keep(cart.id, cart.version, groups)
            return delivered
        return with_groups(cart, payload, groups, self._rates)
