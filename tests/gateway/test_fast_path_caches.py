"""What the fast path remembers belongs to one app: no module keeps any of it, and two
apps in one process share none of it.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import httpx
import pytest
from starlette.applications import Starlette

import gateway.app  # noqa: F401 - every module the gateway serves with
from adapters.answer_memo import AnswerMemo
from adapters.line_memo import LineMemo
from adapters.model import Backend
from adapters.registry import VENDORS, with_sandbox
from gateway.app import create_app
from gateway.graphql.fastpath.caches import FastPath
from gateway.graphql.fastpath.compiled import CompiledCache
from gateway.graphql.fastpath.identity_memo import IdentityMemo, ListMemo
from gateway.graphql.fastpath.serializers import SerializedLists
from tests.conftest import gateway_settings
from tests.support import CART_FIELDS, GraphQLClient

pytestmark = pytest.mark.anyio

CACHES = (FastPath, CompiledCache, IdentityMemo, ListMemo, SerializedLists, AnswerMemo, LineMemo)
READ = f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS} }} }}"
LINES = [{"sku": sku} for sku in ("MUG-ORBIT", "TEE-TRAIL-S", "PENCIL-HB", "TOTE-CANVAS")]


def test_no_module_keeps_a_fast_path_cache() -> None:
    for entry in VENDORS.values():
        entry.adapter_class()  # every vendor's modules imported
    ours = [name for name in sys.modules if name.split(".")[0] in {"gateway", "adapters"}]
    assert len(ours) > 50
    kept = [f"{name}.{attribute}" for name in ours
            for attribute, value in vars(sys.modules[name]).items()
            if isinstance(value, CACHES)]
    assert kept == []


@pytest.fixture
async def two_apps(
    sandboxes: dict[Backend, Starlette],
) -> AsyncIterator[list[tuple[Starlette, GraphQLClient]]]:
    """Two gateway apps in this process, in front of the same two sandboxes."""
    async with AsyncExitStack() as stack:
        served = []
        for _ in range(2):
            transports: dict[Backend, httpx.AsyncBaseTransport] = {
                b: httpx.ASGITransport(app=app) for b, app in sandboxes.items()}
            app = create_app(gateway_settings(), transports=transports)
            await stack.enter_async_context(app.router.lifespan_context(app))
            http = await stack.enter_async_context(httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://gateway"))
            served.append((app, GraphQLClient(http)))
        yield served


@pytest.mark.parametrize("backend", [entry.backend for entry in with_sandbox()],
                         ids=lambda backend: backend.value)
async def test_two_apps_share_nothing_the_fast_path_remembers(
    two_apps: list[tuple[Starlette, GraphQLClient]], backend: Backend,
) -> None:
    (first, first_client), (second, second_client) = two_apps
    ours: FastPath = first.state.fast_path
    theirs: FastPath = second.state.fast_path
    assert ours is not theirs
    assert all(getattr(ours, part) is not getattr(theirs, part)
               for part in ("compiled", "line_sets", "serialized_lists", "parsed", "validated"))
    created = await first_client.create({"backend": backend.name, "currencyCode": "USD",
                                         "lines": LINES})
    cart_id = created["cart"]["id"]
    vendor = backend.value
    for _ in range(3):  # compiled by the first read, served compiled by the next two
        assert (await first_client.execute(READ, {"id": cart_id}))["cart"]["id"] == cart_id
    assert (ours.compiled.hits, len(ours.compiled)) == (2, 2)  # the create and the read
    assert ours.answer_counts()[vendor][0] >= 2 and len(ours.line_sets) >= 1
    assert ours.parsed.cache_info().currsize == ours.validated.cache_info().currsize == 2
    # The other app has seen none of it.
    assert (theirs.compiled.hits, len(theirs.compiled), len(theirs.line_sets)) == (0, 0, 0)
    assert theirs.parsed.cache_info().currsize == theirs.validated.cache_info().currsize == 0
    assert theirs.answer_counts()[vendor] == (0, 0)

    for _ in range(2):  # the same document, compiled again by the other app for itself
        assert (await second_client.execute(READ, {"id": cart_id}))["cart"]["id"] == cart_id
    compiled = theirs.compiled.get(READ, None)
    assert compiled is not None and compiled is not ours.compiled.get(READ, None)
    bound = list(compiled.fields[0].serialize.__globals__.values())
    assert any(value is theirs.serialized_lists for value in bound)
    assert not any(value is ours.serialized_lists for value in bound)
    assert theirs.answer_counts()[vendor] == (1, 1)
