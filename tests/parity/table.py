"""The rows of the storefront developer's vendor-leak table, read again on both vendors:
``python -m tests.parity.table``. Each row prints what BigCommerce and Elastic Path answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from adapters.registry import with_sandbox
from gateway.app import create_app
from gateway.settings import Settings
from sandboxes.loopback import sandbox_app
from tests.support import CART_FIELDS, GraphQLClient, line_by_sku

VENDORS = ("BIGCOMMERCE", "ELASTIC_PATH")
PARENT = {"BIGCOMMERCE": "112", "ELASTIC_PATH": "a3664a48-03f7-507d-a58c-e7dc747bce39"}
Row = Callable[[GraphQLClient, str], Awaitable[Any]]


async def _cart(g: GraphQLClient, vendor: str, **input: Any) -> dict[str, Any]:
    payload = await g.create({"backend": vendor, "currencyCode": "USD", **input})
    return payload


def _line(sku: str, field: str) -> Row:
    async def row(g: GraphQLClient, vendor: str) -> Any:
        cart = (await _cart(g, vendor, lines=[{"sku": sku}]))["cart"]
        value = line_by_sku(cart, sku)[field]
        return "set" if field == "variantId" and value else value
    return row


def _codes(sku: str, quantity: int, code: str, field: str) -> Row:
    async def row(g: GraphQLClient, vendor: str) -> Any:
        cart = (await _cart(g, vendor, lines=[{"sku": sku, "quantity": quantity}],
                            discountCodes=[code]))["cart"]
        cost = line_by_sku(cart, sku)["cost"]
        return {k: (cost[k] or {}).get("amount") for k in (
            "amountPerQuantity", "compareAtAmountPerQuantity", "subtotalAmount",
            "totalAmount")} if field == "all" else cost[field]
    return row


async def _locale(g: GraphQLClient, vendor: str) -> Any:
    cart = (await _cart(g, vendor, currencyCode="EUR", locale="de-DE",
                        lines=[{"sku": "MUG-ORBIT"}]))["cart"]
    read = await g.cart(cart["id"])
    assert read is not None
    return read["locale"], read["cost"]["totalAmount"]["formatted"]


async def _yen(g: GraphQLClient, vendor: str) -> Any:
    out = []
    for locale in (None, "ja-JP"):
        cart = (await _cart(g, vendor, currencyCode="JPY", locale=locale,
                            lines=[{"sku": "MUG-ORBIT"}]))["cart"]
        out.append(cart["cost"]["totalAmount"]["formatted"])
    return out


async def _tax(g: GraphQLClient, vendor: str) -> Any:
    return (await _cart(g, vendor, lines=[{"sku": "MUG-ORBIT"}]))["cart"]["cost"][
        "totalTaxAmount"]


def _error(**input: Any) -> Row:
    async def row(g: GraphQLClient, vendor: str) -> Any:
        return [(e["code"], e["field"], e["message"])
                for e in (await _cart(g, vendor, **input))["userErrors"]]
    return row


async def _needs_options(g: GraphQLClient, vendor: str) -> Any:
    payload = await _cart(g, vendor, lines=[{"productId": PARENT[vendor]}])
    return [(e["code"], e["field"], e["message"]) for e in payload["userErrors"]]


async def _empty(g: GraphQLClient, vendor: str) -> Any:
    data = await g.execute(
        f"mutation($b: Backend) {{ cartCreate(input: {{backend: $b}}) {{ cart {{ {CART_FIELDS} }}"
        " userErrors { code field message } } }", {"b": vendor})
    payload = data["cartCreate"]
    cart = payload["cart"]
    return payload["userErrors"], cart and (cart["lines"], cart["cost"]["totalAmount"]["amount"])


async def _transfer(g: GraphQLClient, vendor: str) -> Any:
    if vendor != "BIGCOMMERCE":
        return "(source is BigCommerce)"
    cart = (await _cart(g, vendor, lines=[{"sku": "TEE-TRAIL-M"}, {"sku": "MUG-ORBIT"},
                                          {"sku": "PENCIL-HB"}], discountCodes=["SAVE15"]))
    data = await g.execute(
        "mutation($id: ID!) { cartTransfer(cartId: $id, to: ELASTIC_PATH) "
        "{ warnings { code message } } }", {"id": cart["cart"]["id"]})
    return [w["message"] for w in data["cartTransfer"]["warnings"]
            if w["code"] == "PRICE_CHANGED"][:2]


ROWS: list[tuple[str, Row]] = [
    ("EBOOK-FIELD line kind", _line("EBOOK-FIELD", "kind")),
    ("TEE-TRAIL-M options", _line("TEE-TRAIL-M", "options")),
    ("variantId", _line("MUG-ORBIT", "variantId")),
    ("locale de-DE on create (read back)", _locale),
    ("JPY formatting (no locale, ja-JP)", _yen),
    ("totalTaxAmount with no tax", _tax),
    ("TEE-TRAIL-M x3 with SAVE15 line cost", _codes("TEE-TRAIL-M", 3, "SAVE15", "all")),
    ("TEE-TRAIL-M x2 with FIVEOFF line cost", _codes("TEE-TRAIL-M", 2, "FIVEOFF", "all")),
    ("unknown SKU", _error(lines=[{"sku": "NOPE-SKU"}])),
    ("unsupported currency", _error(currencyCode="GBP", lines=[{"sku": "MUG-ORBIT"}])),
    ("product that needs options", _needs_options),
    ("cartCreate(input: {})", _empty),
    ("cartTransfer BIGCOMMERCE -> ELASTIC_PATH", _transfer),
]


async def main() -> None:
    transports = {e.backend: httpx.ASGITransport(app=sandbox_app(e.backend))
                  for e in with_sandbox()}
    app = create_app(Settings(_env_file=None), transports=dict(transports))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            gateway = GraphQLClient(http)
            for name, row in ROWS:
                answers = [await row(gateway, vendor) for vendor in VENDORS]
                same = "equal" if answers[0] == answers[1] else "differs"
                print(f"{name} [{same}]")
                for vendor, answer in zip(VENDORS, answers, strict=True):
                    print(f"  {vendor:13} {answer}")


if __name__ == "__main__":
    asyncio.run(main())
