"""The shopper catalog: the sandbox serves it as catalog_view.yaml says, and the adapter
reads each product's facts once, cached in the catalog cache (in-process or Redis).
"""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from adapters.elasticpath.adapter import ElasticPathBackend
from adapters.elasticpath.catalog_facts import CatalogFacts
from adapters.errors import NeedsOptions
from adapters.model import Backend, LineKind, LineToAdd, NewCart, SelectedOption
from adapters.shared_state.json_cache import LocalJsonCache
from adapters.shared_state.state import SharedState, connect
from sandboxes.elasticpath import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    create_sandbox_app,
)
from sandboxes.faults import FaultPlan
from tests.redis_server import redis_server, redis_url
from tests.support import CountingTransport, GraphQLClient

from .test_sandbox_helpers import MUG_ID, TEE_M_ID, sandbox_client

__all__ = ["redis_server", "redis_url"]
pytestmark = pytest.mark.anyio
TEE_PARENT_ID = "a3664a48-03f7-507d-a58c-e7dc747bce39"
EBOOK_ID = "e89fa0e1-4c1b-5677-84de-8c68b285768f"


async def test_a_child_product_names_its_parent_and_variation_option() -> None:
    async with sandbox_client() as client:
        answer = await client.get("/catalog/products",
                                  params={"filter": f"in(id,{TEE_M_ID},{EBOOK_ID},{MUG_ID})",
                                          "include": "main_image"})
    assert answer.status_code == 200
    body = answer.json()
    products = {p["id"]: p for p in body["data"]}
    assert set(products) == {TEE_M_ID, EBOOK_ID, MUG_ID}
    tee = products[TEE_M_ID]
    assert tee["attributes"]["base_product_id"] == TEE_PARENT_ID
    assert tee["relationships"]["parent"]["data"] == {"id": TEE_PARENT_ID, "type": "product"}
    assert [(v["name"], v["option"]["name"]) for v in tee["meta"]["child_variations"]] == [
        ("Size", "M")]
    assert products[EBOOK_ID]["attributes"]["commodity_type"] == "digital"
    assert "base_product_id" not in products[MUG_ID]["attributes"]
    assert body["meta"]["results"]["total"] == 3
    assert {i["link"]["href"] for i in body["included"]["main_images"]} >= {
        "https://cdn.sandbox.example/tee-trail.jpg"}


async def test_a_parent_lists_its_variations_and_cannot_be_bought() -> None:
    async with sandbox_client() as client:
        parent = await client.get(f"/catalog/products/{TEE_PARENT_ID}")
        missing = await client.get("/catalog/products/no-such-product")
        refused = await client.post("/v2/carts/c1/items", json={"data": {
            "type": "cart_item", "id": TEE_PARENT_ID, "quantity": 1}})
    assert parent.status_code == 200
    data = parent.json()["data"]
    assert data["attributes"]["base_product"] is True
    assert [(v["name"], [o["name"] for o in v["options"]])
            for v in data["meta"]["variations"]] == [("Size", ["S", "M", "L"])]
    assert TEE_M_ID in {c["id"] for c in data["relationships"]["children"]["data"]}
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["status"] == "404"
    assert refused.status_code == 400


def _backend(traffic: CountingTransport, shared: SharedState) -> ElasticPathBackend:
    return ElasticPathBackend(api_url="http://ep.test", client_id=SANDBOX_CLIENT_ID,
                              client_secret=SANDBOX_CLIENT_SECRET, timeout=5.0, sandbox=True,
                              transport=traffic, shared=shared)


def _catalog_calls(traffic: CountingTransport) -> int:
    return sum(1 for r in traffic.requests if r.url.path == "/catalog/products")


async def test_line_facts_come_from_the_catalog_once_for_every_process(redis_url: str) -> None:
    traffic = CountingTransport(httpx.ASGITransport(app=create_sandbox_app()))
    first_state, second_state = connect(redis_url, lock_ttl=5.0), connect(redis_url, lock_ttl=5.0)
    first, second = _backend(traffic, first_state), _backend(traffic, second_state)
    try:
        cart = await first.create_cart(NewCart(currency="USD", lines=(
            LineToAdd(quantity=1, sku="TEE-TRAIL-M"), LineToAdd(quantity=1, sku="EBOOK-FIELD"))))
        by_sku = {line.sku: line for line in cart.lines}
        tee, ebook = by_sku["TEE-TRAIL-M"], by_sku["EBOOK-FIELD"]
        assert (tee.kind, tee.product_id, tee.variant_id, tee.options) == (
            LineKind.PHYSICAL, TEE_PARENT_ID, TEE_M_ID, (SelectedOption("Size", "M"),))
        assert (ebook.kind, ebook.product_id, ebook.variant_id) == (
            LineKind.DIGITAL, EBOOK_ID, EBOOK_ID)
        assert _catalog_calls(traffic) == 1
        # Another process sharing Redis reads the same cart without asking the catalog.
        assert await second.get_cart(cart.id) == cart
        assert _catalog_calls(traffic) == 1
        assert second.catalog_answers() == (2, 0)
    finally:
        for backend in (first, second):
            await backend.aclose()
        for state in (first_state, second_state):
            await state.aclose()


async def test_a_parent_product_needs_its_options_named_once() -> None:
    traffic = CountingTransport(httpx.ASGITransport(app=create_sandbox_app()))
    backend = _backend(traffic, SharedState())
    try:
        with pytest.raises(NeedsOptions) as refused:
            await backend.create_cart(NewCart(currency="USD", lines=(
                LineToAdd(quantity=1, product_id=TEE_PARENT_ID),)))
        assert refused.value.field == ("input", "lines", "0", "options")
        assert refused.value.message == "the product needs a value for the option 'Size'"
    finally:
        await backend.aclose()


@pytest.mark.parametrize("status", [404, 500])
async def test_a_catalog_that_fails_is_service_unavailable_not_a_missing_cart(
    status: int, gateway: GraphQLClient, sandboxes: dict[Backend, Starlette],
) -> None:
    created = await gateway.create({"backend": "ELASTIC_PATH", "currencyCode": "USD"})
    cart_id = created["cart"]["id"]
    sandboxes[Backend.ELASTIC_PATH].state.faults.inject(FaultPlan(
        "status", status=status, count=3, method="GET", path_contains="/catalog/products"))
    added = await gateway.add_lines(cart_id, [{"sku": "LAMP-DESK"}])
    assert [e["code"] for e in added["userErrors"]] == ["SERVICE_UNAVAILABLE"]
    answer = (await gateway.raw("query($id: ID!) { cart(id: $id) { id } }",
                                {"id": cart_id})).json()
    assert [e["extensions"]["code"] for e in answer["errors"]] == ["SERVICE_UNAVAILABLE"]
    # Nothing was cached from the failure: once the catalog answers, the line reads whole.
    sandboxes[Backend.ELASTIC_PATH].state.faults.clear()
    read = await gateway.cart(cart_id)
    assert read is not None
    assert [(line["sku"], line["variantId"] is not None) for line in read["lines"]] == [
        ("LAMP-DESK", True)]


async def test_a_catalog_cache_ttl_of_zero_asks_the_catalog_on_every_read() -> None:
    traffic = CountingTransport(httpx.ASGITransport(app=create_sandbox_app()))
    backend = ElasticPathBackend(api_url="http://ep.test", client_id=SANDBOX_CLIENT_ID,
                                 client_secret=SANDBOX_CLIENT_SECRET, timeout=5.0,
                                 sandbox=True, transport=traffic,
                                 catalog=LocalJsonCache(ttl=0))
    try:
        cart = await backend.create_cart(NewCart(currency="USD", lines=(
            LineToAdd(quantity=1, sku="TEE-TRAIL-M"),)))
        assert _catalog_calls(traffic) == 1
        for reads in (2, 3):
            read = await backend.get_cart(cart.id)
            assert read == cart
            assert _catalog_calls(traffic) == reads
        assert backend.catalog_answers() == (0, 3)
    finally:
        await backend.aclose()


async def test_a_cached_product_is_decoded_once_while_its_entry_stays() -> None:
    traffic = CountingTransport(httpx.ASGITransport(app=create_sandbox_app()))
    backend = _backend(traffic, SharedState())
    cache = LocalJsonCache(ttl=60)
    catalog = CatalogFacts(backend._client, cache)
    try:
        first = await catalog.facts([TEE_M_ID, MUG_ID])
        cached = await catalog.facts([MUG_ID, TEE_M_ID, MUG_ID])
        again = await catalog.facts([TEE_M_ID, MUG_ID])
        assert _catalog_calls(traffic) == 1
        assert again.keys() == cached.keys() == first.keys() == {TEE_M_ID, MUG_ID}
        assert cached == first
        assert all(again[p] is cached[p] for p in cached)
        # A new entry (another process's, or after expiry) is read anew.
        entry = await cache.get(f"product:{TEE_M_ID}")
        assert isinstance(entry, dict)
        await cache.put(f"product:{TEE_M_ID}", {**entry, "image_url": "https://cdn.test/new.jpg"})
        changed = await catalog.facts([TEE_M_ID])
        assert changed[TEE_M_ID].image_url == "https://cdn.test/new.jpg"
        assert changed[TEE_M_ID].parent_id == first[TEE_M_ID].parent_id == TEE_PARENT_ID
        assert catalog.hits == 5 and catalog.misses == 2
    finally:
        await backend.aclose()
