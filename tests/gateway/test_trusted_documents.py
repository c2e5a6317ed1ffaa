"""Trusted documents: storefront callers run only what the manifest lists; trusted server
callers run anything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.model import Backend
from gateway.app import create_app
from gateway.cli import main
from tests.conftest import gateway_settings
from tests.gateway.conftest import Callers, serve_callers
from tests.support import CountingTransport

pytestmark = pytest.mark.anyio

READ = "query Cart($id: ID!) {\n  cart(id: $id) { id totalQuantity }\n}\n"
# Written with Windows line endings: the hash is of the file's exact text.
ADD = ("mutation Add($id: ID!) {\r\n  cartLinesAdd(cartId: $id, lines: [{sku: \"MUG-ORBIT\"}])"
       " { cart { totalQuantity } userErrors { code } }\r\n}\r\n")
UNLISTED = "query($id: ID!) { cart(id: $id) { id lines { sku } } }"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    folder = tmp_path / "operations"
    (folder / "cart").mkdir(parents=True)
    (folder / "cart" / "read.graphql").write_bytes(READ.encode())
    (folder / "add.graphql").write_bytes(ADD.encode())
    (folder / "notes.txt").write_text("not a document")
    path = tmp_path / "manifest.json"
    assert main(["documents", "build", str(folder), "-o", str(path)]) == 0
    return path


@pytest.fixture
async def listed(vendor_traffic: dict[Backend, CountingTransport],
                 manifest: Path) -> AsyncIterator[Callers]:
    async for served in serve_callers(vendor_traffic, trusted_documents=str(manifest)):
        yield served


def test_the_manifest_is_the_sha256_of_each_file(manifest: Path) -> None:
    assert json.loads(manifest.read_text()) == {sha(READ): READ, sha(ADD): ADD}


async def _cart(callers: Callers) -> str:
    created = await callers.trusted.create({"backend": "BIGCOMMERCE",
                                            "lines": [{"sku": "PENCIL-HB"}]})
    cart_id: str = created["cart"]["id"]
    return cart_id


async def _post(callers: Callers, body: dict[str, Any], *, trusted: bool = False,
                headers: dict[str, str] | None = None) -> httpx.Response:
    client = callers.trusted if trusted else callers.storefront
    return await client.http.post("/graphql", json=body, headers=headers or {})


async def test_listed_documents_run_for_a_storefront(listed: Callers) -> None:
    cart_id = await _cart(listed)
    variables = {"id": cart_id}
    for body in ({"query": READ, "variables": variables},
                 {"documentId": sha(READ), "variables": variables},
                 {"documentId": f"sha256:{sha(READ)}", "variables": variables},
                 {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha(READ)}},
                  "variables": variables}):
        response = await _post(listed, body)
        assert response.json() == {"data": {"cart": {"id": cart_id, "totalQuantity": 1}}}, body
    got = await listed.storefront.http.get("/graphql", params={
        "documentId": sha(READ), "variables": json.dumps(variables)})
    assert got.json()["data"]["cart"]["id"] == cart_id
    added = await _post(listed, {"documentId": sha(ADD), "variables": variables})
    assert added.json()["data"]["cartLinesAdd"]["cart"]["totalQuantity"] == 2


async def test_an_unlisted_document_is_refused_for_a_storefront_and_runs_for_a_server(
        listed: Callers) -> None:
    cart_id = await _cart(listed)
    before = listed.vendor_requests()
    body = {"query": UNLISTED, "variables": {"id": cart_id}}
    refused = await _post(listed, body)
    assert refused.status_code == 200
    assert refused.json() == {"errors": [{
        "message": "storefront callers may only run trusted documents",
        "extensions": {"code": "ACCESS_DENIED"}}]}
    strict = await _post(listed, body, headers={"accept": "application/graphql-response+json"})
    assert strict.status_code == 400
    assert strict.headers["content-type"].startswith("application/graphql-response+json")
    got = await listed.storefront.http.get("/graphql", params={
        "query": UNLISTED, "variables": json.dumps({"id": cart_id})})
    assert got.json()["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"
    assert listed.vendor_requests() == before
    ran = await _post(listed, body, trusted=True)
    assert ran.json()["data"]["cart"]["lines"] == [{"sku": "PENCIL-HB"}]
    print(f"\ntrusted documents on: listed document (storefront) -> data; unlisted "
          f"(storefront) -> {refused.json()['errors'][0]['extensions']['code']}, "
          f"vendor requests 0; unlisted (trusted) -> data")


async def test_an_unknown_id_is_not_found(listed: Callers) -> None:
    for body in ({"documentId": "0" * 64}, {"documentId": "nope"}, {"documentId": 12},
                 {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}):
        response = await _post(listed, body)
        assert response.json()["errors"][0]["extensions"]["code"] == (
            "PERSISTED_QUERY_NOT_FOUND"), body
    assert listed.vendor_requests() == 0


async def test_an_id_with_another_query_is_refused(listed: Callers) -> None:
    cart_id = await _cart(listed)
    before = listed.vendor_requests()
    response = await _post(listed, {"documentId": sha(READ), "query": UNLISTED,
                                    "variables": {"id": cart_id}})
    assert response.json()["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"
    assert listed.vendor_requests() == before


async def test_a_mutation_named_by_id_is_idempotent(listed: Callers) -> None:
    cart_id = await _cart(listed)
    body = {"documentId": sha(ADD), "variables": {"id": cart_id}}
    headers = {"idempotency-key": "add-by-id-1"}
    first = await _post(listed, body, headers=headers)
    again = await _post(listed, body, headers=headers)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    read = await listed.trusted.cart(cart_id)
    assert read is not None and read["totalQuantity"] == 2


def test_a_manifest_whose_hash_is_wrong_stops_the_gateway(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"0" * 64: READ}))
    with pytest.raises(ValueError, match="not the sha256"):
        create_app(gateway_settings(trusted_documents=str(path)))
