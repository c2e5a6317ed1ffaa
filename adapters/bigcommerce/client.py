"""REST calls to BigCommerce's server-to-server Carts v3, coupon and catalog endpoints.

Each method returns the decoded ``data`` object (or None where the cart is gone) and
raises our errors through the status table in ``errors.py``; the plumbing of a call is
``adapters.transport``'s. No other module builds a BigCommerce URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from adapters.bigcommerce.errors import VENDOR, error_for
from adapters.errors import ServiceUnavailable
from adapters.http import JsonTransport, decode_json, raise_for_backend_status
from adapters.observer import BackendObserver
from adapters.transport import VendorCalls
from adapters.vendor_text import register

# Every cart read asks for option names, the checkout links and the promotion banners.
CART_INCLUDES = {
    "include": "redirect_urls,line_items.physical_items.options,"
               "line_items.digital_items.options,promotions.banners"
}

# A checkout read carries the cart, its consignments with their options, taxes and totals.
SHIPPING_OPTIONS = {"include": "consignments.available_shipping_options"}
CHECKOUT_INCLUDES = {
    "include": "consignments.available_shipping_options,"
    "cart.line_items.physical_items.options,cart.line_items.digital_items.options"
}


def data_of(response: httpx.Response) -> Any:
    """The ``data`` of a successful answer's ``{data, meta}`` envelope."""
    payload = decode_json(response)
    if not isinstance(payload, Mapping) or not isinstance(payload.get("data"), Mapping | list):
        raise ServiceUnavailable(f"{VENDOR} answered without a data object")
    return payload["data"]


class BigCommerceClient:
    """Carts v3 over HTTP for one store."""

    def __init__(
        self,
        *,
        api_url: str,
        store_hash: str,
        access_token: str,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
        observer: BackendObserver | None = None,
    ) -> None:
        self._prefix = f"/stores/{store_hash}/v3"
        register(access_token)
        self._http = JsonTransport(
            vendor=VENDOR,
            base_url=api_url.rstrip("/"),
            timeout=timeout,
            headers={"X-Auth-Token": access_token},
            transport=transport,
            observer=observer,
        )
        self._calls = VendorCalls(vendor=VENDOR, send=self._send, refusal=error_for,
                                  decode=data_of)

    def __repr__(self) -> str:
        return f"BigCommerceClient(prefix={self._prefix!r})"

    async def _send(self, method: str, path: str, body: Any,
                    params: Mapping[str, str] | None,
                    headers: Mapping[str, str] | None) -> httpx.Response:
        return await self._http.request(method, self._prefix + path, body=body,
                                        params=params, headers=headers)

    async def get_cart_answer(self, cart_id: str) -> httpx.Response:
        """The answer to a cart read, unparsed: read its ``data`` with ``data_of``."""
        response = await self._calls.answer("GET", f"/carts/{cart_id}", params=CART_INCLUDES)
        if response is None:
            raise ServiceUnavailable(f"{VENDOR} answered a cart read with no content")
        return response

    async def create_cart(self, body: Mapping[str, Any]) -> Any:
        return await self._calls.call("POST", "/carts", body=body, params=CART_INCLUDES)

    async def update_cart(self, cart_id: str, body: Mapping[str, Any]) -> Any:
        return await self._calls.call("PUT", f"/carts/{cart_id}", body=body,
                                      params=CART_INCLUDES)

    async def delete_cart(self, cart_id: str) -> None:
        await self._calls.call("DELETE", f"/carts/{cart_id}")

    async def add_items(self, cart_id: str, body: Mapping[str, Any]) -> Any:
        return await self._calls.call(
            "POST", f"/carts/{cart_id}/items", body=body, params=CART_INCLUDES, about="item"
        )

    async def update_item(self, cart_id: str, item_id: str, body: Mapping[str, Any]) -> Any:
        return await self._calls.call(
            "PUT", f"/carts/{cart_id}/items/{item_id}", body=body, params=CART_INCLUDES,
            about="line",
        )

    async def delete_item(self, cart_id: str, item_id: str, body: Mapping[str, Any]) -> Any:
        """The cart after the removal, or None when that was its last item (204)."""
        return await self._calls.call(
            "DELETE", f"/carts/{cart_id}/items/{item_id}", body=body or None,
            params=CART_INCLUDES, about="line",
        )

    async def add_coupon(self, cart_id: str, body: Mapping[str, Any]) -> Any:
        """The checkout after adding the coupon (a cart id is its checkout id)."""
        return await self._calls.call("POST", f"/checkouts/{cart_id}/coupons", body=body,
                                      about="coupon")

    async def delete_coupon(self, cart_id: str, code: str, body: Mapping[str, Any]) -> Any:
        return await self._calls.call(
            "DELETE", f"/checkouts/{cart_id}/coupons/{quote(code, safe='')}",
            body=body or None, about="coupon",
        )

    async def add_checkout_discounts(self, cart_id: str, body: Mapping[str, Any]) -> Any:
        """POST /checkouts/{id}/discounts: the checkout's manual discounts, replaced."""
        return await self._calls.call("POST", f"/checkouts/{cart_id}/discounts", body=body,
                                      about="discount")

    async def metafields(self, cart_id: str, namespace: str) -> Any:
        """The cart's metafields in ``namespace`` (a list; one page holds the gateway's)."""
        return await self._calls.call("GET", f"/carts/{cart_id}/metafields",
                                      params={"namespace": namespace, "limit": "250"},
                                      about="metafield")

    async def create_metafield(self, cart_id: str, body: Mapping[str, Any]) -> Any:
        return await self._calls.call("POST", f"/carts/{cart_id}/metafields", body=body,
                                      about="metafield")

    async def update_metafield(self, cart_id: str, metafield_id: str,
                               body: Mapping[str, Any]) -> Any:
        return await self._calls.call("PUT", f"/carts/{cart_id}/metafields/{metafield_id}",
                                      body=body, about="metafield")

    async def delete_metafield(self, cart_id: str, metafield_id: str) -> None:
        await self._calls.call("DELETE", f"/carts/{cart_id}/metafields/{metafield_id}",
                               about="metafield")

    # The checkout: consignments (delivery), taxes, totals and the billing address.

    async def get_checkout(self, checkout_id: str) -> Any:
        return await self._calls.call("GET", f"/checkouts/{checkout_id}",
                                      params=CHECKOUT_INCLUDES)

    async def add_consignments(self, checkout_id: str, body: list[Mapping[str, Any]]) -> Any:
        return await self._calls.call("POST", f"/checkouts/{checkout_id}/consignments",
                                      body=body, params=SHIPPING_OPTIONS, about="consignment")

    async def update_consignment(
        self, checkout_id: str, consignment_id: str, body: Mapping[str, Any]
    ) -> Any:
        return await self._calls.call(
            "PUT", f"/checkouts/{checkout_id}/consignments/{quote(consignment_id, safe='')}",
            body=body, params=SHIPPING_OPTIONS, about="consignment",
        )

    async def delete_consignment(
        self, checkout_id: str, consignment_id: str, body: Mapping[str, Any]
    ) -> Any:
        return await self._calls.call(
            "DELETE", f"/checkouts/{checkout_id}/consignments/{quote(consignment_id, safe='')}",
            body=body or None, about="consignment",
        )

    async def set_billing_address(self, checkout_id: str, body: Mapping[str, Any]) -> Any:
        return await self._calls.call("POST", f"/checkouts/{checkout_id}/billing-address",
                                      body=body, about="address")

    async def variants_by_sku(self, sku: str) -> Any:
        return await self._calls.call("GET", "/catalog/variants", params={"sku": sku},
                                      about="catalog")

    async def variants_of_products(self, product_ids: Sequence[int]) -> Any:
        """Every variant of these products, with its ``option_values``."""
        return await self._calls.call(
            "GET", "/catalog/variants",
            params={"product_id:in": ",".join(str(p) for p in product_ids), "limit": "250"},
            about="catalog")

    async def ping(self) -> None:
        """Any authenticated answer proves reachability and credentials; 404 is fine."""
        response = await self._http.request("GET", self._prefix + "/carts/readiness-probe")
        raise_for_backend_status(response, VENDOR)

    async def aclose(self) -> None:
        await self._http.aclose()
