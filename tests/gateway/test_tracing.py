"""OpenTelemetry spans when CARTGATE_OTEL_ENABLED: one graphql.operation span per
operation, with a backend.call child for each exchange the vendor received.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from starlette.applications import Starlette

from adapters.model import Backend
from adapters.observer import endpoint_template
from gateway.app import create_app
from sandboxes.faults import FaultPlan
from tests.conftest import gateway_settings
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio


@pytest.fixture
async def traced(
    vendor_traffic: dict[Backend, CountingTransport],
) -> AsyncIterator[tuple[GraphQLClient, InMemorySpanExporter]]:
    app = create_app(gateway_settings(otel_enabled=True), transports=dict(vendor_traffic))
    exporter = InMemorySpanExporter()
    app.state.telemetry.tracing.add_exporter(exporter)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            yield GraphQLClient(http), exporter


async def test_an_operation_span_has_a_child_span_for_each_vendor_call(
    traced: tuple[GraphQLClient, InMemorySpanExporter],
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    client, exporter = traced
    created = await client.create({"backend": "ELASTIC_PATH", "currencyCode": "USD",
                                   "lines": [{"sku": "PENCIL-HB"}]})
    assert created["userErrors"] == []
    spans = exporter.get_finished_spans()
    operations = [s for s in spans if s.name == "graphql.operation"]
    assert len(operations) == 1
    operation = operations[0]
    assert dict(operation.attributes or {}) == {
        "graphql.operation.name": "cartCreate", "graphql.operation.type": "mutation",
        "cartgate.outcome": "ok",
    }
    calls = [s for s in spans if s.name == "backend.call"]
    sent = vendor_traffic[Backend.ELASTIC_PATH].requests
    assert [(s.attributes or {})["http.request.method"] for s in calls] == \
        [r.method for r in sent]
    assert [(s.attributes or {})["url.template"] for s in calls] == \
        ["/oauth/access_token", "/v2/carts", "/v2/carts/{id}/items", "/catalog/products"]
    assert [endpoint_template(r.url.path) for r in sent] == \
        [(s.attributes or {})["url.template"] for s in calls]
    assert operation.context is not None
    for call in calls:
        assert call.parent is not None and call.parent.span_id == operation.context.span_id
        assert call.context is not None and call.context.trace_id == operation.context.trace_id
        assert (call.attributes or {})["cartgate.vendor"] == "elasticpath"
        assert call.start_time is not None and operation.start_time is not None
        assert call.start_time >= operation.start_time
    assert [(s.attributes or {})["http.response.status_code"] for s in calls] == \
        [200, 201, 201, 200]


async def test_a_failed_vendor_call_is_an_error_span(
    traced: tuple[GraphQLClient, InMemorySpanExporter], sandboxes: dict[Backend, Starlette],
) -> None:
    client, exporter = traced
    sandboxes[Backend.BIGCOMMERCE].state.faults.inject(FaultPlan("status", status=503))
    payload = await client.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                   "customLines": [{"name": "Gift wrap", "listPrice": "2"}]})
    assert [e["code"] for e in payload["userErrors"]] == ["SERVICE_UNAVAILABLE"]
    spans = exporter.get_finished_spans()
    (call,) = [s for s in spans if s.name == "backend.call"]
    assert (call.attributes or {})["http.response.status_code"] == 503
    assert call.status.status_code is StatusCode.ERROR
    (operation,) = [s for s in spans if s.name == "graphql.operation"]
    assert (operation.attributes or {})["cartgate.outcome"] == "user_error"


async def test_tracing_is_off_by_default() -> None:
    app = create_app(gateway_settings())
    assert app.state.telemetry.tracing is None


READ = "query($id: ID!) { cart(id: $id) { id } }"
STOREFRONT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
STOREFRONT_SPAN = "00f067aa0ba902b7"


async def test_a_storefront_traceparent_is_continued(
    traced: tuple[GraphQLClient, InMemorySpanExporter],
) -> None:
    client, exporter = traced
    response = await client.http.post(
        "/graphql", json={"query": READ, "variables": {"id": "gid://bigcommerce/Cart/x"}},
        headers={"traceparent": f"00-{STOREFRONT_TRACE}-{STOREFRONT_SPAN}-01"})
    assert response.status_code == 200
    spans = exporter.get_finished_spans()
    operation = next(s for s in spans if s.name == "graphql.operation")
    assert operation.context is not None and operation.parent is not None
    assert format(operation.context.trace_id, "032x") == STOREFRONT_TRACE
    assert format(operation.parent.span_id, "016x") == STOREFRONT_SPAN
    assert operation.parent.is_remote
    for call in (s for s in spans if s.name == "backend.call"):
        assert call.context is not None
        assert format(call.context.trace_id, "032x") == STOREFRONT_TRACE


@pytest.mark.parametrize("header", [None, "garbage", f"00-{'0' * 32}-{STOREFRONT_SPAN}-01"])
async def test_without_a_valid_traceparent_an_operation_starts_its_own_trace(
    traced: tuple[GraphQLClient, InMemorySpanExporter], header: str | None,
) -> None:
    client, exporter = traced
    headers = {"traceparent": header} if header is not None else {}
    response = await client.http.post(
        "/graphql", json={"query": READ, "variables": {"id": "gid://bigcommerce/Cart/x"}},
        headers=headers)
    assert response.status_code == 200 and "data" in response.json()
    operation = next(s for s in exporter.get_finished_spans() if s.name == "graphql.operation")
    assert operation.parent is None
    assert operation.context is not None
    assert format(operation.context.trace_id, "032x") not in (STOREFRONT_TRACE, "0" * 32)


async def test_a_browser_storefront_may_send_its_trace_context() -> None:
    origin = "https://shop.example"
    app = create_app(gateway_settings(cors_origins=origin, otel_enabled=True))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://gateway") as http:
        preflight = await http.options("/graphql", headers={
            "origin": origin, "access-control-request-method": "POST",
            "access-control-request-headers": "content-type, traceparent, tracestate"})
    assert preflight.status_code == 200
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert {"traceparent", "tracestate"} <= {h.strip() for h in allowed.split(",")}
