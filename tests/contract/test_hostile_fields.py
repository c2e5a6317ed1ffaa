"""Any field of any vendor answer, given any kind of hostile JSON value, ends in a cart or
a typed error: never an internal error, never a 500.

``test_hostile_answers.py`` names the faults the README's table lists; this sweeps them.
The fields are every key the vendor's own answers hold, read from real answers of its
sandbox, so a field the sandbox starts to answer is swept too. Each value replaces the
field wherever it stands (an object or a list is kept beside it under another name, so
the body stays JSON).

- The answers about a cart (with an item and a code, so promotions and coupons are
  there): for a read and an add with every value, for each other write with one value
  of each kind.
- The answers a cart's creation reads besides: the catalog's, and Elastic Path's token.
  Each case runs on a gateway of its own, whose caches have not seen them yet.
- The answers of every other operation (delivery, billing, buyer, manual discounts,
  transfer, compare), the keys it reads each with one value of each kind.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from adapters.observer import endpoint_template
from gateway.app import create_app
from sandboxes.faults import FaultPlan
from tests.conftest import gateway_settings
from tests.contract.conftest import GRAPHQL_NAME, delivers, grants_manual_discounts
from tests.delivery_support import LANDED_FIELDS, US_ADDRESS, deliver, set_address
from tests.support import CART_FIELDS, CountingTransport, GraphQLClient, VendorTraffic

pytestmark = pytest.mark.anyio

# What a broken or hostile vendor puts where a value belongs: each JSON kind, numbers at
# and past every bound (an Int, the 30 digits read, a float, what a Decimal can hold),
# text where a number belongs, a long text, nesting.
HOSTILE = ["null", "true", "-1", "0", "1.5", "99999999999999999999999999999", "1e400",
           "1e99999999999999999999", '""', '"x"', '"-5"', '"' + "é" * 2000 + '"', "{}", "[]",
           '{"a":{"b":[1]}}', "[1,2]"]
# One of each kind, for the sweep that builds a gateway per case (text that is not ASCII:
# a token goes into a header).
KINDS = ["null", "true", "-1", '"é"', '{"a":{"b":[1]}}', "[1,2]"]
_SCALAR = r'(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)'
_NEW_CART = {"currencyCode": "USD", "lines": [{"sku": "MUG-ORBIT"}], "discountCodes": ["SAVE10"]}
_CREATE = ("mutation($input: CartCreateInput!) { cartCreate(input: $input)"
           f" {{ cart {{ {CART_FIELDS} }} userErrors {{ code field message }} }} }}")
_READ = f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS} }} }}"
_PAYLOAD = f"cart {{ {CART_FIELDS} }} userErrors {{ code field message }}"


def _mutation(name: str, declared: str, arguments: str) -> tuple[str, str]:
    return name, f"mutation({declared}) {{ {name}({arguments}) {{ {_PAYLOAD} }} }}"


# Each operation on a cart: the read and the add with every value, the other writes with
# one of each kind. ``$line`` is the cart's line, ``$address`` a delivery address.
_OPERATIONS: list[tuple[str | None, str, list[str]]] = [
    (None, _READ, HOSTILE),
    (*_mutation("cartLinesAdd", "$id: ID!", 'cartId: $id, lines: [{sku: "TOTE-CANVAS"}]'),
     HOSTILE),
    (*_mutation("cartLinesUpdate", "$id: ID!, $line: ID!",
                "cartId: $id, lines: [{id: $line, quantity: 3}]"), KINDS),
    (*_mutation("cartLinesRemove", "$id: ID!, $line: ID!", "cartId: $id, lineIds: [$line]"),
     KINDS),
    (*_mutation("cartDiscountCodesUpdate", "$id: ID!", 'cartId: $id, discountCodes: ["SAVE15"]'),
     KINDS),
    (*_mutation("cartAttributesUpdate", "$id: ID!",
                'cartId: $id, attributes: {note: "gift", attributes: [{key: "a", value: "b"}]}'),
     KINDS),
    (*_mutation("cartDeliveryAddressUpdate", "$id: ID!, $address: CartAddressInput",
                "cartId: $id, address: $address"), KINDS),
    ("cartDelete", "mutation($id: ID!) { cartDelete(cartId: $id)"
                   " { deletedCartId userErrors { code field message } } }", KINDS),
]


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def _rewrite(key: str, value: str) -> dict[str, str]:
    """``key``'s value replaced by ``value``; an object or list it held kept beside it."""
    return {f'"{key}":\\s*{_SCALAR}': f'"{key}":{value}',
            f'"{key}":\\s*(?=[{{\\[])': f'"{key}":{value},"_was_{key}":'}


async def _answer_keys(traffic: CountingTransport, requests: Iterable[httpx.Request]
                       ) -> list[str]:
    """Every key of the vendor's answers to these requests, each asked again."""
    keys: set[str] = set()
    for request in requests:
        answer = await traffic.inner.handle_async_request(request)
        await answer.aread()
        if answer.headers.get("content-type", "").startswith("application/json"):
            keys.update(_keys(json.loads(answer.content)))
    return sorted(keys)


@asynccontextmanager
async def _gateway(wires: dict[Backend, VendorTraffic], **settings: Any
                   ) -> AsyncIterator[GraphQLClient]:
    transports: dict[Backend, httpx.AsyncBaseTransport] = {
        backend: wire for backend, wire in wires.items() if isinstance(wire, CountingTransport)}
    # Thousands of calls from one caller: no call budget per second (the limits' own
    # tests are elsewhere), so a fast machine is not refused halfway.
    unlimited = {f"{caller}_calls_per_second": 0 for caller in ("storefront", "cart", "server")}
    app = create_app(gateway_settings(**unlimited, **settings), transports=transports)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway") as http:
        yield GraphQLClient(http)


async def _create(gateway: GraphQLClient, backend_name: str) -> httpx.Response:
    return await gateway.raw(_CREATE, {"input": {"backend": backend_name, **_NEW_CART}})


async def _new_cart(gateway: GraphQLClient, backend_name: str) -> dict[str, Any]:
    created = (await _create(gateway, backend_name)).json()["data"]["cartCreate"]
    assert created["userErrors"] == [], created
    cart: dict[str, Any] = created["cart"]
    return cart


def _untyped(response: httpx.Response, mutation: str | None) -> bool:
    """Whether the answer is a 500 or holds an error without a code; a mutation's refusal
    must be a user error, not a GraphQL error.
    """
    if response.status_code != 200:
        return True
    errors = response.json().get("errors") or []
    return (mutation is not None and bool(errors)) or any(
        "code" not in (error.get("extensions") or {}) for error in errors)


def _refused(response: httpx.Response, mutation: str | None) -> bool:
    body = response.json()
    answer = ((body.get("data") or {}).get(mutation) or {}) if mutation else {}
    return bool(body.get("errors") or answer.get("userErrors"))


async def test_no_hostile_value_in_a_cart_answer_is_an_internal_error(
    sandboxes: dict[Backend, Starlette], vendor: Backend, backend_name: str,
    vendor_traffic: dict[Backend, VendorTraffic],
) -> None:
    async with _gateway(vendor_traffic) as gateway:
        await _sweep_cart_answers(gateway, sandboxes[vendor], vendor_traffic[vendor],
                                  backend_name)


async def _sweep_cart_answers(gateway: GraphQLClient, sandbox: Starlette,
                              traffic: VendorTraffic, backend_name: str) -> None:
    assert await gateway.cart((await _new_cart(gateway, backend_name))["id"]) is not None
    assert isinstance(traffic, CountingTransport)  # the vendor has a sandbox (see conftest)
    keys = await _answer_keys(traffic, [r for r in traffic.requests
                                        if r.method == "GET" and "/carts" in r.url.path])
    assert len(keys) >= 20, keys  # the answers were read, not errors
    faults = sandbox.state.faults
    failures: list[tuple[str, str, str, str]] = []
    refused = 0
    for mutation, document, values in _OPERATIONS:
        for key in keys:
            for value in values:
                cart = await _new_cart(gateway, backend_name)
                variables = {"id": cart["id"], "line": cart["lines"][0]["id"],
                             "address": US_ADDRESS}
                # Every answer a write reads, carts' and checkouts' alike; a read's reads.
                faults.inject(FaultPlan(kind="rewrite", rewrite=_rewrite(key, value), count=10,
                                        method=None if mutation else "GET"))
                response = await gateway.raw(document, {
                    name: value for name, value in variables.items() if f"${name}" in document})
                faults.clear()
                if _untyped(response, mutation):
                    failures.append((key, value[:20], mutation or "cart", response.text[:200]))
                elif _refused(response, mutation):
                    refused += 1
    assert failures == [], f"{len(failures)} answers, the first: {failures[:5]}"
    assert refused > 0  # some values in some fields break the cart: the faults applied


async def test_no_hostile_value_in_a_catalog_or_token_answer_is_an_internal_error(
    sandboxes: dict[Backend, Starlette], vendor: Backend, backend_name: str,
    vendor_traffic: dict[Backend, VendorTraffic],
) -> None:
    traffic = vendor_traffic[vendor]
    assert isinstance(traffic, CountingTransport)
    faults = sandboxes[vendor].state.faults
    failures: list[tuple[str, str, str]] = []
    refused = 0

    async def sweep(keys: list[str], gateway: GraphQLClient | None) -> None:
        """Each key with each kind of value, on ``gateway`` or on a new one each time."""
        nonlocal refused
        for key in keys:
            for value in KINDS:
                faults.inject(FaultPlan(kind="rewrite", rewrite=_rewrite(key, value), count=10))
                if gateway is not None:
                    response = await _create(gateway, backend_name)
                else:
                    async with _gateway(vendor_traffic) as new:
                        response = await _create(new, backend_name)
                faults.clear()
                if _untyped(response, "cartCreate"):
                    failures.append((key, value[:20], response.text[:200]))
                elif _refused(response, "cartCreate"):
                    refused += 1

    # A gateway whose catalog cache keeps nothing asks the catalog at every creation;
    # what it asks only once (Elastic Path's token) is swept on a new gateway each time.
    async with _gateway(vendor_traffic, catalog_cache_ttl=0) as gateway:
        assert not _untyped(await _create(gateway, backend_name), "cartCreate")
        first = len(traffic.requests)
        assert not _untyped(await _create(gateway, backend_name), "cartCreate")
        again = {endpoint_template(r.url.path) for r in traffic.requests[first:]}
        assert any("catalog" in endpoint for endpoint in again), again
        outside = [r for r in traffic.requests if "/carts" not in r.url.path]
        each_time = await _answer_keys(traffic, [
            r for r in outside if endpoint_template(r.url.path) in again])
        assert len(each_time) >= 5, each_time
        await sweep(each_time, gateway)
    await sweep(await _answer_keys(traffic, [
        r for r in outside if endpoint_template(r.url.path) not in again]), None)
    assert failures == [], f"{len(failures)} answers, the first: {failures[:5]}"
    assert refused > 0


class _AnswerKeys(CountingTransport):
    """A vendor's wire that, while ``listening``, keeps every key of its JSON answers."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        super().__init__(inner)
        self.listening = False
        self.keys: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if self.listening:
            body = await response.aread()
            if response.headers.get("content-type", "").startswith("application/json"):
                self.keys.update(_keys(json.loads(body)))
        return response

    async def reading(self, call: Awaitable[T]) -> T:
        """``call``'s result; ``keys`` then holds the keys of the answers it read."""
        self.keys.clear()
        self.listening = True
        try:
            return await call
        finally:
            self.listening = False


T = TypeVar("T")
Prepare = Callable[[GraphQLClient, dict[str, Any]], Awaitable[dict[str, Any]]]


async def _cart_only(gateway: GraphQLClient, cart: dict[str, Any]) -> dict[str, Any]:
    return {"id": cart["id"]}


async def _addressed(gateway: GraphQLClient, cart: dict[str, Any]) -> dict[str, Any]:
    group = (await set_address(gateway, cart["id"], US_ADDRESS))["cart"]["deliveryGroups"][0]
    return {"id": cart["id"], "chosen": [{"deliveryGroupId": group["id"],
                                          "deliveryOptionHandle": group["deliveryOptions"][0][
                                              "handle"]}]}


async def _delivered(gateway: GraphQLClient, cart: dict[str, Any]) -> dict[str, Any]:
    await deliver(gateway, cart["id"], US_ADDRESS)
    return {"id": cart["id"]}


async def _taxed(gateway: GraphQLClient, cart: dict[str, Any]) -> dict[str, Any]:
    return {"id": cart["id"],
            "taxes": [{"lineId": cart["lines"][0]["id"], "name": "VAT", "rate": "0.19"}]}


_LANDED = f"cart {{ {LANDED_FIELDS} }} userErrors {{ code field message }}"
_GIFT = ('{name: "Gift", amount: "25.00", theme: "General", sender: {name: "Ada",'
         ' email: "ada@example.com"}, recipient: {name: "Grace", email: "grace@example.com"}}')


@dataclass(frozen=True)
class _Operation:
    """A write or read whose answers the cart sweep does not read, selecting what it
    changes (delivery groups, the billing address).
    """

    name: str  # its root field
    document: str
    prepare: Prepare = _cart_only  # what it needs of a new cart
    applies: Callable[[Backend], bool] = lambda _: True
    # False: beside answers about the cart, whose keys the cart sweep covers (the same
    # mapping reads them), it reads answers of its own: only their other keys are swept.
    every_key: bool = True


_OTHER_OPERATIONS = [
    _Operation("cartDeliveryAddressUpdate",
               "mutation($id: ID!, $address: CartAddressInput) { cartDeliveryAddressUpdate("
               f"cartId: $id, address: $address) {{ {_LANDED} }} }}", applies=delivers),
    _Operation("cartSelectedDeliveryOptionsUpdate",
               "mutation($id: ID!, $chosen: [CartSelectedDeliveryOptionInput!]!) {"
               " cartSelectedDeliveryOptionsUpdate(cartId: $id, selectedDeliveryOptions:"
               f" $chosen) {{ {_LANDED} }} }}", _addressed, delivers),
    _Operation("cart", f"query($id: ID!) {{ cart(id: $id) {{ {LANDED_FIELDS} }} }}",
               _delivered, delivers),
    _Operation("cartBillingAddressUpdate",
               "mutation($id: ID!, $address: CartAddressInput!) { cartBillingAddressUpdate("
               f"cartId: $id, billingAddress: $address) {{ {_LANDED} }} }}", applies=delivers),
    _Operation("cartBuyerIdentityUpdate",
               "mutation($id: ID!, $customer: String) { cartBuyerIdentityUpdate(cartId: $id,"
               f" buyerIdentity: {{customerId: $customer}}) {{ {_PAYLOAD} }} }}",
               every_key=False),
    _Operation("cartManualDiscountsUpdate",
               "mutation($id: ID!) { cartManualDiscountsUpdate(cartId: $id, discounts:"
               f' [{{amount: "1.00", title: "Goodwill"}}]) {{ {_PAYLOAD} }} }}',
               applies=grants_manual_discounts, every_key=False),
    _Operation("cartLinesAdd",
               f"mutation($id: ID!) {{ cartLinesAdd(cartId: $id, giftCertificates: [{_GIFT}])"
               f" {{ {_PAYLOAD} }} }}", every_key=False),
    _Operation("cartLinesAdd",
               "mutation($id: ID!) { cartLinesAdd(cartId: $id, customLines: [{name: \"Engraving\","
               f' listPrice: "4.50"}}]) {{ {_PAYLOAD} }} }}', every_key=False),
    _Operation("cartTaxItemsSet",
               "mutation($id: ID!, $taxes: [CartTaxItemInput!]!) { cartTaxItemsSet(cartId: $id,"
               f" taxItems: $taxes) {{ {_PAYLOAD} }} }}", _taxed, every_key=False),
    _Operation("cartTransfer",
               "mutation($id: ID!, $to: Backend!) { cartTransfer(cartId: $id, to: $to)"
               f" {{ cart {{ {CART_FIELDS} }} sourceCart {{ {CART_FIELDS} }}"
               " userErrors { code field message } } }", every_key=False),
    _Operation("cartCompare",
               "mutation($input: CartCreateInput!, $backends: [Backend!]) { cartCompare("
               "input: $input, backends: $backends) { results { backend cart"
               f" {{ {CART_FIELDS} }} userErrors {{ code field message }} }}"
               " differences { path } } }", every_key=False),
]


async def _variables(gateway: GraphQLClient, vendor: Backend, document: str,
                     prepare: Prepare, customer_id: str) -> dict[str, Any]:
    """The variables ``document`` declares, for a new cart ``prepare`` readied."""
    cart = await _new_cart(gateway, GRAPHQL_NAME[vendor])
    values = {**await prepare(gateway, cart), "address": US_ADDRESS, "customer": customer_id,
              "to": _other_than(vendor), "backends": [GRAPHQL_NAME[vendor]],
              "input": {"backend": GRAPHQL_NAME[vendor], **_NEW_CART}}
    return {key: value for key, value in values.items() if f"${key}" in document}


def _other_than(vendor: Backend) -> str:
    return next(GRAPHQL_NAME[backend] for backend in (Backend.BIGCOMMERCE, Backend.ELASTIC_PATH)
                if backend is not vendor)


async def test_no_hostile_value_in_any_other_answer_is_an_internal_error(
    sandboxes: dict[Backend, Starlette], vendor: Backend, customer_id: str,
    vendor_traffic: dict[Backend, VendorTraffic],
) -> None:
    """Each operation's own answers, key by key, with one value of each kind; an operation
    the vendor does not support (its documented refusal) has no answers to sweep.
    """
    traffic = vendor_traffic[vendor]
    assert isinstance(traffic, CountingTransport)  # the vendor has a sandbox (see conftest)
    listener = _AnswerKeys(traffic.inner)
    faults = sandboxes[vendor].state.faults
    failures: list[tuple[str, str, str, str]] = []
    swept = refused = operations = 0
    async with _gateway({**vendor_traffic, vendor: listener}) as gateway:
        cart = await _new_cart(gateway, GRAPHQL_NAME[vendor])
        await listener.reading(gateway.cart(cart["id"]))
        cart_keys = set(listener.keys)
        for operation in _OTHER_OPERATIONS:
            if not operation.applies(vendor):
                continue
            name, document = operation.name, operation.document
            given = await _variables(gateway, vendor, document, operation.prepare, customer_id)
            response = await listener.reading(gateway.raw(document, given))
            assert not _untyped(response, name), response.text
            if _refused(response, name):
                errors = response.json()["data"][name]["userErrors"]
                assert [e["code"] for e in errors] == ["UNSUPPORTED_OPERATION"], errors
                continue
            operations += 1
            keys = sorted(listener.keys if operation.every_key else listener.keys - cart_keys)
            mutation = None if name == "cart" else name
            for key in keys:
                for value in KINDS:
                    given = await _variables(gateway, vendor, document, operation.prepare,
                                             customer_id)
                    faults.inject(FaultPlan(kind="rewrite", rewrite=_rewrite(key, value),
                                            count=10))
                    response = await gateway.raw(document, given)
                    faults.clear()
                    swept += 1
                    if _untyped(response, mutation):
                        failures.append((name, key, value[:20], response.text[:200]))
                    elif _refused(response, mutation):
                        refused += 1
    assert failures == [], f"{len(failures)} answers, the first: {failures[:5]}"
    assert operations >= 4 and swept > 0 and refused > 0
