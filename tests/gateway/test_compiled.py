"""A compiled query answers exactly as the full GraphQL pipeline did the first time."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import strawberry
from starlette.applications import Starlette

from adapters.model import Backend
from gateway.app import create_app
from gateway.graphql.error_masking import MASKED, MaskUnexpected
from gateway.graphql.schema import GatewaySchema
from tests.conftest import gateway_settings
from tests.support import CART_FIELDS, GraphQLClient

pytestmark = pytest.mark.anyio


@pytest.fixture
async def served(sandboxes: dict[Backend, Starlette]) -> AsyncIterator[tuple[GraphQLClient, Any]]:
    """The gateway in process, and its compiled documents, to see how often they served."""
    transports: dict[Backend, httpx.AsyncBaseTransport] = {
        b: httpx.ASGITransport(app=app) for b, app in sandboxes.items()
    }
    app = create_app(gateway_settings(), transports=transports)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            yield GraphQLClient(http), app.state.fast_path.compiled

QUERIES = [
    f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS} }} }}",
    "query Named($id: ID!) { __typename first: cart(id: $id) { __typename id "
    "lines { __typename sku quantity } } second: cart(id: $id) { version } }",
    "fragment Totals on CartCost { totalAmount { amount formatted } subtotalAmount { amount } }"
    " query($id: ID!) { cart(id: $id) { id cost { ...Totals } "
    "... on Cart { lines { id cost { totalAmount { amount } } } } "
    "cost { totalTaxAmount { amount } } } }",
    "query($id: ID!) { cart(id: $id) { id id lines { sku } lines { quantity } } }",
    "query($id: ID!) { cart(id: $id) { id } backends { backend sandbox ready } }",
]


async def _twice(gateway: GraphQLClient, query: str, variables: dict[str, Any]) -> list[Any]:
    answers = []
    for _ in range(3):
        response = await gateway.raw(query, variables)
        # BigCommerce signs a fresh checkout link on every read.
        text = re.sub(r"token=[0-9a-f]+", "token=*", response.text)
        answers.append((response.status_code, json.loads(text)))
    return answers


@pytest.mark.parametrize("backend_name", ["BIGCOMMERCE", "ELASTIC_PATH"])
@pytest.mark.parametrize("query", QUERIES)
async def test_compiled_answer_equals_the_first(served: tuple[GraphQLClient, Any],
                                                backend_name: str, query: str) -> None:
    gateway, compiled_documents = served
    created = await gateway.create({
        "backend": backend_name, "currencyCode": "JOD", "locale": "ar-JO",
        # Four lines or more: the serialized lines are remembered between reads.
        "lines": [{"sku": "MUG-ORBIT", "quantity": 2}, {"sku": "TEE-TRAIL-S"},
                  {"sku": "PENCIL-HB", "quantity": 3}],
        "customLines": [{"sku": "WRAP", "name": "Wrapping", "listPrice": "0.500"}],
    })
    cart_id = created["cart"]["id"]
    hits = compiled_documents.hits
    first, *again = await _twice(gateway, query, {"id": cart_id})
    assert first[0] == 200 and "errors" not in first[1], first
    assert all(answer == first for answer in again)
    assert compiled_documents.hits == hits + 2  # the repeats were served compiled


@pytest.mark.parametrize("backend_name", ["BIGCOMMERCE", "ELASTIC_PATH"])
async def test_a_compiled_read_shows_a_change_at_once(served: tuple[GraphQLClient, Any],
                                                      backend_name: str) -> None:
    gateway, _ = served
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD", "lines": [
        {"sku": sku} for sku in ("MUG-ORBIT", "TEE-TRAIL-S", "PENCIL-HB", "TOTE-CANVAS")]})
    cart = created["cart"]
    query = QUERIES[0]
    for _ in range(3):  # compiled, with the lines remembered
        read = (await gateway.execute(query, {"id": cart["id"]}))["cart"]
        assert [line["quantity"] for line in read["lines"]] == [1, 1, 1, 1]
    pencil = next(line["id"] for line in cart["lines"] if line["sku"] == "PENCIL-HB")
    updated = await gateway.update_lines(cart["id"], [{"id": pencil, "quantity": 7}])
    assert updated["userErrors"] == []
    read = (await gateway.execute(query, {"id": cart["id"]}))["cart"]
    assert {line["sku"]: line["quantity"] for line in read["lines"]}["PENCIL-HB"] == 7
    assert read["version"] == updated["cart"]["version"]


@pytest.mark.parametrize("cart_id", ["gid://bigcommerce/Cart/..", "gid://nope/Cart/1",
                                     "gid://bigcommerce/Cart/00000000-0000-4000-8000-000000000000"])
async def test_errors_and_nulls_are_the_same_when_compiled(served: tuple[GraphQLClient, Any],
                                                           cart_id: str) -> None:
    gateway, compiled_documents = served
    warm = await gateway.create({"backend": "BIGCOMMERCE", "lines": [{"sku": "MUG-ORBIT"}]})
    query = QUERIES[0]
    await gateway.raw(query, {"id": warm["cart"]["id"]})  # compiles the document
    compiled = await _twice(gateway, query, {"id": cart_id})
    compiled_documents.put(query, None, None)  # forget it: the full pipeline answers again
    full = await _twice(gateway, query, {"id": cart_id})
    assert compiled[0] == full[0]
    assert len({repr(answer) for answer in compiled + full}) == 1


async def test_variable_errors_take_the_normal_path(gateway: GraphQLClient) -> None:
    query = QUERIES[0]
    warm = await gateway.create({"backend": "BIGCOMMERCE", "lines": [{"sku": "MUG-ORBIT"}]})
    await gateway.raw(query, {"id": warm["cart"]["id"]})
    response = await gateway.raw(query, {"id": None})
    body = response.json()
    assert "errors" in body and "data" not in body or body.get("data") is None
    assert "$id" in body["errors"][0]["message"]


ADD = f"""mutation($id: ID!, $lines: [CartLineInput!]) {{
  cartLinesAdd(cartId: $id, lines: $lines) {{
    cart {{ {CART_FIELDS} }} userErrors {{ code field message }} warnings {{ code message }}
  }}
}}"""


def _without_identity(answer: Any) -> str:
    # Carts differ in ids, versions and times; everything else must be equal.
    text = json.dumps(answer, sort_keys=True)
    text = re.sub(r'"(id|version|createdAt|updatedAt|checkoutUrl)": "[^"]*"', r'"\1": "*"',
                  text)
    return re.sub(r"gid://[a-z]+/(Cart|CartLine)/[^\"]+", r"gid://\1", text)


@pytest.mark.parametrize("backend_name", ["BIGCOMMERCE", "ELASTIC_PATH"])
async def test_compiled_mutation_answers_like_the_executor(
    served: tuple[GraphQLClient, Any], backend_name: str
) -> None:
    gateway, compiled_documents = served
    answers = []
    for _ in range(3):
        created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                        "lines": [{"sku": "MUG-ORBIT"}]})
        response = await gateway.raw(ADD, {"id": created["cart"]["id"],
                                           "lines": [{"sku": "TOTE-CANVAS", "quantity": 2}]})
        body = response.json()
        assert body["data"]["cartLinesAdd"]["userErrors"] == []
        assert body["data"]["cartLinesAdd"]["cart"]["totalQuantity"] == 3
        answers.append(_without_identity(body))
    assert compiled_documents.hits >= 2
    assert answers[0] == answers[1] == answers[2]


async def test_compiled_mutation_user_errors_and_bad_ids(served: tuple[GraphQLClient, Any]) -> None:
    gateway, compiled_documents = served
    created = await gateway.create({"backend": "BIGCOMMERCE", "lines": [{"sku": "MUG-ORBIT"}]})
    await gateway.raw(ADD, {"id": created["cart"]["id"], "lines": [{"sku": "LAMP-DESK"}]})
    hits = compiled_documents.hits
    refused = (await gateway.raw(ADD, {"id": created["cart"]["id"],
                                       "lines": [{"sku": "MUG-ORBIT", "quantity": 0}]})).json()
    assert refused["data"]["cartLinesAdd"]["userErrors"] == [
        {"code": "LESS_THAN", "field": ["lines", "0", "quantity"],
         "message": "quantity must be at least 1"}]
    bad = (await gateway.raw(ADD, {"id": "gid://nope/Cart/1", "lines": []})).json()
    assert [e["code"] for e in bad["data"]["cartLinesAdd"]["userErrors"]] == ["INVALID"]
    assert compiled_documents.hits == hits + 2


async def test_a_compiled_mutation_is_never_run_for_a_get(
    served: tuple[GraphQLClient, Any],
) -> None:
    gateway, _ = served
    created = await gateway.create({"backend": "BIGCOMMERCE", "lines": [{"sku": "MUG-ORBIT"}]})
    variables = {"id": created["cart"]["id"], "lines": [{"sku": "LAMP-DESK"}]}
    await gateway.raw(ADD, variables)  # compiles the document
    response = await gateway.http.get("/graphql", params={
        "query": ADD, "variables": json.dumps(variables)})
    assert response.status_code in (400, 405)
    cart = await gateway.cart(created["cart"]["id"])
    assert cart is not None and cart["totalQuantity"] == 2  # the first add only


@strawberry.type
class _Total:
    quantity: int


@strawberry.type
class _Query:
    @strawberry.field
    def total(self) -> _Total:
        return _Total(quantity=2**31)


@strawberry.type
class _Mutation:
    @strawberry.mutation
    def grow(self) -> _Total | None:
        return _Total(quantity=2**31)


async def test_a_read_the_compiled_path_cannot_serialize_is_left_to_the_executor() -> None:
    schema = GatewaySchema(query=_Query, mutation=_Mutation, extensions=[MaskUnexpected])
    document = "query { total { quantity } }"
    executed = await schema.execute(document)
    # Only a document that ran cleanly is compiled: compile this one by hand.
    schema.fast_path.compiled.put(document, None, schema._compile(document, None))
    compiled = schema.fast_path.compiled.get(document, None)
    assert compiled is not None
    assert await compiled.run(context=None, variables=None) is None
    served = await schema.execute(document)
    assert served.data is None and executed.data is None  # total is non-null
    assert [e.formatted for e in served.errors or ()] == \
        [e.formatted for e in executed.errors or ()]
    assert "32-bit" in (served.errors or [])[0].message  # graphql-core's own words


async def test_a_mutation_answer_that_cannot_be_serialized_is_a_masked_error() -> None:
    schema = GatewaySchema(query=_Query, mutation=_Mutation, extensions=[MaskUnexpected])
    document = "mutation { grow { quantity } }"
    schema.fast_path.compiled.put(document, None, schema._compile(document, None))
    served = await schema.execute(document)
    assert schema.fast_path.compiled.hits == 1  # served compiled: the mutation ran once
    assert served.data is None
    assert [e.formatted for e in served.errors or ()] == [
        {"message": MASKED, "locations": [{"line": 1, "column": 12}], "path": ["grow"]}]
