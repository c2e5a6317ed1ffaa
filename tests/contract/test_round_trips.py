"""Vendor round trips per storefront operation: counted at the vendor, exactly.

Each sequential vendor call adds a vendor round trip (100-300 ms on a real API) to what
the shopper waits for, so the number of calls each operation makes is part of the
contract. The session runs in steady state: the SKUs it uses were resolved once by an
earlier cart, and Elastic Path's token is already held. A change that adds a call fails
here; a change that removes one updates the table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from adapters.model import Backend
from tests.support import CallRecorder, CountingTransport, GraphQLClient, line_by_sku

pytestmark = pytest.mark.anyio

# operation -> the vendor requests it makes, in order ("METHOD path-template").
EXPECTED: dict[Backend, dict[str, list[str]]] = {
    Backend.BIGCOMMERCE: {
        "cartCreate": ["POST /carts"],
        "cartLinesAdd": ["POST /carts/{id}/items"],
        "cartLinesUpdate": ["PUT /carts/{id}/items/{line}"],
        "cartDiscountCodesUpdate": ["POST /checkouts/{id}/coupons", "GET /carts/{id}"],
        "cart": ["GET /carts/{id}"],
        "cartLinesRemove": ["DELETE /carts/{id}/items/{line}"],
        "cartDelete": ["DELETE /carts/{id}"],
    },
    Backend.ELASTIC_PATH: {
        "cartCreate": ["POST /carts", "POST /carts/{id}/items"],
        "cartLinesAdd": ["POST /carts/{id}/items"],
        "cartLinesUpdate": ["PUT /carts/{id}/items/{line}"],
        "cartDiscountCodesUpdate": ["POST /carts/{id}/items"],
        "cart": ["GET /carts/{id}"],
        "cartLinesRemove": ["DELETE /carts/{id}/items/{line}"],
        "cartDelete": ["DELETE /carts/{id}"],
    },
    # The in-memory vendor reports each store operation as one call (adapters/memory/calls.py).
    Backend.MEMORY: {
        "cartCreate": ["POST /carts"],
        "cartLinesAdd": ["POST /carts/{id}/items"],
        "cartLinesUpdate": ["PUT /carts/{id}/items"],
        "cartDiscountCodesUpdate": ["PUT /carts/{id}/discounts"],
        "cart": ["GET /carts/{id}"],
        "cartLinesRemove": ["DELETE /carts/{id}/items"],
        "cartDelete": ["DELETE /carts/{id}"],
    },
}


# BigCommerce keeps a cart's attributes and note in metafields: an operation that shows
# them reads those beside the cart (the same round trip, one request more); a new cart
# has none to read.
METAFIELDS = "GET /carts/{id}/metafields"
WITH_ATTRIBUTES: dict[Backend, dict[str, list[str]]] = {
    Backend.BIGCOMMERCE: {
        name: calls if name in ("cartCreate", "cartDelete") else [*calls, METAFIELDS]
        for name, calls in EXPECTED[Backend.BIGCOMMERCE].items()
    },
    Backend.ELASTIC_PATH: EXPECTED[Backend.ELASTIC_PATH],
    Backend.MEMORY: EXPECTED[Backend.MEMORY],
}
LEAN_CART = "id version lines { id sku quantity } discountCodes { code }"


def _template(path: str, ids: dict[str, str]) -> str:
    """A vendor path with the session's ids replaced by their names."""
    for segment in ("/stores/sandbox/v3", "/v2"):
        if path.startswith(segment):
            path = path[len(segment):]
            break
    parts = [next((name for name, value in ids.items() if value == part), part)
             for part in path.split("/")]
    return "/".join(parts)


def _vendor_id(gid: str) -> str:
    return gid.rsplit("/", 1)[-1]


async def _session(
    gateway: GraphQLClient, backend_name: str, traffic: CountingTransport,
    *, after_each: Callable[[str, dict[str, Any] | None], Awaitable[None]] | None = None,
) -> dict[str, list[str]]:
    """The storefront session; the requests each operation sent, with ids named."""
    calls: dict[str, list[str]] = {}
    ids: dict[str, str] = {}

    async def step(name: str, run: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
        start = len(traffic.requests)
        payload = await run()
        sent = traffic.requests[start:]
        cart = payload.get("cart", payload)
        if cart and "id" in cart:
            ids["{id}"] = _vendor_id(cart["id"])
        calls[name] = [f"{r.method} {_template(r.url.path, ids)}" for r in sent]
        if after_each is not None:
            await after_each(name, payload.get("cart") if "userErrors" in payload else payload)
        return payload

    created = await step("cartCreate", lambda: gateway.create({
        "backend": backend_name, "currencyCode": "USD",
        "lines": [{"sku": "TEE-TRAIL-M", "quantity": 1}]}))
    assert created["userErrors"] == []
    cart_id = created["cart"]["id"]
    added = await step("cartLinesAdd", lambda: gateway.add_lines(
        cart_id, [{"sku": "MUG-ORBIT", "quantity": 1}]))
    assert added["userErrors"] == []
    tee = line_by_sku(added["cart"], "TEE-TRAIL-M")
    mug = line_by_sku(added["cart"], "MUG-ORBIT")
    ids["{line}"] = _vendor_id(tee["id"])
    updated = await step("cartLinesUpdate", lambda: gateway.update_lines(
        cart_id, [{"id": tee["id"], "quantity": 2}]))
    assert updated["userErrors"] == []
    assert line_by_sku(updated["cart"], "TEE-TRAIL-M")["quantity"] == 2
    coded = await step("cartDiscountCodesUpdate",
                       lambda: gateway.discount_codes(cart_id, ["SAVE10"]))
    assert coded["userErrors"] == []
    assert [c["code"] for c in coded["cart"]["discountCodes"]] == ["SAVE10"]

    async def read() -> dict[str, Any]:
        cart = await gateway.cart(cart_id)
        assert cart is not None
        return cart

    await step("cart", read)
    ids["{line}"] = _vendor_id(mug["id"])
    removed = await step("cartLinesRemove", lambda: gateway.remove_lines(cart_id, [mug["id"]]))
    assert removed["userErrors"] == []
    assert [line["sku"] for line in removed["cart"]["lines"]] == ["TEE-TRAIL-M"]
    deleted = await step("cartDelete", lambda: gateway.delete(cart_id))
    assert deleted["userErrors"] == []
    return calls


async def _warm_up(gateway: GraphQLClient, backend_name: str) -> None:
    """A cart with the session's SKUs, created and deleted: the steady state's history."""
    created = await gateway.create({
        "backend": backend_name, "currencyCode": "USD",
        "lines": [{"sku": "TEE-TRAIL-M", "quantity": 1}, {"sku": "MUG-ORBIT", "quantity": 1}]})
    assert created["userErrors"] == []
    assert (await gateway.delete(created["cart"]["id"]))["userErrors"] == []


async def test_each_operation_makes_its_minimum_of_vendor_calls(
    gateway: GraphQLClient, vendor: Backend, backend_name: str,
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    await _warm_up(gateway, backend_name)
    lean = GraphQLClient(gateway.http, cart_fields=LEAN_CART)
    calls = await _session(lean, backend_name, vendor_traffic[vendor])
    assert calls == EXPECTED[vendor]


async def test_showing_attributes_reads_them_beside_the_cart(
    gateway: GraphQLClient, vendor: Backend, backend_name: str,
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    await _warm_up(gateway, backend_name)
    calls = await _session(gateway, backend_name, vendor_traffic[vendor])
    # Sent at the same time, the two requests reach the vendor in either order.
    assert {name: sorted(sent) for name, sent in calls.items()} == {
        name: sorted(sent) for name, sent in WITH_ATTRIBUTES[vendor].items()}


async def test_each_answer_is_the_cart_a_read_then_shows(
    gateway: GraphQLClient, vendor: Backend, backend_name: str,
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    """Answers built with fewer calls still carry the vendor's cart, version included."""
    seen: list[str] = []

    async def compare(name: str, cart: dict[str, Any] | None) -> None:
        if name in ("cart", "cartDelete") or cart is None:
            return
        read = await gateway.cart(cart["id"])
        assert read is not None
        # BigCommerce signs a new checkout link on every read.
        assert {**read, "checkoutUrl": None} == {**cart, "checkoutUrl": None}, name
        seen.append(name)

    await _warm_up(gateway, backend_name)
    await _session(gateway, backend_name, vendor_traffic[vendor], after_each=compare)
    assert seen == ["cartCreate", "cartLinesAdd", "cartLinesUpdate",
                    "cartDiscountCodesUpdate", "cartLinesRemove"]


# With expectedVersion: BigCommerce checks it in the write itself; Elastic Path keeps no
# version, so the cart is read (under the lock) to check it before the write, whose
# answer with that read's cart fields is the cart after it (replacing codes reads again).
WITH_VERSION: dict[Backend, dict[str, int]] = {
    Backend.BIGCOMMERCE: {"cartLinesAdd": 1, "cartLinesUpdate": 1,
                          "cartDiscountCodesUpdate": 2, "cartLinesRemove": 1},
    Backend.ELASTIC_PATH: {"cartLinesAdd": 2, "cartLinesUpdate": 2,
                           "cartDiscountCodesUpdate": 3, "cartLinesRemove": 2},
    Backend.MEMORY: {"cartLinesAdd": 1, "cartLinesUpdate": 1,
                     "cartDiscountCodesUpdate": 1, "cartLinesRemove": 1},
}


async def test_changes_with_an_expected_version_add_only_the_check_elastic_path_needs(
    gateway: GraphQLClient, vendor: Backend, backend_name: str,
    vendor_traffic: dict[Backend, CountingTransport],
) -> None:
    await _warm_up(gateway, backend_name)
    traffic = vendor_traffic[vendor]
    gateway = GraphQLClient(gateway.http, cart_fields=LEAN_CART)  # attributes: see above
    created = await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                    "lines": [{"sku": "TEE-TRAIL-M", "quantity": 1}]})
    cart = created["cart"]
    counts: dict[str, int] = {}

    async def step(name: str, run: Callable[[str], Awaitable[dict[str, Any]]]) -> None:
        nonlocal cart
        start = len(traffic.requests)
        payload = await run(cart["version"])
        assert payload["userErrors"] == [], (name, payload["userErrors"])
        counts[name] = len(traffic.requests) - start
        cart = payload["cart"]

    await step("cartLinesAdd", lambda v: gateway.add_lines(
        cart["id"], [{"sku": "MUG-ORBIT", "quantity": 1}], expected_version=v))
    tee, mug = line_by_sku(cart, "TEE-TRAIL-M"), line_by_sku(cart, "MUG-ORBIT")
    await step("cartLinesUpdate", lambda v: gateway.update_lines(
        cart["id"], [{"id": tee["id"], "quantity": 2}], expected_version=v))
    await step("cartDiscountCodesUpdate", lambda v: gateway.discount_codes(
        cart["id"], ["SAVE10"], expected_version=v))
    await step("cartLinesRemove", lambda v: gateway.remove_lines(
        cart["id"], [mug["id"]], expected_version=v))
    assert counts == WITH_VERSION[vendor]
    stale = await gateway.add_lines(cart["id"], [{"sku": "PENCIL-HB"}],
                                    expected_version=created["cart"]["version"])
    assert [e["code"] for e in stale["userErrors"]] == ["VERSION_CONFLICT"]


@pytest.mark.parametrize("directive", ["", " @include(if: true)"],
                         ids=["compiled path", "graphql-core path"])
async def test_a_read_reads_attributes_only_when_it_shows_them(
    gateway: GraphQLClient, vendor: Backend, backend_name: str,
    vendor_traffic: dict[Backend, CountingTransport], directive: str,
) -> None:
    cart_id = (await gateway.create({"backend": backend_name, "currencyCode": "USD",
                                     "lines": [{"sku": "MUG-ORBIT"}]}))["cart"]["id"]
    sent: dict[str, list[str]] = {}
    for name, selection in (("lean", "id"), ("attributes", "id attributes { key }"),
                            ("note", "id ...N"), ("lean again", "id")):
        start = len(vendor_traffic[vendor].requests)
        fragment = " fragment N on Cart { note }" if "...N" in selection else ""
        await gateway.execute(f"query($id: ID!) {{ cart(id: $id){directive} {{ {selection} }} }}"
                              f"{fragment}", {"id": cart_id})
        sent[name] = sorted(r.url.path.rsplit("/", 1)[-1]
                            for r in vendor_traffic[vendor].requests[start:])
    # A vendor without HTTP reports endpoint templates: its cart is ``{id}`` there.
    recorded = isinstance(vendor_traffic[vendor], CallRecorder)
    own = "{id}" if recorded else _vendor_id(cart_id)
    both = [own, "metafields"] if vendor is Backend.BIGCOMMERCE else [own]
    assert sent == {"lean": [own], "attributes": both, "note": both, "lean again": [own]}
