"""wrk's script: one request repeated, or the paths and bodies of many carts in turn."""

from __future__ import annotations

import shutil

import httpx
import pytest

from adapters.model import Backend
from benchmarks import targets
from benchmarks.load import LoadSettings, Target, lua_script, measure
from sandboxes.loopback import LoopbackServer, sandbox_app


def _add(cart: str, query: str = "") -> Target:
    return Target(url=f"http://127.0.0.1:9/v2/carts/{cart}/items{query}", method="POST",
                  body=f'{{"cart": "{cart}"}}', headers={"Authorization": "Bearer t"},
                  expect=f"cart {cart}")


def test_one_target_repeats_its_own_request() -> None:
    script = lua_script(_add("a"))
    assert "function request" not in script
    assert 'wrk.body = [[{"cart": "a"}]]' in script


def test_carts_in_turn_send_each_path_and_body() -> None:
    spread = targets.in_turn([_add("a"), _add("b", "?include=x")], expect="cart ")
    assert spread.variants == (("/v2/carts/a/items", '{"cart": "a"}'),
                               ("/v2/carts/b/items?include=x", '{"cart": "b"}'))
    assert spread.expect == "cart " and spread.url == _add("a").url
    script = lua_script(spread)
    assert "function request()" in script
    assert '{ [[/v2/carts/b/items?include=x]], [[{"cart": "b"}]] }' in script


def test_carts_in_turn_share_one_host_method_and_headers() -> None:
    other = Target(url="http://127.0.0.1:10/v2/carts/b/items", expect="", method="POST",
                   body="", headers={"Authorization": "Bearer t"})
    with pytest.raises(AssertionError):
        targets.in_turn([_add("a"), other], expect="")


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is installed by make bench")
def test_wrk_spreads_the_adds_over_every_cart() -> None:
    server = LoopbackServer(sandbox_app(Backend.ELASTIC_PATH)).start()
    try:
        token = targets.elasticpath_token(server.url)
        names = ("cart-a", "cart-b", "cart-c")
        spread = targets.in_turn([targets.elasticpath_add_item(server.url, name, token,
                                                               "MUG-ORBIT") for name in names],
                                 expect='{"data":[')
        result = measure("wrk", spread, LoadSettings(duration_s=1, warmup_s=0, connections=3))
        assert result.failures == 0 and result.requests > 0
        quantities = [
            httpx.get(f"{server.url}/v2/carts/{name}/items",
                      headers={"Authorization": f"Bearer {token}"}).json()["data"][0]["quantity"]
            for name in names]
        # Each thread's requests go to the carts in turn: no cart gets more than its share.
        assert max(quantities) - min(quantities) <= 3
    finally:
        server.stop()
