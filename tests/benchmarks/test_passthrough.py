"""The bench's pass-through proxy answers what the vendor answers, with the same call."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from adapters.model import Backend
from benchmarks import targets
from benchmarks.passthrough import Passthrough
from sandboxes.loopback import LoopbackServer, sandbox_app


@pytest.fixture
def elasticpath() -> Iterator[str]:
    server = LoopbackServer(sandbox_app(Backend.ELASTIC_PATH)).start()
    yield server.url
    server.stop()


def _proxy(upstream: str) -> LoopbackServer:
    return LoopbackServer(Passthrough(upstream), lifespan="on").start()


def test_forwards_method_path_query_body_and_credentials(elasticpath: str) -> None:
    token = targets.elasticpath_token(elasticpath)
    proxy = _proxy(elasticpath)
    try:
        add = targets.elasticpath_add_item(proxy.url, "cart-a", token, "MUG-ORBIT")
        answer = httpx.post(add.url, content=add.body, headers=add.headers)
        assert answer.status_code == 201 and answer.json()["data"][0]["sku"] == "MUG-ORBIT"
        # The write reached the vendor: a direct read sees it.
        items = httpx.get(f"{elasticpath}/v2/carts/cart-a/items",
                          headers={"Authorization": f"Bearer {token}"}).json()["data"]
        assert [(item["sku"], item["quantity"]) for item in items] == [("MUG-ORBIT", 1)]
        # Without the vendor's credentials the vendor refuses, through the proxy too.
        assert httpx.get(f"{proxy.url}/v2/carts/cart-a/items").status_code == 401
    finally:
        proxy.stop()

