"""README's GraphQL blocks run as pasted, in order, against the sandboxes.

Between blocks the test carries ``cartId`` the way the gateway's GraphiQL does: the id of
the last cart an answer named goes into the variables. They run as a storefront caller,
and ``token`` is a customer access token signed as README's example signs one.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from graphql import OperationDefinitionNode, parse

from tests.gateway.conftest import CUSTOMER_SECRET, Callers

pytestmark = pytest.mark.anyio

README = Path(__file__).resolve().parents[2] / "README.md"
_BLOCK = re.compile(r"^```graphql\n(.*?)^```", re.DOTALL | re.MULTILINE)


def readme_blocks() -> list[str]:
    return _BLOCK.findall(README.read_text(encoding="utf-8"))


def last_cart_id(answer: object) -> str | None:
    """The id of the last ``cart`` object in an answer, depth first (as GraphiQL reads it)."""
    found: str | None = None
    if isinstance(answer, dict):
        for key, value in answer.items():
            if key == "cart" and isinstance(value, dict) and isinstance(value.get("id"), str):
                found = value["id"]
            found = last_cart_id(value) or found
    elif isinstance(answer, list):
        for item in answer:
            found = last_cart_id(item) or found
    return found


def test_every_block_is_one_named_operation() -> None:
    blocks = readme_blocks()
    assert len(blocks) == 5
    for block in blocks:
        operations = [d for d in parse(block).definitions
                      if isinstance(d, OperationDefinitionNode)]
        assert len(operations) == 1, block
        assert operations[0].name is not None, block


async def test_blocks_run_in_order(callers: Callers) -> None:
    gateway = callers.storefront
    token = jwt.encode({"sub": "42", "exp": int(time.time()) + 900}, CUSTOMER_SECRET,
                       algorithm="HS256")
    variables: dict[str, Any] = {"token": token}
    answers = []
    for block in readme_blocks():
        response = await gateway.raw(block, variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, (block, body)
        answers.append(body["data"])
        if cart_id := last_cart_id(body["data"]):
            variables["cartId"] = cart_id

    created, applied, read, gift, bound = answers
    cart = created["cartCreate"]["cart"]
    assert created["cartCreate"]["userErrors"] == []
    assert cart["id"].startswith("gid://bigcommerce/Cart/")
    assert cart["totalQuantity"] == 6
    # The sandbox catalog: 3 x 19.99 + 3 x 0.10.
    assert cart["cost"]["subtotalAmount"]["amount"] == "60.27"
    assert applied["cartDiscountCodesUpdate"]["userErrors"] == []
    assert applied["cartDiscountCodesUpdate"]["cart"]["discountCodes"] == [
        {"code": "SAVE15", "applicable": True}]
    total = applied["cartDiscountCodesUpdate"]["cart"]["cost"]["totalAmount"]["amount"]
    # 15% off each line, rounded per line: 8.9955 -> 9.00 and 0.045 -> 0.05.
    assert total == "51.22"
    assert read["cart"]["id"] == cart["id"]
    assert read["cart"]["version"] == applied["cartDiscountCodesUpdate"]["cart"]["version"]
    assert read["cart"]["discountCodes"] == [{"code": "SAVE15"}]
    assert read["cart"]["lines"] == [{"sku": "TEE-TRAIL-M", "quantity": 3},
                                     {"sku": "PENCIL-HB", "quantity": 3}]
    noted = gift["cartAttributesUpdate"]
    assert noted["userErrors"] == []
    assert noted["cart"]["attributes"] == [  # in key order
        {"key": "delivery", "value": "Leave at the door"},
        {"key": "gift_message", "value": "Happy birthday, Ana"}]
    assert noted["cart"]["note"] == "Ring twice"
    assert noted["cart"]["version"] != read["cart"]["version"]
    assert bound["cartBuyerIdentityUpdate"] == {"cart": {"customerId": "42"}, "userErrors": []}
