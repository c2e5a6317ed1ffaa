"""Fault injection in both vendor sandboxes: each kind as a client sees it on the wire."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette

from sandboxes.bigcommerce import SANDBOX_ACCESS_TOKEN
from sandboxes.bigcommerce import create_sandbox_app as bigcommerce_app
from sandboxes.bigcommerce.errors import STATUS_CODES_URL
from sandboxes.elasticpath import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from sandboxes.elasticpath import create_sandbox_app as elasticpath_app
from sandboxes.faults import FaultPlan, Faults
from sandboxes.loopback import LoopbackServer

pytestmark = pytest.mark.anyio

CONTROL = "/__sandbox/faults"
MUG_ID = "a246b329-370e-5386-a1a5-071e8cd824ee"


@dataclass(frozen=True)
class Vendor:
    name: str
    make_app: Callable[[], Starlette]
    read_path: str  # a vendor GET that answers 200
    create_path: str  # a vendor POST that answers 201 with a `data` object
    create_body: dict[str, Any]
    stripped: frozenset[str]  # what missing_fields takes out of `data`
    service_unavailable: dict[str, Any]  # the vendor's 503 body

    async def authorize(self, client: httpx.AsyncClient) -> None:
        if self.name == "bigcommerce":
            client.headers["X-Auth-Token"] = SANDBOX_ACCESS_TOKEN
            return
        response = await client.post("/oauth/access_token", data={
            "grant_type": "client_credentials", "client_id": SANDBOX_CLIENT_ID,
            "client_secret": SANDBOX_CLIENT_SECRET,
        })
        client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"


BIGCOMMERCE = Vendor(
    name="bigcommerce",
    make_app=bigcommerce_app,
    read_path="/stores/sandbox/v3/catalog/variants",
    create_path="/stores/sandbox/v3/carts",
    create_body={"line_items": [{"product_id": 112, "variant_id": 212, "quantity": 1}]},
    stripped=frozenset({"id", "currency", "base_amount", "discount_amount", "cart_amount"}),
    service_unavailable={"status": 503, "title": "Service Unavailable", "type": STATUS_CODES_URL},
)
ELASTICPATH = Vendor(
    name="elasticpath",
    make_app=elasticpath_app,
    read_path="/v2/currencies",
    create_path="/v2/carts",
    create_body={"data": {"name": "Faulty cart"}},
    stripped=frozenset({"id", "meta"}),
    service_unavailable={"errors": [{
        "status": 503, "title": "Service Unavailable",
        "detail": "The server cannot process the request due to a high load",
    }]},
)


@pytest.fixture(params=[BIGCOMMERCE, ELASTICPATH], ids=lambda vendor: vendor.name)
def vendor(request: pytest.FixtureRequest) -> Vendor:
    chosen: Vendor = request.param
    return chosen


@pytest.fixture
def app(vendor: Vendor) -> Starlette:
    return vendor.make_app()


@pytest.fixture
def faults(app: Starlette) -> Faults:
    queue: Faults = app.state.faults
    return queue


@pytest.fixture
async def client(vendor: Vendor, app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An authorised in-process client; authorised before any test queues a fault."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        await vendor.authorize(client)
        yield client


@pytest.fixture
async def control(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client with no vendor credentials, for the control routes."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        yield client


@pytest.fixture
def served(vendor: Vendor) -> Iterator[tuple[Starlette, str]]:
    """The vendor's sandbox under uvicorn on loopback: its app and its URL."""
    app = vendor.make_app()
    server = LoopbackServer(app).start()
    try:
        yield app, server.url
    finally:
        server.stop()


# status


async def test_status_answers_the_vendor_error_body_once(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("status", status=503, headers={"Retry-After": "7"}))

    failed = await client.get(vendor.read_path)
    passed = await client.get(vendor.read_path)

    assert failed.status_code == 503
    assert failed.json() == vendor.service_unavailable
    assert failed.headers["content-type"] == "application/json"
    assert failed.headers["retry-after"] == "7"
    assert int(failed.headers["content-length"]) == len(failed.content)
    assert passed.status_code == 200
    assert faults.pending() == []


async def test_bigcommerce_429_carries_its_rate_limit_headers() -> None:
    app = bigcommerce_app()
    app.state.faults.inject(FaultPlan("status", status=429))
    app.state.faults.inject(
        FaultPlan("status", status=429, headers={"X-Rate-Limit-Time-Reset-Ms": "250"})
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://sandbox") as client:
        await BIGCOMMERCE.authorize(client)
        first = await client.get(BIGCOMMERCE.read_path)
        second = await client.get(BIGCOMMERCE.read_path)

    assert first.status_code == 429
    assert first.json() == {"status": 429, "title": "Too Many Requests", "type": STATUS_CODES_URL}
    assert {name: first.headers[name] for name in (
        "X-Rate-Limit-Time-Reset-Ms", "X-Rate-Limit-Time-Window-Ms",
        "X-Rate-Limit-Requests-Left", "X-Rate-Limit-Requests-Quota",
    )} == {
        "X-Rate-Limit-Time-Reset-Ms": "1500", "X-Rate-Limit-Time-Window-Ms": "30000",
        "X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Requests-Quota": "150",
    }
    assert "retry-after" not in first.headers
    # The plan's value replaces the default rather than being sent beside it.
    assert second.headers.get_list("x-rate-limit-time-reset-ms") == ["250"]
    assert second.headers["x-rate-limit-requests-quota"] == "150"


async def test_elasticpath_429_sends_retry_after_only_when_planned() -> None:
    app = elasticpath_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://sandbox") as client:
        await ELASTICPATH.authorize(client)
        app.state.faults.inject(FaultPlan("status", status=429))
        app.state.faults.inject(FaultPlan("status", status=429, headers={"Retry-After": "2"}))
        first = await client.get(ELASTICPATH.read_path)
        second = await client.get(ELASTICPATH.read_path)

    assert first.status_code == second.status_code == 429
    assert first.json() == {"errors": [{
        "status": 429, "title": "Too Many Requests",
        "detail": 'The user has sent too many requests in a given amount of time ("rate limiting")',
    }]}
    assert "retry-after" not in first.headers
    assert not any(name.startswith("x-rate-limit") for name in first.headers)
    assert second.headers["retry-after"] == "2"


async def test_plans_play_in_order_and_each_count_is_consumed(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("status", count=2, status=500))
    faults.inject(FaultPlan("status", status=502))

    first = await client.get(vendor.read_path)
    left_after_one = faults.pending()
    rest = [(await client.get(vendor.read_path)).status_code for _ in range(3)]

    assert first.status_code == 500
    assert [(plan.status, plan.count) for plan in left_after_one] == [(500, 1), (502, 1)]
    assert rest == [500, 502, 200]
    assert faults.pending() == []


async def test_until_played_waits_for_every_plan_to_be_played(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("status", count=2, status=500))
    with pytest.raises(TimeoutError):
        await faults.until_played(within=0.05)
    await client.get(vendor.read_path)
    await client.get(vendor.read_path)
    await faults.until_played(within=0.05)
    assert faults.pending() == []


async def test_clear_forgets_every_plan(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("status", count=5, status=500))
    faults.inject(FaultPlan("reset"))
    faults.clear()

    assert faults.pending() == []
    assert (await client.get(vendor.read_path)).status_code == 200


# filters


async def test_method_filter_spares_other_methods(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("status", status=500, method="post"))

    read = await client.get(vendor.read_path)
    still_queued = faults.pending()
    created = await client.post(vendor.create_path, json=vendor.create_body)

    assert read.status_code == 200
    assert [plan.method for plan in still_queued] == ["POST"]
    assert created.status_code == 500


async def test_path_filter_spares_other_paths(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("status", status=500, path_contains="/carts"))

    read = await client.get(vendor.read_path)
    created = await client.post(vendor.create_path, json=vendor.create_body)
    created_again = await client.post(vendor.create_path, json=vendor.create_body)

    assert read.status_code == 200
    assert created.status_code == 500
    assert created_again.status_code == 201


async def test_health_and_control_routes_never_play_a_fault(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("status", status=500))

    health = await client.get("/healthz")
    listed = await client.get(CONTROL)
    vendor_answer = await client.get(vendor.read_path)

    assert health.status_code == 200
    assert listed.status_code == 200
    assert [plan["count"] for plan in listed.json()["faults"]] == [1]
    assert vendor_answer.status_code == 500


async def test_concurrent_requests_consume_exactly_count(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("status", count=3, status=503))
    statuses: list[int] = []

    async def one() -> None:
        statuses.append((await client.get(vendor.read_path)).status_code)

    async with anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(one)

    assert sorted(statuses) == [200] * 7 + [503] * 3
    assert faults.pending() == []


# malformed_json, missing_fields, body


async def test_malformed_json_is_a_200_that_does_not_parse(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("malformed_json"))

    response = await client.get(vendor.read_path)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b'{"data": {"id": '
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert (await client.get(vendor.read_path)).json()["data"] != []


async def test_missing_fields_strips_the_real_answer(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("missing_fields", method="POST"))

    stripped = await client.post(vendor.create_path, json=vendor.create_body)
    whole = await client.post(vendor.create_path, json=vendor.create_body)

    assert stripped.status_code == whole.status_code == 201
    data, real = stripped.json()["data"], whole.json()["data"]
    assert vendor.stripped <= set(real)
    assert list(data) == [name for name in real if name not in vendor.stripped]
    assert int(stripped.headers["content-length"]) == len(stripped.content)
    assert stripped.headers["content-type"] == "application/json"


async def test_missing_fields_strips_every_record_of_a_list() -> None:
    app = elasticpath_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://sandbox") as client:
        await ELASTICPATH.authorize(client)
        added = await client.post("/v2/carts/c1/items", json={
            "data": {"type": "cart_item", "id": MUG_ID, "quantity": 2}
        })
        app.state.faults.inject(FaultPlan("missing_fields", path_contains="/items"))
        items = await client.get("/v2/carts/c1/items")

    assert added.status_code == 201
    assert items.status_code == 200
    records = items.json()["data"]
    assert [record["quantity"] for record in records] == [2]
    assert all({"id", "meta", "unit_price", "value"}.isdisjoint(r) for r in records)


async def test_missing_fields_leaves_an_error_answer_alone() -> None:
    app = bigcommerce_app()
    app.state.faults.inject(FaultPlan("missing_fields"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://sandbox") as client:
        await BIGCOMMERCE.authorize(client)
        response = await client.get("/stores/sandbox/v3/carts/no-such-cart")

    assert response.status_code == 404
    assert set(response.json()) == {"status", "title", "type"}


async def test_body_answers_the_plans_own_body_and_headers(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("body", status=502, body="<html>Bad gateway</html>",
                            headers={"Content-Type": "text/html"}))
    faults.inject(FaultPlan("body", status=200, body={"data": None, "meta": {}}))

    html = await client.get(vendor.read_path)
    empty = await client.get(vendor.read_path)

    assert html.status_code == 502
    assert html.text == "<html>Bad gateway</html>"
    assert html.headers.get_list("content-type") == ["text/html"]
    assert empty.status_code == 200
    assert empty.json() == {"data": None, "meta": {}}
    assert empty.headers["content-type"] == "application/json"


async def test_delay_passes_the_real_answer_through(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    expected = (await client.get(vendor.read_path)).json()
    faults.inject(FaultPlan("delay", delay_seconds=0.01, headers={"X-Sandbox-Fault": "delay"}))

    response = await client.get(vendor.read_path)

    assert response.status_code == 200
    assert response.json() == expected
    assert response.headers["x-sandbox-fault"] == "delay"


# reset and delay on the wire


async def test_reset_in_process_is_a_transport_error(
    vendor: Vendor, faults: Faults, client: httpx.AsyncClient
) -> None:
    faults.inject(FaultPlan("reset"))

    with pytest.raises(httpx.ReadError):
        await client.get(vendor.read_path)
    assert (await client.get(vendor.read_path)).status_code == 200


async def test_reset_over_loopback_breaks_the_body(
    vendor: Vendor, served: tuple[Starlette, str]
) -> None:
    _, url = served
    async with httpx.AsyncClient(base_url=url, timeout=5) as http:
        await vendor.authorize(http)
        planned = await http.post(CONTROL, json={"kind": "reset",
                                                 "path_contains": vendor.read_path})
        async with http.stream("GET", vendor.read_path) as response:
            assert response.status_code == 200
            assert response.headers["content-length"] == str(len(b'{"data": {"id": "') + 4096)
            with pytest.raises(httpx.RemoteProtocolError, match="incomplete|peer closed"):
                await response.aread()
        after = await http.get(vendor.read_path)

    assert planned.status_code == 201
    assert after.status_code == 200


async def test_delay_over_loopback_trips_a_client_timeout(
    vendor: Vendor, served: tuple[Starlette, str]
) -> None:
    app, url = served
    async with httpx.AsyncClient(base_url=url, timeout=5) as http:
        await vendor.authorize(http)
        app.state.faults.inject(FaultPlan("delay", delay_seconds=0.5))
        with pytest.raises(httpx.ReadTimeout):
            await http.get(vendor.read_path, timeout=0.1)
        prompt = await http.get(vendor.read_path)
        app.state.faults.inject(FaultPlan("delay", delay_seconds=0.3))
        started = time.perf_counter()
        late = await http.get(vendor.read_path)
        elapsed = time.perf_counter() - started

    assert prompt.status_code == 200
    assert late.status_code == 200
    assert late.json() == prompt.json()
    assert elapsed >= 0.3


# the HTTP control API


async def test_control_api_queues_lists_and_clears(
    vendor: Vendor, control: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    posted = await control.post(CONTROL, json={
        "kind": "status", "status": 503, "count": 2, "method": "get", "path_contains": "/v",
        "headers": {"Retry-After": "1"},
    })
    plan = {"kind": "status", "count": 2, "status": 503, "delay_seconds": 0.0, "method": "GET",
            "path_contains": "/v", "headers": {"Retry-After": "1"}, "body": None,
            "rewrite": {}}
    listed = await control.get(CONTROL)
    failed = await client.get(vendor.read_path)
    listed_after = await control.get(CONTROL)
    cleared = await control.delete(CONTROL)
    listed_empty = await control.get(CONTROL)
    passed = await client.get(vendor.read_path)

    assert (posted.status_code, posted.json()) == (201, plan)
    assert (listed.status_code, listed.json()) == (200, {"faults": [plan]})
    assert failed.status_code == 503
    assert listed_after.json() == {"faults": [{**plan, "count": 1}]}
    assert (cleared.status_code, cleared.content) == (204, b"")
    assert listed_empty.json() == {"faults": []}
    assert passed.status_code == 200


@pytest.mark.parametrize(("body", "error"), [
    (b"not json", "Expecting value"),
    (b"[]", "must be a JSON object"),
    (b'{"status": 503}', "kind is required"),
    (b'{"kind": "explode"}', "kind must be one of"),
    (b'{"kind": "status", "status": 503, "colour": "red"}', "unknown fields: colour"),
    (b'{"kind": "status"}', "needs a status from 400 to 599"),
    (b'{"kind": "status", "status": 200}', "needs a status from 400 to 599"),
    (b'{"kind": "reset", "status": 500}', "takes no status"),
    (b'{"kind": "reset", "count": 0}', "count must be a positive integer"),
    (b'{"kind": "reset", "count": true}', "count must be a positive integer"),
    (b'{"kind": "delay"}', "needs delay_seconds above zero"),
    (b'{"kind": "delay", "delay_seconds": -1}', "finite number"),
    (b'{"kind": "status", "status": 503, "body": {}}', "takes no body"),
    (b'{"kind": "reset", "headers": {"X-A": 1}}', "headers must map strings"),
    (b'{"kind": "reset", "method": 5}', "method must be a string"),
])
async def test_control_api_refuses_a_bad_plan(
    body: bytes, error: str, faults: Faults, control: httpx.AsyncClient
) -> None:
    response = await control.post(CONTROL, content=body)

    assert response.status_code == 400
    assert error in response.json()["error"]
    assert faults.pending() == []


async def test_control_api_answers_unknown_methods_and_paths(control: httpx.AsyncClient) -> None:
    wrong_method = await control.put(CONTROL, json={})
    wrong_path = await control.get("/__sandbox/nothing")

    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "GET, POST, DELETE"
    assert (wrong_path.status_code, wrong_path.json()) == (404, {"error": "not found"})


def test_fault_plan_checks_itself_in_python() -> None:
    with pytest.raises(ValueError, match="needs a status"):
        FaultPlan("status")
    with pytest.raises(ValueError, match="kind must be one of"):
        FaultPlan("timeout")  # type: ignore[arg-type]
    headers = {"Retry-After": "1"}
    plan = FaultPlan("status", status=503, headers=headers, method="delete")
    headers["Retry-After"] = "9"
    assert (plan.method, plan.headers) == ("DELETE", {"Retry-After": "1"})


async def test_a_rewrite_fault_changes_the_real_answer_by_pattern() -> None:
    app = elasticpath_app()
    app.state.faults.inject(FaultPlan("rewrite", rewrite={r'"status":\s*\d+': '"status":-3'}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://sandbox") as http:
        answer = await http.get("/healthz")
        rewritten = await http.get("/v2/carts/none")
    assert answer.status_code == 200
    assert b'"status":-3' in rewritten.content
    assert int(rewritten.headers["content-length"]) == len(rewritten.content)


def test_a_rewrite_fault_needs_valid_patterns() -> None:
    with pytest.raises(ValueError, match="rewrite"):
        FaultPlan("rewrite")
    with pytest.raises(ValueError, match="rewrite pattern"):
        FaultPlan("rewrite", rewrite={"(": "x"})
    with pytest.raises(ValueError, match="rewrite"):
        FaultPlan("status", status=500, rewrite={"a": "b"})
