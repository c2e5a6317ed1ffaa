"""GET /metrics: operations by root fields and outcome, vendor calls by endpoint template
and status, idempotent replays; every count checked against what really happened.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from adapters.model import Backend
from adapters.observer import endpoint_template
from gateway.app import create_app
from sandboxes.faults import FaultPlan
from tests.conftest import gateway_settings
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

Samples = dict[tuple[tuple[str, str], ...], float]


@pytest.fixture
async def observed(
    vendor_traffic: dict[Backend, CountingTransport],
) -> AsyncIterator[tuple[GraphQLClient, Starlette]]:
    """The gateway in process, with its app at hand."""
    app = create_app(gateway_settings(), transports=dict(vendor_traffic))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            yield GraphQLClient(http), app


async def scrape(client: GraphQLClient) -> str:
    response = await client.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def samples(text: str, name: str) -> Samples:
    """Every sample called ``name``, keyed by its sorted labels."""
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def key(**labels: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(labels.items()))


def recorded(traffic: dict[Backend, CountingTransport]) -> Counter[tuple[str, str, str]]:
    """Vendor requests as the wire saw them, templated the way the metrics label them."""
    return Counter((backend.value, r.method, endpoint_template(r.url.path))
                   for backend, transport in traffic.items() for r in transport.requests)


async def test_a_cart_flow_is_counted_by_operation_outcome_and_vendor_endpoint(
    observed: tuple[GraphQLClient, Starlette], vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    client, _ = observed
    for backend in ("BIGCOMMERCE", "ELASTIC_PATH"):
        created = await client.create({"backend": backend, "currencyCode": "USD",
                                       "lines": [{"sku": "PENCIL-HB"}]})
        cart_id = created["cart"]["id"]
        refused = await client.add_lines(cart_id, [{"sku": "PENCIL-HB", "quantity": 0}])
        assert [e["code"] for e in refused["userErrors"]] == ["LESS_THAN"]
        await client.cart(cart_id)
        await client.cart(cart_id)  # served compiled: counted all the same
        assert (await client.delete(cart_id))["userErrors"] == []
    bad = await client.raw("{ cart(id: 1) { nope } }")
    assert bad.status_code == 200 and "errors" in bad.json()
    text = await scrape(client)

    assert samples(text, "cartgate_graphql_operations_total") == {
        key(operation="cartCreate", type="mutation", outcome="ok"): 2,
        key(operation="cartLinesAdd", type="mutation", outcome="user_error"): 2,
        key(operation="cart", type="query", outcome="ok"): 4,
        key(operation="cartDelete", type="mutation", outcome="ok"): 2,
        key(operation="cart", type="query", outcome="request_error"): 1,
    }
    assert samples(text, "cartgate_graphql_error_codes_total") == {
        key(operation="cartLinesAdd", code="LESS_THAN"): 2,
    }
    assert samples(text, "cartgate_graphql_operation_duration_seconds_count")[
        key(operation="cart", type="query")] == 5
    calls = samples(text, "cartgate_backend_requests_total")
    assert calls == {
        key(vendor="bigcommerce", method="GET", endpoint="/stores/{id}/v3/catalog/variants",
            status="200"): 1,
        key(vendor="bigcommerce", method="POST", endpoint="/stores/{id}/v3/carts",
            status="201"): 1,
        key(vendor="bigcommerce", method="GET", endpoint="/stores/{id}/v3/carts/{id}",
            status="200"): 2,
        # Each cart read asks for the cart's attributes (metafields) at the same time.
        key(vendor="bigcommerce", method="GET",
            endpoint="/stores/{id}/v3/carts/{id}/metafields", status="200"): 2,
        key(vendor="bigcommerce", method="DELETE", endpoint="/stores/{id}/v3/carts/{id}",
            status="204"): 1,
        key(vendor="elasticpath", method="POST", endpoint="/oauth/access_token",
            status="200"): 1,
        key(vendor="elasticpath", method="POST", endpoint="/v2/carts", status="201"): 1,
        key(vendor="elasticpath", method="POST", endpoint="/v2/carts/{id}/items",
            status="201"): 1,
        # The two reads; the delete needs none after the gateway's own last write.
        key(vendor="elasticpath", method="GET", endpoint="/v2/carts/{id}", status="200"): 2,
        # The line's catalog facts, read once and cached for every later read.
        key(vendor="elasticpath", method="GET", endpoint="/catalog/products",
            status="200"): 1,
        key(vendor="elasticpath", method="DELETE", endpoint="/v2/carts/{id}",
            status="204"): 1,
    }
    # The same calls the vendors received, one for one.
    assert Counter({(dict(k)["vendor"], dict(k)["method"], dict(k)["endpoint"]): int(v)
                    for k, v in calls.items()}) == recorded(vendor_traffic)
    assert samples(text, "cartgate_http_responses_total") == {
        key(route="/graphql", status="200"): 11,
    }


async def test_a_vendor_outage_shows_as_503_calls_and_a_service_unavailable_outcome(
    observed: tuple[GraphQLClient, Starlette], sandboxes: dict[Backend, Starlette],
) -> None:
    client, _ = observed
    created = await client.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                   "lines": [{"sku": "PENCIL-HB"}]})
    sandboxes[Backend.BIGCOMMERCE].state.faults.inject(FaultPlan("status", status=503, count=10))
    response = await client.raw("query($id: ID!) { cart(id: $id) { id } }",
                                {"id": created["cart"]["id"]})
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    text = await scrape(client)
    calls = samples(text, "cartgate_backend_requests_total")
    # A read is tried three times before the gateway gives up.
    assert calls[key(vendor="bigcommerce", method="GET", endpoint="/stores/{id}/v3/carts/{id}",
                     status="503")] == 3
    assert samples(text, "cartgate_graphql_operations_total")[
        key(operation="cart", type="query", outcome="graphql_error")] == 1
    assert samples(text, "cartgate_graphql_error_codes_total") == {
        key(operation="cart", code="SERVICE_UNAVAILABLE"): 1,
    }


async def test_idempotent_replays_are_counted(
    observed: tuple[GraphQLClient, Starlette],
) -> None:
    client, _ = observed
    body = {"query": 'mutation { cartDelete(cartId: "gid://bigcommerce/Cart/none") '
                     "{ deletedCartId } }"}
    for _ in range(3):
        answer = await client.http.post("/graphql", json=body, headers={"idempotency-key": "k"})
        assert answer.status_code == 200
    other = await client.http.post("/graphql", json={**body, "variables": {}},
                                   headers={"idempotency-key": "k"})
    assert other.status_code == 422
    text = await scrape(client)
    assert samples(text, "cartgate_idempotency_requests_total") == {
        key(outcome="first"): 1, key(outcome="replayed"): 2, key(outcome="key_reused"): 1,
    }
    # Replays are answered from the record: the operation ran once.
    assert samples(text, "cartgate_graphql_operations_total") == {
        key(operation="cartDelete", type="mutation", outcome="user_error"): 1,
    }


async def test_operation_names_come_from_the_schema_never_from_the_client(
    observed: tuple[GraphQLClient, Starlette],
) -> None:
    client, _ = observed
    await client.execute("query Anything { __typename backends { backend } }")
    await client.execute("query A { ...Both } query B { backends { backend } } "
                         "fragment Both on Query { backends { sandbox } __typename }")
    await client.http.post("/graphql", json={"query": "query A { __typename } query B "
                                             "{ backends { backend } }", "operationName": "B"})
    refused = await client.http.get("/graphql", params={
        "query": 'mutation { cartDelete(cartId: "x") { deletedCartId } }'})
    assert refused.status_code in (400, 405)
    await client.raw("{ notAField }")
    await client.raw("query {")
    text = await scrape(client)
    assert samples(text, "cartgate_graphql_operations_total") == {
        key(operation="__typename+backends", type="query", outcome="ok"): 2,
        key(operation="backends", type="query", outcome="ok"): 1,
        key(operation="cartDelete", type="mutation", outcome="request_error"): 1,
        key(operation="invalid", type="query", outcome="request_error"): 1,
        key(operation="invalid", type="unknown", outcome="request_error"): 1,
    }


def test_endpoint_templates_keep_words_and_hide_values() -> None:
    assert endpoint_template("/stores/abc123/v3/carts/9f2/items/77") == \
        "/stores/{id}/v3/carts/{id}/items/{id}"
    assert endpoint_template("/v2/carts/items/items/carts") == "/v2/carts/{id}/items/{id}"
    assert endpoint_template("/v2/carts/c1/discounts/SAVE10") == "/v2/carts/{id}/discounts/{id}"
    assert endpoint_template("/v2/carts/c1/relationships/customers") == \
        "/v2/carts/{id}/relationships/customers"
    assert endpoint_template("/v2/settings/cart") == "/v2/settings/cart"
    assert endpoint_template("/stores/h/v3/checkouts/c/coupons/FREE%20SHIP") == \
        "/stores/{id}/v3/checkouts/{id}/coupons/{id}"
    assert endpoint_template("/anything/else") == "/{id}/{id}"


async def test_a_metrics_sample_after_a_flow(observed: tuple[GraphQLClient, Starlette]) -> None:
    """Prints a sample of /metrics: pytest keeps it quiet unless run with -s."""
    client, _ = observed
    created = await client.create({"backend": "ELASTIC_PATH", "currencyCode": "USD",
                                   "lines": [{"sku": "PENCIL-HB", "quantity": 2}]})
    await client.cart(created["cart"]["id"])
    text = await scrape(client)
    lines = [line for line in text.splitlines()
             if "_created" not in line and ('le="0.01"' in line or "_bucket" not in line)]
    print("\n--- /metrics sample ---\n" + "\n".join(lines))
    assert 'cartgate_graphql_operations_total{operation="cartCreate",outcome="ok",' \
           'type="mutation"} 1.0' in lines


def test_distinct_operation_names_are_capped() -> None:
    from itertools import combinations

    from gateway.graphql.schema import build_schema
    from gateway.observability.operation_labels import MAX_NAMES, OperationLabels

    labels = OperationLabels(build_schema()._schema)
    fields = ["cartCreate", "cartDelete", "cartLinesAdd", "cartLinesRemove", "cartLinesUpdate",
              "cartTransfer", "cartCompare", "cartAttributesUpdate"]
    documents = [" ".join(f"{name}: {name}" for name in combo)
                 for size in (1, 2, 3) for combo in combinations(fields, size)]
    names = [labels.label(f"mutation {{ {body} }}", None)[0] for body in documents]
    assert len(documents) > MAX_NAMES
    assert len(set(names) - {"other"}) == MAX_NAMES
    assert names[:2] == ["cartCreate", "cartDelete"] and names[-1] == "other"
    # A name seen before the cap keeps its label afterwards.
    assert labels.label("mutation { cartCreate { cart { id } } }", None) == \
        ("cartCreate", "mutation")


@pytest.mark.parametrize("backend_name", ["BIGCOMMERCE", "ELASTIC_PATH"])
async def test_cart_reads_count_reused_and_built_answers(
    observed: tuple[GraphQLClient, Starlette], backend_name: str,
) -> None:
    client, _ = observed
    created = await client.create({"backend": backend_name, "currencyCode": "USD",
                                   "lines": [{"sku": "MUG-ORBIT"}]})
    cart_id = created["cart"]["id"]
    vendor = "bigcommerce" if backend_name == "BIGCOMMERCE" else "elasticpath"
    name = "cartgate_cart_read_answers_total"
    before = samples(await scrape(client), name)
    for _ in range(3):
        assert await client.cart(cart_id) is not None
    await client.add_lines(cart_id, [{"sku": "TOTE-CANVAS"}])
    assert await client.cart(cart_id) is not None  # a changed cart: built again
    after = samples(await scrape(client), name)

    def grew(outcome: str) -> float:
        label = key(vendor=vendor, outcome=outcome)
        return after[label] - before.get(label, 0.0)

    # The first read builds the cart, the next two reuse it, the read after the change
    # builds it again. The write itself reads nothing first.
    assert (grew("reused"), grew("built")) == (2, 2)


async def test_compiled_operations_are_counted(
    observed: tuple[GraphQLClient, Starlette],
) -> None:
    client, app = observed
    created = await client.create({"backend": "ELASTIC_PATH", "currencyCode": "USD",
                                   "lines": [{"sku": "MUG-ORBIT"}]})
    before = samples(await scrape(client), "cartgate_compiled_operations_served_total")
    for _ in range(3):  # the first run compiles it, the two after are served compiled
        assert await client.cart(created["cart"]["id"]) is not None
    text = await scrape(client)
    after = samples(text, "cartgate_compiled_operations_served_total")
    assert after[()] - before.get((), 0.0) == 2
    assert samples(text, "cartgate_compiled_documents")[()] == len(app.state.fast_path.compiled)
    assert len(app.state.fast_path.compiled) >= 1
