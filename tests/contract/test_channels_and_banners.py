"""channelId on cartCreate (BigCommerce channels) and Cart.promotionBanners."""

from __future__ import annotations

import pytest

from adapters.model import Backend
from tests.support import CountingTransport, GraphQLClient

pytestmark = pytest.mark.anyio


@pytest.mark.capability("channels")
async def test_a_cart_on_a_channel(gateway: GraphQLClient, vendor: Backend,
                                   vendor_traffic: dict[Backend, CountingTransport],
                                   backend_name: str, supports: bool) -> None:
    result = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                   "lines": [{"sku": "MUG-ORBIT"}], "channelId": 2})
    if supports:
        assert result["userErrors"] == []
        [create] = [r for r in vendor_traffic[vendor].requests if r.method == "POST"]
        assert b'"channel_id":2' in create.content.replace(b" ", b"")
        assert result["cart"]["promotionBanners"] == []  # the sandbox runs no promotions
    else:
        assert result["cart"] is None
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["input", "channelId"])]
        assert vendor_traffic[vendor].writes() == []


async def test_a_channel_below_one_is_refused_before_io(
    gateway: GraphQLClient, vendor_traffic: dict[Backend, CountingTransport], backend_name: str,
) -> None:
    result = await gateway.create({"backend": backend_name, "lines": [{"sku": "MUG-ORBIT"}],
                                   "channelId": 0})
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("INVALID", ["input", "channelId"])]
    assert [len(t.requests) for t in vendor_traffic.values()] == [0] * len(vendor_traffic)


async def test_promotion_banners_are_empty_where_a_vendor_has_none(
    gateway: GraphQLClient, backend_name: str,
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    read = await gateway.cart(cart["id"])
    assert read is not None and read["promotionBanners"] == []
