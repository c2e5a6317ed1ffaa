"""A small GraphQL client for tests and the fragments they select."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from adapters.observer import BackendCall

MONEY = "{ amount currencyCode formatted }"
CART_FIELDS = f"""
  id backend version currencyCode locale customerId email name description taxIncluded
  attributes {{ key value }} note snapshotAt deferInventoryChecks
  discountSettings {{ customDiscountsEnabled useRulePromotions }}
  promotionBanners {{ id type text pages }}
  totalQuantity checkoutUrl createdAt updatedAt
  lines {{
    id kind productId variantId sku name quantity imageUrl addedByPromotion
    options {{ name value }}
    cost {{ amountPerQuantity {MONEY} compareAtAmountPerQuantity {MONEY}
            subtotalAmount {MONEY} totalAmount {MONEY} }}
    discountAllocations {{ kind code title discountedAmount {MONEY} }}
    giftCertificate {{ sender {{ name email }} recipient {{ name email }} theme message }}
  }}
  cost {{ subtotalAmount {MONEY} totalDiscountAmount {MONEY} totalTaxAmount {MONEY}
          totalAmount {MONEY} }}
  discountCodes {{ code applicable }}
  discountAllocations {{ kind code title discountedAmount {MONEY} }}
"""
# The cart without attributes and note, which BigCommerce reads with a call of their own.
CART_FIELDS_WITHOUT_ATTRIBUTES = CART_FIELDS.replace("attributes { key value } note", "")
PAYLOAD = f"""
  cart {{ {CART_FIELDS} }}
  userErrors {{ code field message }}
  warnings {{ code message }}
"""


class GraphQLClient:
    """Posts operations to /graphql and returns the parsed answer."""

    def __init__(self, http: httpx.AsyncClient, *, cart_fields: str = CART_FIELDS) -> None:
        self.http = http
        self.cart_fields = cart_fields
        self.payload = PAYLOAD.replace(CART_FIELDS, cart_fields)

    async def raw(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        return await self.http.post("/graphql", json={"query": query, "variables": variables})

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of an answer that must have no GraphQL errors."""
        response = await self.raw(query, variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def mutate(self, name: str, args: str, variables: dict[str, Any],
                     *, declare: str) -> dict[str, Any]:
        """Run one cart mutation and return its payload."""
        query = f"mutation({declare}) {{ {name}({args}) {{ {self.payload} }} }}"
        data = await self.execute(query, variables)
        payload: dict[str, Any] = data[name]
        return payload

    async def create(self, input: dict[str, Any]) -> dict[str, Any]:
        return await self.mutate("cartCreate", "input: $input", {"input": input},
                                 declare="$input: CartCreateInput!")

    async def cart(self, cart_id: str) -> dict[str, Any] | None:
        data = await self.execute(
            f"query($id: ID!) {{ cart(id: $id) {{ {self.cart_fields} }} }}", {"id": cart_id}
        )
        cart: dict[str, Any] | None = data["cart"]
        return cart

    async def add_lines(self, cart_id: str, lines: list[dict[str, Any]] | None = None,
                        custom_lines: list[dict[str, Any]] | None = None,
                        expected_version: str | None = None) -> dict[str, Any]:
        return await self.mutate(
            "cartLinesAdd",
            "cartId: $id, lines: $lines, customLines: $custom, expectedVersion: $version",
            {"id": cart_id, "lines": lines, "custom": custom_lines, "version": expected_version},
            declare="$id: ID!, $lines: [CartLineInput!], $custom: [CustomLineInput!], "
                    "$version: String",
        )

    async def update_lines(self, cart_id: str, lines: list[dict[str, Any]],
                           expected_version: str | None = None) -> dict[str, Any]:
        return await self.mutate(
            "cartLinesUpdate", "cartId: $id, lines: $lines, expectedVersion: $version",
            {"id": cart_id, "lines": lines, "version": expected_version},
            declare="$id: ID!, $lines: [CartLineUpdateInput!]!, $version: String",
        )

    async def remove_lines(self, cart_id: str, line_ids: list[str],
                           expected_version: str | None = None) -> dict[str, Any]:
        return await self.mutate(
            "cartLinesRemove", "cartId: $id, lineIds: $ids, expectedVersion: $version",
            {"id": cart_id, "ids": line_ids, "version": expected_version},
            declare="$id: ID!, $ids: [ID!]!, $version: String",
        )

    async def discount_codes(self, cart_id: str, codes: list[str],
                             expected_version: str | None = None) -> dict[str, Any]:
        return await self.mutate(
            "cartDiscountCodesUpdate", "cartId: $id, discountCodes: $codes, "
            "expectedVersion: $version",
            {"id": cart_id, "codes": codes, "version": expected_version},
            declare="$id: ID!, $codes: [String!]!, $version: String",
        )

    async def buyer_identity(self, cart_id: str, buyer: dict[str, Any],
                             expected_version: str | None = None) -> dict[str, Any]:
        return await self.mutate(
            "cartBuyerIdentityUpdate", "cartId: $id, buyerIdentity: $buyer, "
            "expectedVersion: $version",
            {"id": cart_id, "buyer": buyer, "version": expected_version},
            declare="$id: ID!, $buyer: CartBuyerIdentityInput!, $version: String",
        )

    async def attributes(self, cart_id: str, attributes: dict[str, Any],
                         expected_version: str | None = None) -> dict[str, Any]:
        return await self.mutate(
            "cartAttributesUpdate", "cartId: $id, attributes: $attributes, "
            "expectedVersion: $version",
            {"id": cart_id, "attributes": attributes, "version": expected_version},
            declare="$id: ID!, $attributes: CartAttributesInput!, $version: String",
        )

    async def delete(self, cart_id: str) -> dict[str, Any]:
        data = await self.execute(
            "mutation($id: ID!) { cartDelete(cartId: $id) { deletedCartId "
            "userErrors { code field message } } }",
            {"id": cart_id},
        )
        payload: dict[str, Any] = data["cartDelete"]
        return payload


def amount(money: dict[str, Any] | None) -> str | None:
    return None if money is None else str(money["amount"])


def line_by_sku(cart: dict[str, Any], sku: str) -> dict[str, Any]:
    return next(line for line in cart["lines"] if line["sku"] == sku)


class CountingTransport(httpx.AsyncBaseTransport):
    """Passes requests through and remembers them, to prove what reached a vendor."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def writes(self) -> list[str]:
        return [f"{r.method} {r.url.path}" for r in self.requests if r.method != "GET"]


@dataclass(frozen=True, slots=True)
class CallPath:
    path: str  # the endpoint template: a vendor without HTTP has no ids to show


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """One call the observer was told of, read as a request: ``.method``, ``.url.path``."""

    method: str
    url: CallPath


class CallRecorder:
    """Remembers every call a vendor without HTTP reports to its observer, read as
    ``CountingTransport`` reads requests: the same ``.requests`` and ``.writes()``.
    """

    def __init__(self) -> None:
        self.requests: list[RecordedCall] = []

    def __call__(self, call: BackendCall) -> None:
        self.requests.append(RecordedCall(call.method, CallPath(call.endpoint)))

    def writes(self) -> list[str]:
        return [f"{r.method} {r.url.path}" for r in self.requests if r.method != "GET"]


# What a test reads of one vendor's traffic, whether it went over HTTP or not.
VendorTraffic = CountingTransport | CallRecorder


def decoded(response: httpx.Response) -> Any:
    """The body with every JSON number read as a Decimal, as the gateway reads it."""
    return json.loads(response.text, parse_float=Decimal)
