"""A BigCommerce change of several calls that fails part-way says what was applied."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from sandboxes.faults import FaultPlan
from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio


async def test_second_line_failing_reports_the_first_as_applied(
    gateway: GraphQLClient, sandboxes: dict[Backend, Starlette]
) -> None:
    created = await gateway.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                    "lines": [{"sku": "MUG-ORBIT"}, {"sku": "LAMP-DESK"}]})
    cart = created["cart"]
    mug = next(line for line in cart["lines"] if line["sku"] == "MUG-ORBIT")
    lamp = next(line for line in cart["lines"] if line["sku"] == "LAMP-DESK")
    lamp_native = lamp["id"].rsplit("/", 1)[1]
    sandboxes[Backend.BIGCOMMERCE].state.faults.inject(
        FaultPlan("status", status=503, method="PUT", path_contains=lamp_native))

    result = await gateway.update_lines(cart["id"], [{"id": mug["id"], "quantity": 4},
                                                     {"id": lamp["id"], "quantity": 2}],
                                        expected_version=cart["version"])

    [error] = result["userErrors"]
    assert (error["code"], error["field"]) == ("SERVICE_UNAVAILABLE", ["lines", "1"])
    assert "already applied: lines.0" in error["message"]
    # The payload shows the cart as it is: the mug changed, the lamp did not.
    quantities = {line["sku"]: line["quantity"] for line in result["cart"]["lines"]}
    assert quantities == {"MUG-ORBIT": 4, "LAMP-DESK": 1}
    assert result["cart"]["version"] != cart["version"]
