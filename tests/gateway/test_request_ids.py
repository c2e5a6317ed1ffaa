"""Request ids: echoed to the client, sent to every vendor, on every log line; JSON logs
are one object per line.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from gateway.observability.logs import configure_logging
from sandboxes.faults import FaultPlan
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio

GENERATED = re.compile(r"[0-9a-f]{32}")
CREATE = {"backend": "ELASTIC_PATH", "currencyCode": "USD", "lines": [{"sku": "PENCIL-HB"}]}


def sent_ids(traffic: dict[Backend, CountingTransport]) -> list[str | None]:
    return [r.headers.get("x-request-id") for t in traffic.values() for r in t.requests]


async def test_the_clients_request_id_is_echoed_and_sent_to_every_vendor_call(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    response = await gateway.http.post(
        "/graphql", headers={"x-request-id": "storefront.42:ab-C/9+="},
        json={"query": "mutation($i: CartCreateInput!) { cartCreate(input: $i) "
                       "{ cart { id } userErrors { code } } }", "variables": {"i": CREATE}})
    assert response.status_code == 200
    assert response.json()["data"]["cartCreate"]["userErrors"] == []
    assert response.headers["x-request-id"] == "storefront.42:ab-C/9+="
    ids = sent_ids(vendor_traffic)
    # token, cart, items (whose answer completes the cart), its product's catalog facts
    assert len(ids) == 4
    assert set(ids) == {"storefront.42:ab-C/9+="}


@pytest.mark.parametrize("given", [b"has space", b"x" * 129, b"caf\xc3\xa9", b"", b"a\"b"])
async def test_an_unsafe_request_id_is_replaced_by_a_new_one(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport], given: bytes,
) -> None:
    response = await gateway.http.post(
        "/graphql", headers=[(b"x-request-id", given)],
        json={"query": "{ backends { backend ready } }"})
    answered = response.headers["x-request-id"]
    assert GENERATED.fullmatch(answered)
    assert set(sent_ids(vendor_traffic)) == {answered}


async def test_every_request_gets_its_own_id(gateway: GraphQLClient) -> None:
    first = await gateway.http.get("/healthz")
    second = await gateway.http.get("/healthz")
    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2 and all(GENERATED.fullmatch(i) for i in ids)


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """configure_logging changes the root logger: put everything back afterwards."""
    root = logging.getLogger()
    names = ("uvicorn", "uvicorn.error", "uvicorn.access", "httpx", "httpcore")
    saved = (root.handlers[:], root.level,
             {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).propagate,
                  logging.getLogger(n).level) for n in names})
    switches = ("logThreads", "logProcesses", "logMultiprocessing", "_srcfile")
    saved_switches = {name: getattr(logging, name) for name in switches}
    yield
    for name, value in saved_switches.items():
        setattr(logging, name, value)
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, (handlers, propagate, level) in saved[2].items():
        logging.getLogger(name).handlers[:] = handlers
        logging.getLogger(name).propagate = propagate
        logging.getLogger(name).setLevel(level)


async def test_json_log_lines_carry_the_request_id(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette],
    capsys: pytest.CaptureFixture[str], restored_logging: None,
) -> None:
    configure_logging(format="json", level="info")
    configure_logging(format="json", level="info")  # again: still one line per record
    capsys.readouterr()
    sandboxes[Backend.BIGCOMMERCE].state.faults.inject(FaultPlan("status", status=500))
    response = await gateway.http.post(
        "/graphql", headers={"x-request-id": "req-1"},
        json={"query": "mutation { cartCreate(input: {backend: BIGCOMMERCE, "
                       "customLines: [{name: \"Wrap\", listPrice: \"2\"}]}) "
                       "{ userErrors { code } } }"})
    assert response.json()["data"]["cartCreate"]["userErrors"] == [
        {"code": "SERVICE_UNAVAILABLE"}]
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(e["logger"], e["level"]) for e in lines] == [
        ("cartgate", "WARNING"), ("cartgate.access", "INFO")]
    warning, access = lines
    assert warning["message"] == "backend failure: BigCommerce answered 500 (SERVICE_UNAVAILABLE)"
    assert warning["request_id"] == access["request_id"] == "req-1"
    assert access["message"] == "POST /graphql 200"
    assert (access["method"], access["path"], access["status"]) == ("POST", "/graphql", 200)
    assert isinstance(access["duration_ms"], float)
    assert set(access) == {"timestamp", "level", "logger", "message", "request_id", "method",
                           "path", "status", "duration_ms"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", access["timestamp"])
    # The gateway's access line replaces uvicorn's, which would lack the request's fields.
    assert not logging.getLogger("uvicorn.access").hasHandlers()


async def test_text_log_lines_carry_the_request_id_too(
    gateway: GraphQLClient, capsys: pytest.CaptureFixture[str], restored_logging: None,
) -> None:
    configure_logging(format="text", level="INFO")
    capsys.readouterr()
    await gateway.http.get("/healthz", headers={"x-request-id": "req-2"})
    (line,) = capsys.readouterr().err.splitlines()
    assert line.endswith(" INFO cartgate.access [req-2] GET /healthz 200")
