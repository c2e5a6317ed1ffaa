"""One storefront session, step by step: through cartgate, and straight to each vendor.

The session is what a shopper does: create a cart with one line by SKU, add a line by
SKU, change a quantity, apply a discount code, read the cart, remove a line, delete the
cart. The direct sessions are the floor: a hand-written REST client making the fewest
calls each vendor needs (product and variant ids and the Elastic Path token known in
advance, as a storefront's own catalog and session would have them).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from benchmarks.targets import BIGCOMMERCE_INCLUDE, BIGCOMMERCE_TOKEN, ELASTICPATH_CREDENTIALS

OPERATIONS = ("cartCreate", "cartLinesAdd", "cartLinesUpdate", "cartDiscountCodesUpdate",
              "cart", "cartLinesRemove", "cartDelete")
FIRST, SECOND, CODE = "TEE-TRAIL-M", "MUG-ORBIT", "SAVE10"
# One step: run it, given what earlier steps found (ids); raises on a bad answer.
Step = Callable[[dict[str, Any]], Awaitable[None]]

_FIELDS = ("id version totalQuantity lines { id sku quantity "
           "cost { totalAmount { amount currencyCode } } } "
           "cost { totalAmount { amount currencyCode } } discountCodes { code }")
_CART = f"cart {{ {_FIELDS} }} userErrors {{ code message }}"


def _ok(response: httpx.Response) -> Any:
    if response.status_code >= 300:
        raise RuntimeError(f"{response.request.method} {response.request.url.path}: "
                           f"{response.status_code} {response.text[:300]}")
    return response.json() if response.content else None


class GatewaySession:
    """The session as GraphQL operations against cartgate."""

    def __init__(self, http: httpx.AsyncClient, backend: str) -> None:
        self.http = http
        self.backend = backend

    async def _mutate(self, name: str, args: str, declare: str,
                      variables: dict[str, Any]) -> dict[str, Any]:
        query = f"mutation({declare}) {{ {name}({args}) {{ {_CART} }} }}" \
            if name != "cartDelete" else \
            f"mutation({declare}) {{ {name}({args}) {{ deletedCartId userErrors {{ code }} }} }}"
        body = _ok(await self.http.post("/graphql", json={"query": query,
                                                          "variables": variables}))
        if body.get("errors") or body["data"][name]["userErrors"]:
            raise RuntimeError(f"{name}: {body}")
        payload: dict[str, Any] = body["data"][name]
        return payload

    def steps(self) -> dict[str, Step]:
        async def create(ids: dict[str, Any]) -> None:
            payload = await self._mutate(
                "cartCreate", "input: $input", "$input: CartCreateInput!",
                {"input": {"backend": self.backend, "currencyCode": "USD",
                           "lines": [{"sku": FIRST, "quantity": 1}]}})
            ids["cart"] = payload["cart"]["id"]

        async def add(ids: dict[str, Any]) -> None:
            payload = await self._mutate(
                "cartLinesAdd", "cartId: $id, lines: $lines",
                "$id: ID!, $lines: [CartLineInput!]",
                {"id": ids["cart"], "lines": [{"sku": SECOND, "quantity": 1}]})
            ids["lines"] = {line["sku"]: line["id"] for line in payload["cart"]["lines"]}

        async def update(ids: dict[str, Any]) -> None:
            await self._mutate("cartLinesUpdate", "cartId: $id, lines: $lines",
                               "$id: ID!, $lines: [CartLineUpdateInput!]!",
                               {"id": ids["cart"],
                                "lines": [{"id": ids["lines"][FIRST], "quantity": 2}]})

        async def code(ids: dict[str, Any]) -> None:
            await self._mutate("cartDiscountCodesUpdate", "cartId: $id, discountCodes: $codes",
                               "$id: ID!, $codes: [String!]!",
                               {"id": ids["cart"], "codes": [CODE]})

        async def read(ids: dict[str, Any]) -> None:
            query = f"query($id: ID!) {{ cart(id: $id) {{ {_FIELDS} }} }}"
            body = _ok(await self.http.post("/graphql", json={"query": query,
                                                              "variables": {"id": ids["cart"]}}))
            if body.get("errors") or body["data"]["cart"] is None:
                raise RuntimeError(f"cart: {body}")

        async def remove(ids: dict[str, Any]) -> None:
            await self._mutate("cartLinesRemove", "cartId: $id, lineIds: $ids",
                               "$id: ID!, $ids: [ID!]!",
                               {"id": ids["cart"], "ids": [ids["lines"][SECOND]]})

        async def delete(ids: dict[str, Any]) -> None:
            await self._mutate("cartDelete", "cartId: $id", "$id: ID!", {"id": ids["cart"]})

        return dict(zip(OPERATIONS, (create, add, update, code, read, remove, delete),
                        strict=True))


class BigCommerceSession:
    """The session as BigCommerce Carts v3 calls: one each, two for a coupon (the
    coupon answer is the checkout, so the cart is read after it).
    """

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.http.headers.update(BIGCOMMERCE_TOKEN)
        self.variants: dict[str, dict[str, Any]] = {}
        self.base = "/stores/sandbox/v3"

    async def prepare(self) -> None:
        for sku in (FIRST, SECOND):
            found = _ok(await self.http.get(f"{self.base}/catalog/variants",
                                            params={"sku": sku}))["data"]
            self.variants[sku] = next(v for v in found if v["sku"] == sku)

    def _item(self, sku: str, quantity: int) -> dict[str, Any]:
        variant = self.variants[sku]
        return {"product_id": variant["product_id"], "variant_id": variant["id"],
                "quantity": quantity}

    def steps(self) -> dict[str, Step]:
        carts, include = f"{self.base}/carts", "?" + BIGCOMMERCE_INCLUDE

        def items(data: dict[str, Any]) -> dict[str, str]:
            return {i["sku"]: i["id"] for i in data["line_items"]["physical_items"]}

        async def create(ids: dict[str, Any]) -> None:
            data = _ok(await self.http.post(carts + include, json={
                "line_items": [self._item(FIRST, 1)], "currency": {"code": "USD"}}))["data"]
            ids["cart"] = data["id"]

        async def add(ids: dict[str, Any]) -> None:
            data = _ok(await self.http.post(f"{carts}/{ids['cart']}/items{include}", json={
                "line_items": [self._item(SECOND, 1)]}))["data"]
            ids["lines"] = items(data)

        async def update(ids: dict[str, Any]) -> None:
            _ok(await self.http.put(
                f"{carts}/{ids['cart']}/items/{ids['lines'][FIRST]}{include}",
                json={"line_item": self._item(FIRST, 2)}))

        async def code(ids: dict[str, Any]) -> None:
            _ok(await self.http.post(f"{self.base}/checkouts/{ids['cart']}/coupons",
                                     json={"coupon_code": CODE}))
            _ok(await self.http.get(f"{carts}/{ids['cart']}{include}"))

        async def read(ids: dict[str, Any]) -> None:
            _ok(await self.http.get(f"{carts}/{ids['cart']}{include}"))

        async def remove(ids: dict[str, Any]) -> None:
            _ok(await self.http.delete(
                f"{carts}/{ids['cart']}/items/{ids['lines'][SECOND]}{include}"))

        async def delete(ids: dict[str, Any]) -> None:
            _ok(await self.http.delete(f"{carts}/{ids['cart']}"))

        return dict(zip(OPERATIONS, (create, add, update, code, read, remove, delete),
                        strict=True))


class ElasticPathSession:
    """The session as Elastic Path v2 calls: one each, two to create a cart with a line."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def prepare(self) -> None:
        token = _ok(await self.http.post("/oauth/access_token", data=ELASTICPATH_CREDENTIALS))
        self.http.headers["Authorization"] = f"Bearer {token['access_token']}"

    def steps(self) -> dict[str, Step]:
        def item(sku: str) -> dict[str, Any]:
            return {"data": {"type": "cart_item", "sku": sku, "quantity": 1}}

        async def create(ids: dict[str, Any]) -> None:
            cart = _ok(await self.http.post("/v2/carts", json={"data": {"name": "session"}}))
            ids["cart"] = cart["data"]["id"]
            _ok(await self.http.post(f"/v2/carts/{ids['cart']}/items", json=item(FIRST)))

        async def add(ids: dict[str, Any]) -> None:
            listed = _ok(await self.http.post(f"/v2/carts/{ids['cart']}/items",
                                              json=item(SECOND)))["data"]
            ids["lines"] = {i["sku"]: i["id"] for i in listed if i["type"] == "cart_item"}

        async def update(ids: dict[str, Any]) -> None:
            line = ids["lines"][FIRST]
            _ok(await self.http.put(f"/v2/carts/{ids['cart']}/items/{line}", json={
                "data": {"type": "cart_item", "id": line, "quantity": 2}}))

        async def code(ids: dict[str, Any]) -> None:
            _ok(await self.http.post(f"/v2/carts/{ids['cart']}/items", json={
                "data": {"type": "promotion_item", "code": CODE}}))

        async def read(ids: dict[str, Any]) -> None:
            _ok(await self.http.get(f"/v2/carts/{ids['cart']}", params={"include": "items"}))

        async def remove(ids: dict[str, Any]) -> None:
            _ok(await self.http.delete(f"/v2/carts/{ids['cart']}/items/{ids['lines'][SECOND]}"))

        async def delete(ids: dict[str, Any]) -> None:
            _ok(await self.http.delete(f"/v2/carts/{ids['cart']}"))

        return dict(zip(OPERATIONS, (create, add, update, code, read, remove, delete),
                        strict=True))
