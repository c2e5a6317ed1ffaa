"""REST calls to Elastic Path Commerce Cloud's v2 carts API, with a bearer token.

Every call but the shopper catalog's goes to ``/v2/...``, each with ``Authorization:
Bearer``; a 401 refreshes the token once and replays the request once. ``before_write``
runs before every request that is not a read (the adapter proves there that it still
holds the cart's lock). Answers are returned decoded (Decimals for numbers) and errors
raised through the table in ``errors.py``; the plumbing of a call is
``adapters.transport``'s. No other module builds an Elastic Path URL.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from adapters.elasticpath.auth import TokenSource
from adapters.elasticpath.errors import VENDOR, error_for
from adapters.elasticpath.mapping import check_cart_answer, check_items_answer
from adapters.errors import ServiceUnavailable
from adapters.http import JsonTransport, decode_json
from adapters.observer import BackendObserver
from adapters.transport import VendorCalls

CURRENCY_HEADER = "X-MOLTIN-CURRENCY"
# Every cart read brings its items and custom discounts along: one request for the cart.
# `include` is an exploded form array (CartInclude): one `include=` per value.
CART_INCLUDES = "?" + urlencode([("include", "items"), ("include", "custom_discounts")])


def _cart(cart_id: str, *rest: str) -> str:
    """The path of a cart or of something below it, every segment quoted."""
    return "/v2/carts/" + "/".join(quote(part, safe="") for part in (cart_id, *rest))


def payload_of(response: httpx.Response) -> Mapping[str, Any]:
    """A successful answer's JSON object."""
    payload = decode_json(response)
    if not isinstance(payload, Mapping):
        raise ServiceUnavailable(f"{VENDOR} answered with something other than an object")
    return payload


def cart_payload(response: httpx.Response) -> Mapping[str, Any]:
    """A cart answer's JSON object, checked to carry the cart."""
    payload = payload_of(response)
    check_cart_answer(payload)
    return payload


class ElasticPathClient:
    """The carts, items, promotion codes and customer associations of one store."""

    def __init__(
        self,
        *,
        api_url: str,
        tokens: TokenSource,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
        before_write: Callable[[], Awaitable[None]] | None = None,
        observer: BackendObserver | None = None,
    ) -> None:
        self._tokens = tokens
        self._before_write = before_write
        self._http = JsonTransport(
            vendor=VENDOR, base_url=api_url.rstrip("/"), timeout=timeout, transport=transport,
            observer=observer,
        )
        self._calls = VendorCalls(vendor=VENDOR, send=self._send, refusal=error_for,
                                  decode=payload_of, empty_body_allowed=True)

    def __repr__(self) -> str:
        return "ElasticPathClient()"

    async def _send(self, method: str, path: str, body: Any,
                    params: Mapping[str, str] | None,
                    headers: Mapping[str, str] | None) -> httpx.Response:
        """With a bearer token; a 401 refreshes it once and the request goes once more."""
        token = await self._tokens.token()
        for attempt in (1, 2):
            if method != "GET" and self._before_write is not None:
                await self._before_write()
            response = await self._http.request(
                method, path, body=body, params=params,
                headers={**(headers or {}), "Authorization": f"Bearer {token}"},
            )
            if response.status_code != 401 or attempt == 2:
                break
            token = await self._tokens.refreshed(token)
        return response

    # Carts

    async def get_cart_answer(self, cart_id: str) -> httpx.Response:
        """The answer to a cart read, unparsed: read it with ``cart_payload``."""
        response = await self._calls.answer("GET", _cart(cart_id) + CART_INCLUDES)
        if response is None:
            raise ServiceUnavailable(f"{VENDOR} answered a cart read with no content")
        return response

    async def get_cart(self, cart_id: str) -> Any:
        """The cart with ``included.items`` (an unknown id answers with an empty cart)."""
        return cart_payload(await self.get_cart_answer(cart_id))

    async def create_cart(self, data: Mapping[str, Any]) -> Any:
        answer = await self._calls.call("POST", "/v2/carts", body={"data": data})
        check_cart_answer(answer or {})
        return answer

    async def update_cart(self, cart_id: str, data: Mapping[str, Any]) -> Any:
        answer = await self._calls.call("PUT", _cart(cart_id), body={"data": data})
        check_cart_answer(answer or {})
        return answer

    async def delete_cart(self, cart_id: str) -> None:
        await self._calls.call("DELETE", _cart(cart_id))

    # Items

    async def add_items(
        self, cart_id: str, entries: list[Mapping[str, Any]], *, currency: str | None = None,
        about: str = "item",
    ) -> Any:
        """One entry as itself, several as an all-or-nothing bulk add."""
        body: dict[str, Any]
        if len(entries) == 1:
            body = {"data": entries[0]}
        else:
            body = {"data": entries, "options": {"add_all_or_nothing": True}}
        headers = {CURRENCY_HEADER: currency} if currency else None
        return await self._items_write("POST", _cart(cart_id, "items"), body=body,
                                       headers=headers, about=about)

    async def update_item(self, cart_id: str, item_id: str, data: Mapping[str, Any]) -> Any:
        return await self._items_write(
            "PUT", _cart(cart_id, "items", item_id),
            body={"data": data}, about="line",
        )

    async def delete_item(self, cart_id: str, item_id: str) -> Any:
        return await self._items_write(
            "DELETE", _cart(cart_id, "items", item_id), about="line"
        )

    async def _items_write(
        self, method: str, path: str, *, about: str, body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """A write answered with the cart's items, which must be readable."""
        answer = await self._calls.call(method, path, body=body, headers=headers, about=about)
        check_items_answer(answer or {})
        return answer

    async def delete_promotion_code(self, cart_id: str, code: str) -> None:
        await self._calls.call(
            "DELETE", _cart(cart_id, "discounts", code),
            about="promotion",
        )

    # Custom discounts (the gateway's manual discounts)

    async def add_custom_discounts(self, cart_id: str,
                                   data: Sequence[Mapping[str, Any]]) -> None:
        await self._calls.call("POST", _cart(cart_id, "custom-discounts"),
                         body={"data": list(data)})

    async def delete_cart_custom_discounts(self, cart_id: str) -> None:
        await self._calls.call("DELETE", _cart(cart_id, "custom-discounts"))

    async def delete_item_custom_discount(self, cart_id: str, item_id: str,
                                          discount_id: str) -> None:
        await self._calls.call(
            "DELETE", _cart(cart_id, "items", item_id, "custom-discounts", discount_id),
            about="line")

    # Shipping groups and tax items: Elastic Path stores what the store decided.

    async def shipping_groups(self, cart_id: str) -> list[Any]:
        answer = await self._calls.call("GET", _cart(cart_id, "shipping-groups"))
        groups = (answer or {}).get("data")
        if not isinstance(groups, list):
            raise ServiceUnavailable(f"{VENDOR} answered shipping groups without a list")
        return groups

    async def create_shipping_group(self, cart_id: str, data: Mapping[str, Any]) -> str:
        """The new group's id (the answer is the group itself, with no ``data`` envelope)."""
        answer = await self._calls.call("POST", _cart(cart_id, "shipping-groups"),
                                  body={"data": data}, about="shipping group")
        group_id = (answer or {}).get("id")
        if not isinstance(group_id, str) or not group_id:
            raise ServiceUnavailable(f"{VENDOR} created a shipping group without an id")
        return group_id

    async def update_shipping_group(
        self, cart_id: str, group_id: str, data: Mapping[str, Any]
    ) -> None:
        await self._calls.call(
            "PUT", _cart(cart_id, "shipping-groups", group_id),
            body={"data": data}, about="shipping group",
        )

    async def delete_shipping_group(self, cart_id: str, group_id: str) -> None:
        await self._calls.call(
            "DELETE", _cart(cart_id, "shipping-groups", group_id),
            about="shipping group",
        )

    async def update_items(self, cart_id: str, entries: list[Mapping[str, Any]]) -> Any:
        """Bulk update, all or nothing (quantities, shipping groups)."""
        return await self._items_write(
            "PUT", _cart(cart_id, "items"),
            body={"data": entries, "options": {"update_all_or_nothing": True}}, about="line",
        )

    async def add_tax_items(self, cart_id: str, entries: list[Mapping[str, Any]]) -> None:
        await self._calls.call("POST", _cart(cart_id, "taxes"), body={"data": entries},
                         about="line")

    async def delete_tax_items(self, cart_id: str) -> None:
        """Every tax item of every item of the cart, in one call."""
        await self._calls.call("DELETE", _cart(cart_id, "taxes"), about="line")

    # Customer associations (a client_credentials token needs no customer token)

    async def add_customer(self, cart_id: str, customer_id: str) -> None:
        await self._calls.call(
            "POST", _cart(cart_id, "relationships", "customers"),
            body={"data": [{"type": "customer", "id": customer_id}]},
        )

    async def remove_customer(self, cart_id: str, customer_id: str) -> None:
        await self._calls.call(
            "DELETE", _cart(cart_id, "relationships", "customers"),
            body={"data": [{"type": "customer", "id": customer_id}]},
        )

    async def catalog_products(self, product_ids: Sequence[str]) -> Any:
        """The shopper catalog's products with these ids (``GET /catalog/products``)."""
        return await self._calls.call(
            "GET", "/catalog/products", about="catalog",
            params={"filter": f"in(id,{','.join(product_ids)})",
                    "page[limit]": str(len(product_ids)), "include": "main_image"})

    async def ping(self) -> None:
        """An authenticated read that creates nothing: the store's cart settings."""
        await self._calls.call("GET", "/v2/settings/cart")

    async def aclose(self) -> None:
        await self._http.aclose()
