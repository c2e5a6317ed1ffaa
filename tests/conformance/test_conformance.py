"""Vendor conformance: every exchange the contract suite makes validates against shared/specs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.model import Backend
from sandboxes.faults import FaultPlan, Faults
from tests.conformance import report
from tests.conformance.specs import NO_SPECS, SPECS_DIR, elasticpath_cart_checkout, lodash_merge
from tests.conformance.validating import Ledger, ValidatingTransport

pytestmark = pytest.mark.skipif(not SPECS_DIR.is_dir(), reason=NO_SPECS)

CART_ID = "bc218c65-7a32-4ab7-8082-68730c074d02"
CARTS = "http://bigcommerce.sandbox/stores/abc123/v3/carts"


def test_overrides_merge_as_lodash_does() -> None:
    target: dict[str, Any] = {"a": {"b": 1, "c": [{"x": 1}, {"y": 2}]}, "d": "kept"}
    source = {"a": {"c": [{"$ref": "#/r"}], "e": True}}

    merged = lodash_merge(target, source)

    assert merged == {"a": {"b": 1, "c": [{"x": 1, "$ref": "#/r"}, {"y": 2}], "e": True},
                      "d": "kept"}


def test_elasticpath_document_has_the_sdk_overrides() -> None:
    document = elasticpath_cart_checkout()
    schemas = document["components"]["schemas"]

    assert schemas["CartEntityResponse"]["properties"]["included"] == {
        "$ref": "#/components/schemas/CartIncluded"}
    get_cart = document["paths"]["/v2/carts/{cartID}"]["get"]["parameters"]
    # The path parameter survives: the include parameter is added beside it.
    assert [p.get("name", p.get("$ref")) for p in get_cart] == [
        "cartID", "#/components/parameters/CartInclude"]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer"}


def _cart(**changes: Any) -> dict[str, Any]:
    cart = {"id": CART_ID, "currency": {"code": "USD"}, "base_amount": 10,
            "discount_amount": 0, "cart_amount": 10,
            "line_items": {"physical_items": [], "digital_items": [], "gift_certificates": []}}
    return {"data": {**cart, **changes}}


async def _exchange(answer: httpx.Response, body: Any) -> Ledger:
    ledger = Ledger()
    transport = ValidatingTransport(httpx.MockTransport(lambda request: answer),
                                    vendor=Backend.BIGCOMMERCE, faults=Faults(), ledger=ledger)
    async with httpx.AsyncClient(transport=transport,
                                 headers={"X-Auth-Token": "secret"}) as client:
        await client.post(CARTS, json=body)
    return ledger


@pytest.mark.anyio
async def test_a_conforming_exchange_counts_as_validated() -> None:
    ledger = await _exchange(httpx.Response(201, json=_cart()),
                             {"line_items": [{"product_id": 1, "quantity": 1}]})

    [(key, tally)] = ledger.tallies.items()
    assert key == ("bigcommerce", "POST /carts", "201")
    assert (tally.requests, tally.responses, tally.failures) == (1, 1, 0)


@pytest.mark.anyio
async def test_wrong_types_either_way_are_failures() -> None:
    ledger = await _exchange(httpx.Response(201, json=_cart(base_amount="10.00")),
                             {"line_items": [{"product_id": "one", "quantity": 1}]})

    tally = ledger.tallies[("bigcommerce", "POST /carts", "201")]
    assert (tally.request_failures, tally.response_failures) == (1, 1)
    assert tally.first_error is not None and tally.first_error.startswith("request:")
    assert any("base_amount" in problem for problem in tally.problems)


@pytest.mark.anyio
async def test_an_undeclared_success_status_is_a_failure() -> None:
    ledger = await _exchange(httpx.Response(200, json=_cart()), {"line_items": []})

    tally = ledger.tallies[("bigcommerce", "POST /carts", "200")]
    assert tally.response_failures == 1
    assert "undeclared-success" in tally.readings


@pytest.mark.anyio
async def test_an_injected_malformed_answer_is_not_validated() -> None:
    faults = Faults()
    faults.inject(FaultPlan("malformed_json"))
    ledger = Ledger()
    inner = httpx.MockTransport(lambda request: httpx.Response(200, content=b'{"data": {'))
    transport = ValidatingTransport(inner, vendor=Backend.BIGCOMMERCE, faults=faults,
                                    ledger=ledger)
    async with httpx.AsyncClient(transport=transport,
                                 headers={"X-Auth-Token": "secret"}) as client:
        await client.get(f"{CARTS}/{CART_ID}")

    tally = ledger.tallies[("bigcommerce", "GET /carts/{cartId}", "200")]
    assert (tally.requests, tally.responses, tally.injected, tally.failures) == (1, 0, 1, 0)


def test_every_vendor_exchange_of_the_contract_suite_conforms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.json"

    run = report.run_suite(ledger)

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    rows = report.load(ledger)
    with capsys.disabled():
        print("\n" + report.table(report.by_endpoint(rows), with_readings=False))
    assert report.failures(rows) == [], json.dumps(report.failures(rows), indent=1)
    endpoints = {(row["vendor"], row["operation"]) for row in report.by_endpoint(rows)
                 if row["requests"] and row["responses"]}
    assert {
        ("bigcommerce", "POST /carts"), ("bigcommerce", "GET /carts/{cartId}"),
        ("bigcommerce", "PUT /carts/{cartId}/items/{itemId}"),
        ("bigcommerce", "POST /checkouts/{checkoutId}/coupons"),
        ("elasticpath", "POST /oauth/access_token"), ("elasticpath", "POST /v2/carts"),
        ("elasticpath", "GET /v2/carts/{cartID}"), ("elasticpath", "POST /v2/carts/{cartID}/items"),
    } <= endpoints
    assert {("bigcommerce", "GET /catalog/variants"),
            ("elasticpath", "GET /catalog/products")} <= endpoints
    # Every exchange has its document in shared/specs now, the catalogs' too.
    assert {row["operation"] for row in rows if row["unspecified"]} == set()
