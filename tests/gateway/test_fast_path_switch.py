"""CARTGATE_FAST_PATH: the same session answers byte for byte alike with the fast path on
and off, and what the fast path remembers belongs to one app.

One storefront session (queries and mutations, user errors, GraphQL errors, request
errors, access refusals, on both vendors, by storefront and trusted callers) runs three
times, each on a fresh app over fresh sandboxes: twice with the fast path on, once off.
What differs between the two runs that are alike (ids, versions, times, checkout links)
is what a run makes up; it is renamed in order of appearance, and then every answer of
the run with the fast path off must be the same bytes as the run with it on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from adapters.model import Backend
from adapters.registry import with_sandbox
from gateway.app import create_app
from gateway.graphql.fastpath.caches import FastPath
from sandboxes.loopback import sandbox_app
from tests.conftest import gateway_settings
from tests.delivery_support import LANDED_FIELDS, LANDED_PAYLOAD, US_ADDRESS
from tests.gateway.conftest import SERVER_TOKEN
from tests.support import CART_FIELDS, PAYLOAD

pytestmark = pytest.mark.anyio

CART = f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS} }} }}"
LANDED = f"query($id: ID!) {{ cart(id: $id) {{ {LANDED_FIELDS} }} }}"
SHAPED = ("fragment Totals on CartCost { totalAmount { amount formatted } } "
          "query Shaped($id: ID!) { __typename first: cart(id: $id) { __typename id "
          "lines { __typename sku quantity } cost { ...Totals } } "
          "second: cart(id: $id) { version ... on Cart { totalQuantity } } }")
BACKENDS = "{ backends { backend sandbox ready capabilities } }"
CREATE = f"mutation($input: CartCreateInput!) {{ cartCreate(input: $input) {{ {PAYLOAD} }} }}"
ADD = ("mutation($id: ID!, $lines: [CartLineInput!], $version: String) { cartLinesAdd("
       f"cartId: $id, lines: $lines, expectedVersion: $version) {{ {PAYLOAD} }} }}")
UPDATE = ("mutation($id: ID!, $lines: [CartLineUpdateInput!]!, $version: String) { "
          "cartLinesUpdate(cartId: $id, lines: $lines, expectedVersion: $version) "
          f"{{ {PAYLOAD} }} }}")
REMOVE = ("mutation($id: ID!, $ids: [ID!]!) { cartLinesRemove(cartId: $id, lineIds: $ids) "
          f"{{ {PAYLOAD} }} }}")
CODES = ("mutation($id: ID!, $codes: [String!]!) { cartDiscountCodesUpdate(cartId: $id, "
         f"discountCodes: $codes) {{ {PAYLOAD} }} }}")
ADDRESS = ("mutation($id: ID!, $address: CartAddressInput) { cartDeliveryAddressUpdate("
           f"cartId: $id, address: $address) {{ {LANDED_PAYLOAD} }} }}")
SELECT = ("mutation($id: ID!, $s: [CartSelectedDeliveryOptionInput!]!) { "
          "cartSelectedDeliveryOptionsUpdate(cartId: $id, selectedDeliveryOptions: $s) "
          f"{{ {LANDED_PAYLOAD} }} }}")
DELETE = "mutation($id: ID!) { cartDelete(cartId: $id) { deletedCartId userErrors { code } } }"
TRANSFER = ("mutation($id: ID!, $to: Backend!) { cartTransfer(cartId: $id, to: $to) { "
            f"cart {{ {CART_FIELDS} }} sourceCart {{ id }} unmatchedLines {{ sku }} "
            "userErrors { code field message } warnings { code message } } }")
COMPARE = ("mutation($input: CartCreateInput!) { cartCompare(input: $input) { results { "
           f"backend cart {{ {CART_FIELDS} }} userErrors {{ code field message }} }} "
           "differences { path values { backend value } } } }")
LINES = [{"sku": "MUG-ORBIT", "quantity": 2}, {"sku": "TEE-TRAIL-M"},
         {"sku": "PENCIL-HB", "quantity": 3}, {"sku": "TOTE-CANVAS"}]
# What a run makes up and may differ between two runs alike: nothing else may.
RUN_MADE = {"id", "version", "createdAt", "updatedAt", "checkoutUrl", "deletedCartId",
            "value"}  # "value": a difference's value, e.g. two carts' checkout links
# Made from the clock: whether two are equal is luck (the same second), so each is one name.
CLOCKED = {"createdAt": "<time>", "updatedAt": "<time>", "version": "<version>"}


@dataclass
class Session:
    """Every answer of one run, in order: (step, status, body bytes)."""

    storefront: httpx.AsyncClient
    trusted: httpx.AsyncClient
    answers: list[tuple[str, int, bytes]] = field(default_factory=list)

    async def send(self, step: str, query: str, variables: dict[str, Any] | None = None, *,
                   trusted: bool = False) -> Any:
        http = self.trusted if trusted else self.storefront
        response = await http.post("/graphql", json={"query": query, "variables": variables})
        self.answers.append((step, response.status_code, response.content))
        return response.json()

    async def again(self, times: int, step: str, query: str, variables: dict[str, Any],
                    *, trusted: bool = False) -> Any:
        """The same operation ``times`` times: after the first it is served compiled."""
        for _ in range(times):
            body = await self.send(step, query, variables, trusted=trusted)
        return body


async def _vendor_session(session: Session, vendor: Backend) -> str:
    """One cart's life on one vendor; the id of a cart left for the trusted steps."""
    send, again = session.send, session.again
    backend = vendor.name  # the GraphQL enum value
    unknown_cart = f"gid://{vendor.value}/Cart/00000000-0000-4000-8000-000000000000"
    created = await send(f"{backend} create", CREATE, {"input": {
        "backend": backend, "currencyCode": "USD", "lines": LINES}}, trusted=True)
    cart = created["data"]["cartCreate"]["cart"]
    first_version = cart["version"]
    other = (await send(f"{backend} storefront create", CREATE, {"input": {
        "backend": backend, "currencyCode": "EUR", "locale": "de-DE", "lines": LINES[:1]}})
             )["data"]["cartCreate"]["cart"]
    await again(3, f"{backend} read", CART, {"id": cart["id"]})
    await again(2, f"{backend} shaped read", SHAPED, {"id": cart["id"]})
    await again(2, f"{backend} add", ADD, {"id": cart["id"], "lines": [{"sku": "LAMP-DESK"}]})
    await send(f"{backend} add refused", ADD, {"id": cart["id"], "lines": [
        {"sku": "MUG-ORBIT"}, {"sku": "LAMP-DESK", "listPrice": "0.01"}]})
    await send(f"{backend} add list price", ADD, {"id": cart["id"], "lines": [
        {"sku": "BEANS-ESP-1KG", "listPrice": "9.00"}]}, trusted=True)
    await send(f"{backend} add unknown sku", ADD, {"id": cart["id"], "lines": [
        {"sku": "NO-SUCH-SKU"}]})
    read = (await send(f"{backend} read", CART, {"id": cart["id"]}))["data"]["cart"]
    line = read["lines"][0]["id"]
    await send(f"{backend} update", UPDATE, {"id": cart["id"], "lines": [
        {"id": line, "quantity": 5}]})
    await send(f"{backend} update stale", UPDATE, {"id": cart["id"], "version": first_version,
                                                   "lines": [{"id": line, "quantity": 6}]})
    await send(f"{backend} update negative", UPDATE, {"id": cart["id"], "lines": [
        {"id": line, "quantity": -1}]})
    for codes in (["SAVE10"], ["NOPE"], ["MUG2OFF", "SAVE15"], []):
        await send(f"{backend} codes {codes}", CODES, {"id": cart["id"], "codes": codes})
    await send(f"{backend} remove", REMOVE, {"id": cart["id"], "ids": [line]})
    await send(f"{backend} remove bad id", REMOVE, {"id": cart["id"], "ids": ["nope"]})
    await again(2, f"{backend} read", CART, {"id": cart["id"]})
    await again(2, f"{backend} unknown cart", CART, {"id": unknown_cart})
    await again(2, f"{backend} malformed id", CART, {"id": "gid://nope/Cart/1"})
    landed = (await send(f"{backend} address", ADDRESS, {"id": cart["id"],
                                                         "address": US_ADDRESS})
              )["data"]["cartDeliveryAddressUpdate"]["cart"]
    await again(2, f"{backend} landed read", LANDED, {"id": cart["id"]})
    for group in landed["deliveryGroups"] if landed else ():
        for option in group["deliveryOptions"][:2]:
            await send(f"{backend} select", SELECT, {"id": cart["id"], "s": [
                {"deliveryGroupId": group["id"], "deliveryOptionHandle": option["handle"]}]})
    await send(f"{backend} select unknown", SELECT, {"id": cart["id"], "s": [
        {"deliveryGroupId": "nope", "deliveryOptionHandle": "nope"}]})
    await again(2, f"{backend} delete", DELETE, {"id": other["id"]})
    await send(f"{backend} read deleted", CART, {"id": other["id"]})
    cart_id: str = cart["id"]
    return cart_id


async def _session(session: Session) -> None:
    kept = [await _vendor_session(session, entry.backend) for entry in with_sandbox()]
    send, again = session.send, session.again
    await again(2, "backends", BACKENDS, {}, trusted=True)
    # From the first vendor to the last.
    moved = {"id": kept[0], "to": list(with_sandbox())[-1].backend.name}
    await send("transfer refused", TRANSFER, moved)
    await send("transfer", TRANSFER, moved, trusted=True)
    await send("compare refused", COMPARE, {"input": {"lines": LINES}})
    await again(2, "compare", COMPARE, {"input": {"currencyCode": "USD", "lines": LINES}},
                trusted=True)
    await send("variable error", CART, {"id": None})
    await send("unknown field", "{ cart(id: \"x\") { nope } }")
    await send("syntax error", "{ cart(id: ")
    response = await session.storefront.get("/graphql", params={
        "query": CART, "variables": json.dumps({"id": kept[-1]})})
    session.answers.append(("read by GET", response.status_code, response.content))
    response = await session.storefront.post("/graphql", json={"query": BACKENDS},
                                             headers={"authorization": "Bearer not-ours"})
    session.answers.append(("unknown token", response.status_code, response.content))


@dataclass
class Run:
    """One run of the session on a fresh app: its answers and the app's fast path."""

    answers: list[tuple[str, int, bytes]]
    fast_path: FastPath


async def _run(*, fast_path: bool) -> Run:
    transports: dict[Backend, httpx.AsyncBaseTransport] = {
        entry.backend: httpx.ASGITransport(app=sandbox_app(entry.backend))
        for entry in with_sandbox()}
    # No call limits: a refusal for calling too fast would depend on the machine's speed.
    settings = gateway_settings(fast_path=fast_path, server_tokens=SERVER_TOKEN,
                                storefront_calls_per_second=0, cart_calls_per_second=0)
    app = create_app(settings, transports=transports)
    async with app.router.lifespan_context(app), \
            _client(app, None) as storefront, _client(app, SERVER_TOKEN) as trusted:
        session = Session(storefront, trusted)
        await _session(session)
    return Run(session.answers, app.state.fast_path)


def _client(app: Any, token: str | None) -> httpx.AsyncClient:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway",
                             headers=headers)


def _leaves(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _leaves(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, key)
    else:
        yield key, value


def _made_up(one: Run, other: Run) -> tuple[dict[str, str], dict[str, str]]:
    """The values two runs alike made up, for each run by its names for them: ids that
    differ numbered in order of first appearance (the same id is the same name in every
    answer), every time and version (made from the clock) one name each.
    """
    assert len(one.answers) == len(other.answers)
    mine: dict[str, str] = {}
    theirs: dict[str, str] = {}
    for (step, status, body), (_, other_status, other_body) in zip(
            one.answers, other.answers, strict=True):
        assert status == other_status, step
        leaves = list(_leaves(json.loads(body)))
        other_leaves = list(_leaves(json.loads(other_body)))
        assert [k for k, _ in leaves] == [k for k, _ in other_leaves], step
        for (key, value), (_, other_value) in zip(leaves, other_leaves, strict=True):
            # Two runs in the same second make the same times: name them all the same.
            clocked = key in CLOCKED and isinstance(value, str) and len(value) >= 8
            # Elsewhere (a message naming a version) only as a part: the renamed answers
            # of the two runs must then be equal, so nothing else can differ.
            if clocked or (value != other_value and key in RUN_MADE):
                assert isinstance(value, str) and len(value) >= 8, (step, key, value)
                for values, made in ((mine, value), (theirs, other_value)):
                    if made not in values:
                        numbered = sum(name.startswith("<made-up") for name in values.values())
                        values[made] = CLOCKED.get(key, f"<made-up {numbered}>")
    return mine, theirs


def _renamed(run: Run, names: dict[str, str]) -> list[tuple[str, int, bytes]]:
    """The run's answers, each made-up value replaced by its name."""
    # Longest first: a cart's id may sit inside a longer checkout link.
    order = sorted(names, key=len, reverse=True)
    renamed = []
    for step, status, body in run.answers:
        text = body.decode()
        for value in order:
            text = text.replace(json.dumps(value)[1:-1], names[value])
        renamed.append((step, status, text.encode()))
    return renamed


async def test_the_answers_are_the_same_with_the_fast_path_on_and_off() -> None:
    on = await _run(fast_path=True)
    again = await _run(fast_path=True)
    off = await _run(fast_path=False)
    made_up, made_up_again = _made_up(on, again)
    assert _renamed(on, made_up) == _renamed(again, made_up_again)  # the renaming is whole
    made_up, made_up_off = _made_up(on, off)
    assert _renamed(off, made_up_off) == _renamed(on, made_up)
    steps = {step for step, _, _ in on.answers}
    statuses = {status for _, status, _ in on.answers}
    assert len(on.answers) > 80 and len(steps) > 55 and statuses == {200, 401}
    text = b"".join(body for _, _, body in on.answers)
    for seen in (b"ACCESS_DENIED", b"VERSION_CONFLICT", b"INVALID", b"CART_NOT_FOUND",
                 b'"errors"', b"INVALID_DISCOUNT_CODE", b"MERCHANDISE_NOT_FOUND",
                 b"UNAUTHENTICATED"):
        assert seen in text, seen
    # On, the fast path served and remembered; off, it did neither.
    assert on.fast_path.compiled.hits > 40 and len(on.fast_path.compiled) > 10
    assert all(reused > 0 for reused, _ in on.fast_path.answer_counts().values())
    assert off.fast_path.compiled.hits == 0 and len(off.fast_path.compiled) == 0
    assert off.fast_path.parsed.cache_info().currsize == 0
    assert on.fast_path.parsed.cache_info().hits > 0
    counts = off.fast_path.answer_counts()
    assert set(counts) == {entry.name for entry in with_sandbox()}
    assert all(reused == 0 and built > 0 for reused, built in counts.values())
