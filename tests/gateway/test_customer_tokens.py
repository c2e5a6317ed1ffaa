"""buyerIdentity.customerAccessToken: a storefront binds the signed-in customer its own
login vouches for, and nothing else.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest

from adapters.model import Backend
from tests.gateway.conftest import CUSTOMER_SECRET, Callers, serve_callers
from tests.support import CountingTransport

pytestmark = pytest.mark.anyio

# A customer id each vendor accepts: BigCommerce numbers them, Elastic Path uses UUIDs.
CUSTOMERS = {"BIGCOMMERCE": "42", "ELASTIC_PATH": "b3f2b6de-8fd4-4cdf-a9d9-c5f7cecccdfe"}
OTHER_SECRET = "another-login-0123456789abcdef0123456789ab"


def token(sub: str, *, secret: str = CUSTOMER_SECRET, lifetime: int = 600,
          **claims: Any) -> str:
    return jwt.encode({"sub": sub, "exp": int(time.time()) + lifetime, **claims}, secret,
                      algorithm="HS256")


def with_sub(signed: str, sub: str) -> str:
    """The same token with its sub rewritten and the old signature kept."""
    header, payload, signature = signed.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = sub
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def unsigned(sub: str) -> str:
    return jwt.encode({"sub": sub, "exp": int(time.time()) + 600}, None, algorithm="none")


async def _bind(callers: Callers, backend: str, buyer: dict[str, Any]
                ) -> tuple[dict[str, Any], dict[str, Any], int]:
    created = await callers.storefront.create({"backend": backend, "currencyCode": "USD",
                                               "lines": [{"sku": "MUG-ORBIT"}]})
    cart = created["cart"]
    before = callers.vendor_requests()
    result = await callers.storefront.buyer_identity(cart["id"], buyer)
    return cart, result, callers.vendor_requests() - before


@pytest.mark.parametrize("backend", ["BIGCOMMERCE", "ELASTIC_PATH"])
async def test_a_customer_token_round_trip(callers: Callers, backend: str) -> None:
    customer = CUSTOMERS[backend]
    signed = token(customer)
    cart, bound, _ = await _bind(callers, backend, {"customerAccessToken": signed})
    assert bound["userErrors"] == []
    assert bound["cart"]["customerId"] == customer
    read = await callers.storefront.cart(cart["id"])
    assert read is not None and read["customerId"] == customer

    refused = {
        "expired": token(customer, lifetime=-120),
        "signed with another secret": token(customer, secret=OTHER_SECRET),
        "sub changed": with_sub(signed, "7"),
        "alg none": unsigned(customer),
        "no exp": jwt.encode({"sub": customer}, CUSTOMER_SECRET, algorithm="HS256"),
    }
    print(f"\ncustomer token on {backend}: signed with the secret -> customerId {customer}")
    for name, bad in refused.items():
        cart, result, made = await _bind(callers, backend, {"customerAccessToken": bad})
        codes = [(e["code"], e["field"]) for e in result["userErrors"]]
        print(f"  {name:<27} -> {codes[0][0]}, vendor requests {made}")
        assert codes == [("ACCESS_DENIED", ["buyerIdentity", "customerAccessToken"])], name
        assert result["cart"] is None and made == 0
        read = await callers.storefront.cart(cart["id"])
        assert read is not None and read["customerId"] is None
        assert bad not in json.dumps(result)


async def test_a_malformed_token_is_invalid(callers: Callers) -> None:
    for bad in ("not-a-jwt", "a.b.c", "x" * 5000):
        _, result, made = await _bind(callers, "BIGCOMMERCE", {"customerAccessToken": bad})
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("INVALID", ["buyerIdentity", "customerAccessToken"])]
        assert made == 0


async def test_a_customer_token_binds_at_cart_creation(callers: Callers) -> None:
    created = await callers.storefront.create({
        "backend": "ELASTIC_PATH", "currencyCode": "USD", "lines": [{"sku": "MUG-ORBIT"}],
        "buyerIdentity": {"customerAccessToken": token(CUSTOMERS["ELASTIC_PATH"])}})
    assert created["userErrors"] == []
    assert created["cart"]["customerId"] == CUSTOMERS["ELASTIC_PATH"]


async def test_customer_id_and_token_together_are_refused(callers: Callers) -> None:
    buyer = {"customerId": "42", "customerAccessToken": token("42")}
    _, storefront, made = await _bind(callers, "BIGCOMMERCE", buyer)
    assert [e["code"] for e in storefront["userErrors"]] == ["ACCESS_DENIED"] and made == 0
    cart = (await callers.trusted.create({"backend": "BIGCOMMERCE",
                                          "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]
    trusted = await callers.trusted.buyer_identity(cart["id"], buyer)
    assert [(e["code"], e["field"]) for e in trusted["userErrors"]] == [
        ("INVALID", ["buyerIdentity", "customerAccessToken"])]


@pytest.fixture
async def audience_callers(
        vendor_traffic: dict[Backend, CountingTransport]) -> AsyncIterator[Callers]:
    async for served in serve_callers(vendor_traffic, customer_token_audience="cartgate",
                                      customer_token_issuer="https://login.shop.example"):
        yield served


async def test_audience_and_issuer_are_checked_when_configured(
        audience_callers: Callers) -> None:
    good = token("42", aud="cartgate", iss="https://login.shop.example")
    _, bound, _ = await _bind(audience_callers, "BIGCOMMERCE", {"customerAccessToken": good})
    assert bound["cart"]["customerId"] == "42"
    for bad in (token("42", aud="elsewhere", iss="https://login.shop.example"),
                token("42", aud="cartgate", iss="https://evil.example"),
                token("42")):
        _, result, made = await _bind(audience_callers, "BIGCOMMERCE",
                                      {"customerAccessToken": bad})
        assert [e["code"] for e in result["userErrors"]] == ["ACCESS_DENIED"] and made == 0


async def test_without_a_secret_no_customer_token_is_accepted(
        vendor_traffic: dict[Backend, CountingTransport]) -> None:
    async for served in serve_callers(vendor_traffic, customer_token_secret=None):
        _, result, made = await _bind(served, "BIGCOMMERCE", {"customerAccessToken": token("42")})
        assert [e["code"] for e in result["userErrors"]] == ["ACCESS_DENIED"] and made == 0


def test_a_short_secret_is_refused_at_start() -> None:
    from gateway.access.customer_tokens import CustomerTokens

    with pytest.raises(ValueError, match="at least 32 bytes"):
        CustomerTokens(secret="short")
