"""A vendor's error text never reaches the storefront; the logs keep it short and clean."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from adapters.vendor_text import MAX_CHARS
from sandboxes.bigcommerce import SANDBOX_ACCESS_TOKEN
from sandboxes.elasticpath import SANDBOX_CLIENT_SECRET
from sandboxes.faults import FaultPlan
from tests.contract.test_faults import _cart
from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio

SECRET = {Backend.BIGCOMMERCE: SANDBOX_ACCESS_TOKEN, Backend.ELASTIC_PATH: SANDBOX_CLIENT_SECRET}


def _hostile_body(vendor: Backend) -> Any:
    title = f"Invalid request for token {SECRET[vendor]} " + "x" * 500_000
    if vendor is Backend.BIGCOMMERCE:
        return {"status": 422, "title": title, "type": "about:blank"}
    return {"errors": [{"status": 422, "title": title, "detail": SECRET[vendor]}]}


async def test_vendor_error_text_is_not_shown_and_is_logged_scrubbed(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette], vendor: Backend,
    backend_name: str, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="cartgate")
    cart = await _cart(gateway, backend_name)
    sandboxes[vendor].state.faults.inject(FaultPlan(
        "body", status=422, body=_hostile_body(vendor), method="POST", path_contains="/items"))
    result = await gateway.add_lines(cart["id"], [{"sku": "TOTE-CANVAS"}])
    [error] = result["userErrors"]
    assert error["code"] == "INVALID"
    assert SECRET[vendor] not in error["message"]
    assert "xxxxxxxxxx" not in error["message"] and len(error["message"]) < 120
    said = [r.getMessage() for r in caplog.records if "answered 422" in r.getMessage()]
    assert said, "the vendor's text was not logged"
    assert all(SECRET[vendor] not in line and len(line) < MAX_CHARS + 100 for line in said)
    assert "[redacted]" in said[0]
    assert SECRET[vendor] not in caplog.text
