"""`backends { capabilities }`: what each backend does that another may not, published
as data a storefront branches on, and each one documented in README.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio
README = Path(__file__).resolve().parents[2] / "README.md"


async def test_backends_publish_their_capabilities(gateway: GraphQLClient) -> None:
    data = await gateway.execute("{ backends { backend capabilities } }")
    published = {b["backend"]: set(b["capabilities"]) for b in data["backends"]}
    assert {"LINE_LEVEL_COUPON_ALLOCATION", "CATALOG_LIST_PRICE"} <= published["BIGCOMMERCE"]
    assert {"EMPTY_CART", "CART_NAME"} <= published["ELASTIC_PATH"]
    assert not published["BIGCOMMERCE"] & published["ELASTIC_PATH"]
    text = README.read_text(encoding="utf-8")
    for name in published["BIGCOMMERCE"] | published["ELASTIC_PATH"]:
        assert re.search(rf"`{name}`", text), name
