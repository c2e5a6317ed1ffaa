"""Storefront callers and trusted server callers: every trusted-only input, by caller kind,
with the vendor requests each answer cost (counted on the sandboxes).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from tests.conftest import gateway_settings
from tests.gateway.conftest import SERVER_TOKEN, Callers, serve_callers
from tests.redis_server import free_port
from tests.support import PAYLOAD, CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

ERRORS = "userErrors { code field message }"
CREATE = f"mutation($input: CartCreateInput!) {{ cartCreate(input: $input) {{ {PAYLOAD} }} }}"
ADD = ("mutation($id: ID!, $lines: [CartLineInput!], $custom: [CustomLineInput!]) "
       f"{{ cartLinesAdd(cartId: $id, lines: $lines, customLines: $custom) {{ {PAYLOAD} }} }}")
UPDATE = ("mutation($id: ID!, $lines: [CartLineUpdateInput!]!) "
          f"{{ cartLinesUpdate(cartId: $id, lines: $lines) {{ {PAYLOAD} }} }}")
ATTRIBUTES = ("mutation($id: ID!, $attributes: CartAttributesInput!) "
              f"{{ cartAttributesUpdate(cartId: $id, attributes: $attributes) {{ {PAYLOAD} }} }}")
MANUAL = ("mutation($id: ID!, $discounts: [ManualDiscountInput!]!) { cartManualDiscountsUpdate("
          f"cartId: $id, discounts: $discounts) {{ {PAYLOAD} }} }}")
BUYER = ("mutation($id: ID!, $buyer: CartBuyerIdentityInput!) "
         f"{{ cartBuyerIdentityUpdate(cartId: $id, buyerIdentity: $buyer) {{ {PAYLOAD} }} }}")
TRANSFER = ("mutation($id: ID!) { cartTransfer(cartId: $id, to: ELASTIC_PATH) "
            f"{{ cart {{ id }} {ERRORS} }} }}")
COMPARE = ("mutation($input: CartCreateInput!) { cartCompare(input: $input) "
           f"{{ results {{ backend cart {{ id }} {ERRORS} }} differences {{ path }} }} }}")


@dataclass(frozen=True)
class Row:
    """One trusted-only input: the document, its variables for a cart, and where it hides."""

    name: str
    root: str
    query: str
    variables: Callable[[dict[str, Any]], dict[str, Any]]
    field: list[str]
    backend: str = "BIGCOMMERCE"


def _line(cart: dict[str, Any]) -> str:
    line_id: str = cart["lines"][0]["id"]
    return line_id


ROWS = [
    Row("cartCreate lines.listPrice", "cartCreate", CREATE, lambda c: {"input": {
        "backend": "BIGCOMMERCE", "lines": [{"sku": "LAMP-DESK", "listPrice": "0.01"}]}},
        ["input", "lines", "0", "listPrice"]),
    Row("cartCreate customLines", "cartCreate", CREATE, lambda c: {"input": {
        "backend": "BIGCOMMERCE", "customLines": [{"name": "Anything", "listPrice": "0.01"}]}},
        ["input", "customLines"]),
    Row("cartCreate buyerIdentity.customerId", "cartCreate", CREATE, lambda c: {"input": {
        "backend": "BIGCOMMERCE", "lines": [{"sku": "MUG-ORBIT"}],
        "buyerIdentity": {"customerId": "42"}}}, ["input", "buyerIdentity", "customerId"]),
    Row("cartLinesAdd lines.listPrice", "cartLinesAdd", ADD, lambda c: {
        "id": c["id"], "lines": [{"sku": "MUG-ORBIT"}, {"sku": "LAMP-DESK", "listPrice": "0.01"}]},
        ["lines", "1", "listPrice"]),
    Row("cartLinesAdd customLines", "cartLinesAdd", ADD, lambda c: {
        "id": c["id"], "custom": [{"name": "Anything", "listPrice": "0.01"}]}, ["customLines"]),
    Row("cartLinesUpdate lines.listPrice", "cartLinesUpdate", UPDATE, lambda c: {
        "id": c["id"], "lines": [{"id": _line(c), "listPrice": "0.01"}]},
        ["lines", "0", "listPrice"]),
    Row("cartBuyerIdentityUpdate customerId", "cartBuyerIdentityUpdate", BUYER, lambda c: {
        "id": c["id"], "buyer": {"customerId": "42"}}, ["buyerIdentity", "customerId"]),
    Row("cartAttributesUpdate discountSettings", "cartAttributesUpdate", ATTRIBUTES,
        lambda c: {"id": c["id"], "attributes": {"discountSettings": {
            "useRulePromotions": True}}}, ["attributes", "discountSettings"], "ELASTIC_PATH"),
    Row("cartAttributesUpdate clearPaymentIntent", "cartAttributesUpdate", ATTRIBUTES,
        lambda c: {"id": c["id"], "attributes": {"clearPaymentIntent": True}},
        ["attributes", "clearPaymentIntent"], "ELASTIC_PATH"),
    Row("cartAttributesUpdate snapshotAt", "cartAttributesUpdate", ATTRIBUTES,
        lambda c: {"id": c["id"], "attributes": {"snapshotAt": "2099-01-01T00:00:00Z"}},
        ["attributes", "snapshotAt"], "ELASTIC_PATH"),
    Row("cartAttributesUpdate deferInventoryChecks", "cartAttributesUpdate", ATTRIBUTES,
        lambda c: {"id": c["id"], "attributes": {"deferInventoryChecks": True}},
        ["attributes", "deferInventoryChecks"], "ELASTIC_PATH"),
    Row("cartCreate channelId", "cartCreate", CREATE, lambda c: {"input": {
        "backend": "BIGCOMMERCE", "lines": [{"sku": "MUG-ORBIT"}], "channelId": 1}},
        ["input", "channelId"]),
    Row("cartManualDiscountsUpdate", "cartManualDiscountsUpdate", MANUAL,
        lambda c: {"id": c["id"], "discounts": [{"amount": "1.00", "title": "Friend"}]},
        ["cartManualDiscountsUpdate"], "ELASTIC_PATH"),
    Row("cartManualDiscountsUpdate on BigCommerce", "cartManualDiscountsUpdate", MANUAL,
        lambda c: {"id": c["id"], "discounts": [{"amount": "1.00", "title": "Friend",
                                                  "lineId": _line(c)}]},
        ["cartManualDiscountsUpdate"]),
    Row("cartTransfer", "cartTransfer", TRANSFER, lambda c: {"id": c["id"]}, ["cartTransfer"]),
    Row("cartCompare", "cartCompare", COMPARE, lambda c: {"input": {
        "lines": [{"sku": "MUG-ORBIT"}]}}, ["cartCompare"]),
]


async def _cart(callers: Callers, backend: str = "BIGCOMMERCE") -> dict[str, Any]:
    created = await callers.trusted.create({"backend": backend, "currencyCode": "USD",
                                            "lines": [{"sku": "LAMP-DESK"}]})
    assert created["userErrors"] == []
    cart: dict[str, Any] = created["cart"]
    return cart


def _errors(payload: dict[str, Any]) -> list[dict[str, Any]]:
    if "results" in payload:  # cartCompare: each vendor's result carries them
        return [e for result in payload["results"] for e in result["userErrors"]]
    errors: list[dict[str, Any]] = payload["userErrors"]
    return errors


async def _answer(client: GraphQLClient, row: Row, cart: dict[str, Any]) -> tuple[str, Any]:
    response = await client.raw(row.query, row.variables(cart))
    if response.status_code != 200:
        return f"HTTP {response.status_code}", None
    body = response.json()
    assert "errors" not in body, body
    payload = body["data"][row.root]
    errors = _errors(payload)
    if not errors:
        return "ok", payload
    codes = sorted({e["code"] for e in errors})
    return ",".join(codes), errors


async def test_every_trusted_only_input_by_caller_kind(callers: Callers) -> None:
    table = []
    for row in ROWS:
        for kind in ("storefront", "trusted", "bad token"):
            cart = await _cart(callers, row.backend)
            before = callers.vendor_requests()
            client = {"storefront": callers.storefront, "trusted": callers.trusted,
                      "bad token": callers.bad_token}[kind]
            answer, detail = await _answer(client, row, cart)
            made = callers.vendor_requests() - before
            table.append((row.name, kind, answer, made))
            if kind == "storefront":
                assert answer == "ACCESS_DENIED", (row.name, detail)
                assert all(e["field"] == row.field for e in detail), detail
                assert made == 0
                read = await callers.trusted.cart(cart["id"])
                assert read is not None and read["version"] == cart["version"]
            elif kind == "bad token":
                assert answer == "HTTP 401" and made == 0
            else:
                assert answer == "ok", (row.name, detail)
                assert made > 0
    width = max(len(row.name) for row in ROWS)
    print(f"\n{'privileged input':<{width}}  {'caller':<10}  {'answer':<13}  vendor requests")
    for name, kind, answer, made in table:
        print(f"{name:<{width}}  {kind:<10}  {answer:<13}  {made}")


LITERAL_ADD = """mutation($id: ID!) {
  cartLinesAdd(cartId: $id, lines: [{sku: "MUG-ORBIT"}, {sku: "LAMP-DESK", listPrice: "0.01"}])
  { cart { id version lines { sku } } userErrors { code field message } }
}"""


@pytest.mark.parametrize("query, variables", [
    (LITERAL_ADD, lambda cart: {"id": cart["id"]}),
    (ADD, lambda cart: {"id": cart["id"], "lines": [
        {"sku": "MUG-ORBIT"}, {"sku": "LAMP-DESK", "listPrice": "0.01"}]}),
], ids=["inline literal", "variables"])
async def test_a_refused_document_stays_refused_when_served_compiled(
        callers: Callers, query: str, variables: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    compiled = callers.app.state.fast_path.compiled
    cart = await _cart(callers)
    # A trusted caller runs it cleanly first, so the document is compiled.
    ran = (await callers.trusted.execute(query, variables(cart)))["cartLinesAdd"]
    assert ran["userErrors"] == []
    assert compiled.known(query, None) and compiled.get(query, None) is not None
    cart = await _cart(callers)
    hits = compiled.hits
    before = callers.vendor_requests()
    for _ in range(2):
        refused = (await callers.storefront.execute(query, variables(cart)))["cartLinesAdd"]
        assert refused["cart"] is None
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
            ("ACCESS_DENIED", ["lines", "1", "listPrice"])]
    assert compiled.hits == hits + 2  # both were served by the compiled path
    assert callers.vendor_requests() == before
    read = await callers.trusted.cart(cart["id"])
    assert read is not None and [line["sku"] for line in read["lines"]] == ["LAMP-DESK"]


async def test_a_refused_field_stops_the_whole_operation(callers: Callers) -> None:
    cart = await _cart(callers)
    query = f"""mutation($id: ID!) {{
      add: cartLinesAdd(cartId: $id, lines: [{{sku: "MUG-ORBIT"}}]) {{ {ERRORS} }}
      buyer: cartBuyerIdentityUpdate(cartId: $id, buyerIdentity: {{customerId: "42"}})
        {{ {ERRORS} }}
      gone: cartDelete(cartId: $id) {{ deletedCartId {ERRORS} }}
    }}"""
    before = callers.vendor_requests()
    data = await callers.storefront.execute(query, {"id": cart["id"]})
    assert callers.vendor_requests() == before
    assert [(e["code"], e["field"]) for e in data["buyer"]["userErrors"]] == [
        ("ACCESS_DENIED", ["buyerIdentity", "customerId"])]
    assert [e["code"] for e in data["add"]["userErrors"]] == ["ACCESS_DENIED"]
    assert data["gone"]["deletedCartId"] is None
    assert [e["code"] for e in data["gone"]["userErrors"]] == ["ACCESS_DENIED"]
    read = await callers.trusted.cart(cart["id"])
    assert read is not None and read["version"] == cart["version"]


async def test_storefront_reads_and_plain_writes_are_unchanged(callers: Callers) -> None:
    created = await callers.storefront.create({"backend": "ELASTIC_PATH", "currencyCode": "USD",
                                               "lines": [{"sku": "MUG-ORBIT", "quantity": 2}]})
    assert created["userErrors"] == []
    added = await callers.storefront.add_lines(created["cart"]["id"], [{"sku": "PENCIL-HB"}])
    assert added["userErrors"] == [] and added["cart"]["totalQuantity"] == 3
    read = await callers.storefront.cart(created["cart"]["id"])
    assert read is not None and read["version"] == added["cart"]["version"]
    # An explicit null is not a use.
    updated = await callers.storefront.update_lines(
        created["cart"]["id"], [{"id": _line(read), "quantity": 5, "listPrice": None}])
    assert updated["userErrors"] == [] and updated["cart"]["totalQuantity"] == 6


async def test_a_bad_token_is_refused_before_idempotency_records_anything(
        callers: Callers) -> None:
    body = {"query": CREATE, "variables": {"input": {"lines": [{"sku": "MUG-ORBIT"}]}}}
    headers = {"idempotency-key": "create-once-1"}
    refused = await callers.bad_token.http.post("/graphql", json=body, headers=headers)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert SERVER_TOKEN not in refused.text
    assert callers.vendor_requests() == 0
    first = await callers.trusted.http.post("/graphql", json=body, headers=headers)
    assert first.status_code == 200 and "idempotent-replayed" not in first.headers
    assert first.json()["data"]["cartCreate"]["userErrors"] == []


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "bearer nope", "Bearer a b"])
async def test_any_unmatched_bearer_is_401(callers: Callers, header: str) -> None:
    response = await callers.storefront.http.post(
        "/graphql", json={"query": "{ backends { backend } }"},
        headers={"authorization": header})
    assert response.status_code == 401
    assert callers.vendor_requests() == 0


async def test_a_get_request_is_a_caller_too(callers: Callers) -> None:
    query = "query($id: ID!) { cart(id: $id) { id } }"
    cart = await _cart(callers)
    params = {"query": query, "variables": f'{{"id": "{cart["id"]}"}}'}
    trusted = await callers.trusted.http.get("/graphql", params=params)
    assert trusted.json()["data"]["cart"]["id"] == cart["id"]
    bad = await callers.bad_token.http.get("/graphql", params=params)
    assert bad.status_code == 401


async def _one_app(vendor_traffic: dict[Any, CountingTransport], *, env: str,
                   check: Callable[[httpx.AsyncClient], Awaitable[None]]) -> None:
    app = create_app(gateway_settings(env=env), transports=dict(vendor_traffic))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            await check(http)


async def test_production_without_tokens_trusts_nobody(
        vendor_traffic: dict[Any, CountingTransport]) -> None:
    async def check(http: httpx.AsyncClient) -> None:
        refused = await http.post("/graphql", json={"query": COMPARE, "variables": {
            "input": {"lines": [{"sku": "MUG-ORBIT"}]}}})
        codes = {e["code"] for r in refused.json()["data"]["cartCompare"]["results"]
                 for e in r["userErrors"]}
        assert codes == {"ACCESS_DENIED"}
        bearer = await http.post("/graphql", json={"query": "{ backends { backend } }"},
                                 headers={"authorization": "Bearer anything"})
        assert bearer.status_code == 401

    await _one_app(vendor_traffic, env="production", check=check)
    assert sum(len(t.requests) for t in vendor_traffic.values()) == 0


async def test_development_without_tokens_trusts_everyone(
        vendor_traffic: dict[Any, CountingTransport]) -> None:
    async def check(http: httpx.AsyncClient) -> None:
        response = await http.post("/graphql", json={"query": COMPARE, "variables": {
            "input": {"lines": [{"sku": "MUG-ORBIT"}]}}})
        results = response.json()["data"]["cartCompare"]["results"]
        assert [r["userErrors"] for r in results] == [[], []]

    await _one_app(vendor_traffic, env="development", check=check)


async def test_the_second_configured_token_is_trusted_too(
        vendor_traffic: dict[Any, CountingTransport]) -> None:
    async for served in serve_callers(vendor_traffic, server_tokens=f"{SERVER_TOKEN},other"):
        ran = await served.trusted.execute(COMPARE, {"input": {"lines": [{"sku": "MUG-ORBIT"}]}})
        assert all(r["userErrors"] == [] for r in ran["cartCompare"]["results"])


def _serve_notice(tmp_path: Path, **env: str) -> str:
    """What `cartgate serve` says at start, up to the GraphQL address and one line more."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "serve", "--port", str(port)],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CARTGATE_SANDBOX": "off", **env})
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if "Uvicorn running" in line or "Application startup complete" in line \
                    or len(lines) > 20:
                break
        return "".join(lines)
    finally:
        process.terminate()
        process.communicate(timeout=10)  # drains and closes the pipe


def test_serve_says_once_that_everyone_is_trusted(tmp_path: Path) -> None:
    notice = _serve_notice(tmp_path)
    assert notice.count("every caller is a trusted server caller") == 1
    quiet = _serve_notice(tmp_path, CARTGATE_SERVER_TOKENS=SERVER_TOKEN)
    assert "every caller" not in quiet and SERVER_TOKEN not in quiet


@pytest.mark.parametrize("query, variables", [
    ("mutation($id: ID!) { ...Move } fragment Move on Mutation { "
     "cartTransfer(cartId: $id, to: ELASTIC_PATH) { userErrors { code field } } }", {}),
    ("mutation($id: ID!) { cartTransfer(cartId: $id, to: ELASTIC_PATH) @skip(if: false) "
     "{ userErrors { code field } } }", {}),
    ("mutation($id: ID!, $line: CartLineInput!) { cartLinesAdd(cartId: $id, lines: [$line]) "
     "{ userErrors { code field } } }", {"line": {"sku": "MUG-ORBIT", "listPrice": "0.01"}}),
    ("mutation($id: ID!, $price: Decimal) { cartLinesAdd(cartId: $id, "
     "lines: [{sku: \"MUG-ORBIT\", listPrice: $price}]) { userErrors { code field } } }",
     {"price": "0.01"}),
], ids=["fragment", "directive", "variable inside a list", "variable inside a literal"])
async def test_trusted_only_inputs_are_found_however_they_are_written(
        callers: Callers, query: str, variables: dict[str, Any]) -> None:
    cart = await _cart(callers)
    before = callers.vendor_requests()
    response = await callers.storefront.raw(query, {"id": cart["id"], **variables})
    body = response.json()
    codes = [e["extensions"]["code"] for e in body.get("errors", [])] + [
        e["code"] for payload in (body.get("data") or {}).values() for e in payload["userErrors"]]
    assert codes == ["ACCESS_DENIED"], body
    assert callers.vendor_requests() == before
