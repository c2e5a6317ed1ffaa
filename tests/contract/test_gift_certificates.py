"""Gift certificates bought as cart lines (BigCommerce), on cartCreate and cartLinesAdd."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.model import Backend
from tests.support import CountingTransport, GraphQLClient, amount

pytestmark = pytest.mark.anyio

CARD = {"name": "Birthday card", "amount": "25.00", "theme": "Birthday",
        "sender": {"name": "Ana", "email": "ana@example.com"},
        "recipient": {"name": "Bo", "email": "bo@example.com"},
        "message": "Happy birthday!"}
ADD = ("mutation($id: ID!, $gifts: [GiftCertificateInput!]) { cartLinesAdd(cartId: $id, "
       "giftCertificates: $gifts) { cart { id version lines { kind name quantity "
       "cost { totalAmount { amount } } giftCertificate { sender { name email } "
       "recipient { name email } theme message } } } userErrors { code field message } } }")


def card_line(cart: dict[str, Any]) -> dict[str, Any]:
    return next(line for line in cart["lines"] if line["kind"] == "GIFT_CERTIFICATE")


@pytest.mark.capability("gift_certificates")
async def test_a_gift_certificate_at_creation(
    gateway: GraphQLClient, vendor: Backend, vendor_traffic: dict[Backend, CountingTransport],
    backend_name: str, supports: bool,
) -> None:
    result = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                   "lines": [{"sku": "MUG-ORBIT"}],
                                   "giftCertificates": [{**CARD, "quantity": 2}]})
    if supports:
        assert result["userErrors"] == []
        line = card_line(result["cart"])
        assert (line["name"], line["quantity"], amount(line["cost"]["totalAmount"])) == (
            "Birthday card", 2, "50.00")
        assert line["giftCertificate"] == {
            "sender": CARD["sender"], "recipient": CARD["recipient"], "theme": "Birthday",
            "message": "Happy birthday!"}
        read = await gateway.cart(result["cart"]["id"])
        assert read is not None and card_line(read)["giftCertificate"] == line["giftCertificate"]
    else:
        assert result["cart"] is None
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["input", "giftCertificates"])]
        assert vendor_traffic[vendor].writes() == []


@pytest.mark.capability("gift_certificates")
async def test_a_gift_certificate_added(
    gateway: GraphQLClient, vendor: Backend, vendor_traffic: dict[Backend, CountingTransport],
    backend_name: str, supports: bool,
) -> None:
    cart = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                  "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    writes = len(vendor_traffic[vendor].writes())
    payload = (await gateway.execute(ADD, {"id": cart["id"], "gifts": [CARD]}))["cartLinesAdd"]
    if supports:
        assert payload["userErrors"] == []
        assert card_line(payload["cart"])["giftCertificate"]["theme"] == "Birthday"
        assert payload["cart"]["version"] != cart["version"]
    else:
        assert payload["cart"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
            ("UNSUPPORTED_OPERATION", ["giftCertificates"])]
        assert len(vendor_traffic[vendor].writes()) == writes


@pytest.mark.capability("gift_certificates")
@pytest.mark.parametrize(("change", "field", "code"), [
    ({"theme": "Wedding"}, "theme", "INVALID"),
    ({"amount": "1000.01"}, "amount", "INVALID"),
    ({"amount": "0"}, "amount", "INVALID"),
    ({"message": "m" * 201}, "message", "INVALID"),
])
async def test_a_gift_certificate_outside_the_vendors_bounds_is_refused_before_io(
    gateway: GraphQLClient, vendor: Backend, vendor_traffic: dict[Backend, CountingTransport],
    backend_name: str, supports: bool, change: dict[str, Any], field: str, code: str,
) -> None:
    result = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                   "giftCertificates": [{**CARD, **change}]})
    assert result["cart"] is None
    gateway_checks = field in ("message",) or change.get("amount") == "0"
    expected = ["input", "giftCertificates", "0", field] if supports or gateway_checks else [
        "input", "giftCertificates"]
    wanted = code if supports or gateway_checks else "UNSUPPORTED_OPERATION"
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(wanted, expected)]
    assert [len(t.requests) for t in vendor_traffic.values()] == [0] * len(vendor_traffic)
