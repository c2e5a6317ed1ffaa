"""Two gateway processes sharing one Redis: no lost update, one effect per idempotency
key, and a cart that outlives a lock holder that died or stalled.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from sandboxes.faults import FaultPlan
from sandboxes.loopback import LoopbackServer
from tests.contract.test_concurrency import CLIENTS, INCREMENTS_EACH, READ, storefront_tab
from tests.redis_server import RedisServer
from tests.scaling.conftest import LOCK_TTL, GatewayProcess
from tests.support import PAYLOAD, GraphQLClient

pytestmark = pytest.mark.anyio

REPO = Path(__file__).resolve().parents[2]
ADD = f"""mutation($id: ID!, $lines: [CartLineInput!]) {{
  cartLinesAdd(cartId: $id, lines: $lines) {{ {PAYLOAD} }}
}}"""
Sandboxes = dict[Backend, tuple[Starlette, LoopbackServer]]


@pytest.fixture
async def clients(gateway_processes: list[GatewayProcess]) -> AsyncIterator[list[GraphQLClient]]:
    """A GraphQL client for process A and one for process B."""
    async with httpx.AsyncClient(base_url=gateway_processes[0].url, timeout=30) as a, \
            httpx.AsyncClient(base_url=gateway_processes[1].url, timeout=30) as b:
        yield [GraphQLClient(a), GraphQLClient(b)]


async def _create(gateway: GraphQLClient, *skus: str) -> dict[str, Any]:
    created = await gateway.create({"backend": "ELASTIC_PATH", "currencyCode": "USD",
                                    "lines": [{"sku": sku, "quantity": 1} for sku in skus]})
    assert created["userErrors"] == []
    cart: dict[str, Any] = created["cart"]
    return cart


async def test_concurrent_increments_through_both_processes_lose_no_update(
    clients: list[GraphQLClient],
) -> None:
    cart = await _create(clients[0], "PENCIL-HB")
    cart_id, line_id = cart["id"], cart["lines"][0]["id"]
    conflicts = [0, 0]

    async def client(index: int) -> None:
        side = index % 2  # the load balancer alternates between the processes
        conflicts[side] += await storefront_tab(clients[side], cart_id, line_id)

    started = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(CLIENTS)))
    elapsed = time.monotonic() - started
    final = (await clients[1].execute(READ, {"id": cart_id}))["cart"]
    applied = final["lines"][0]["quantity"] - 1
    expected = CLIENTS * INCREMENTS_EACH
    print(f"\ntwo processes, ELASTIC_PATH: increments applied {applied} / expected {expected}, "
          f"conflicts seen and retried {sum(conflicts)} (A {conflicts[0]}, B {conflicts[1]}), "
          f"{elapsed:.2f} s")
    assert applied == expected
    assert conflicts[0] > 0 and conflicts[1] > 0, "both processes must see the other's writes"


async def _post(gateway: GraphQLClient, body: bytes, key: str) -> httpx.Response:
    return await gateway.http.post("/graphql", content=body, headers={
        "content-type": "application/json", "idempotency-key": key})


async def test_an_idempotent_retry_on_the_other_process_adds_once(
    clients: list[GraphQLClient],
) -> None:
    a, b = clients
    cart = await _create(a, "MUG-ORBIT")
    body = json.dumps({"query": ADD, "variables": {
        "id": cart["id"], "lines": [{"sku": "PENCIL-HB", "quantity": 2}]}}).encode()

    first = await _post(a, body, "retry-across")
    retries = [await _post(clients[i % 2], body, "retry-across") for i in range(1, 7)]
    assert first.status_code == 200
    assert first.json()["data"]["cartLinesAdd"]["userErrors"] == []
    assert all(r.content == first.content for r in retries)
    assert all(r.headers["idempotent-replayed"] == "true" for r in retries)

    # Sent to both processes at once: one runs, the other waits for its answer.
    burst = json.dumps({"query": ADD, "variables": {
        "id": cart["id"], "lines": [{"sku": "PENCIL-HB", "quantity": 3}]}}).encode()
    racing = await asyncio.gather(*(_post(clients[i % 2], burst, "burst-across")
                                    for i in range(6)))
    assert len({r.content for r in racing}) == 1
    replayed = sum(r.headers.get("idempotent-replayed") == "true" for r in racing)
    assert replayed == 5

    other = json.dumps({"query": ADD, "variables": {
        "id": cart["id"], "lines": [{"sku": "PENCIL-HB", "quantity": 9}]}}).encode()
    reused = await _post(b, other, "retry-across")
    assert reused.status_code == 422
    assert reused.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"

    final = await a.cart(cart["id"])
    assert final is not None
    pencils = next(li["quantity"] for li in final["lines"] if li["sku"] == "PENCIL-HB")
    print(f"\nidempotent retries: {1 + len(retries)} sends of one cartLinesAdd (A, then "
          f"B/A alternating) -> 1 run, {len(retries)} replayed byte-for-byte; 6 concurrent "
          f"sends to A and B -> 1 run, {replayed} replayed; pencils {pencils} / expected 2 + 3; "
          f"another body under a used key -> {reused.status_code} IDEMPOTENCY_KEY_REUSED")
    assert pencils == 2 + 3


def _native(gid: str) -> str:
    return gid.rsplit("/", 1)[-1]


async def test_a_killed_lock_holder_blocks_the_cart_only_until_the_lock_expires(
    clients: list[GraphQLClient], redis_server: RedisServer, sandbox_servers: Sandboxes,
) -> None:
    a, b = clients
    cart = await _create(a, "PENCIL-HB")
    api_url = sandbox_servers[Backend.ELASTIC_PATH][1].url
    holder = subprocess.Popen(
        [sys.executable, "-m", "tests.scaling.lock_holder", redis_server.url, api_url,
         _native(cart["id"]), str(LOCK_TTL)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        line = await asyncio.to_thread(holder.stdout.readline)
        assert line.startswith(b"held "), holder.stderr.read() if holder.stderr else line
        held_at = time.monotonic()
    finally:
        holder.kill()  # SIGKILL: no release, no cleanup; only the expiry frees the cart
        holder.wait()
        for stream in (holder.stdout, holder.stderr):
            if stream is not None:
                stream.close()

    result = await b.update_lines(cart["id"], [{"id": cart["lines"][0]["id"], "quantity": 4}])
    freed_after = time.monotonic() - held_at
    assert result["userErrors"] == []
    assert result["cart"]["lines"][0]["quantity"] == 4
    print(f"\nlock expiry: holder (fence {int(line.split()[1])}) killed with SIGKILL; process B "
          f"wrote {freed_after:.2f} s after the lock was taken (TTL {LOCK_TTL:g} s)")
    assert LOCK_TTL - 0.3 < freed_after < LOCK_TTL + 1.5


async def test_a_stalled_holder_is_fenced_off_after_its_lock_expires(
    clients: list[GraphQLClient], gateway_processes: list[GatewayProcess],
    sandbox_servers: Sandboxes,
) -> None:
    a, b = clients
    cart = await _create(b, "PENCIL-HB", "MUG-ORBIT")
    first, second = (li["id"] for li in cart["lines"])
    faults = sandbox_servers[Backend.ELASTIC_PATH][0].state.faults
    faults.clear()
    # A's first item write reaches the sandbox and is answered late; A is frozen meanwhile.
    faults.inject(FaultPlan("delay", delay_seconds=1.0, method="PUT"))
    stalled = asyncio.create_task(a.update_lines(
        cart["id"], [{"id": first, "quantity": 5}, {"id": second, "quantity": 5}]))
    await faults.until_played()  # A's write reached the sandbox
    process_a = gateway_processes[0].process
    process_a.send_signal(signal.SIGSTOP)
    frozen_at = time.monotonic()
    try:
        await asyncio.sleep(LOCK_TTL + 0.3)
        took = time.monotonic()
        won = await b.update_lines(cart["id"], [{"id": second, "quantity": 9}])
        b_wait = time.monotonic() - took
    finally:
        process_a.send_signal(signal.SIGCONT)
    frozen = time.monotonic() - frozen_at
    late = await stalled
    assert won["userErrors"] == []
    assert [e["code"] for e in late["userErrors"]] == ["SERVICE_UNAVAILABLE"]
    final = await b.cart(cart["id"])
    assert final is not None
    quantities = {li["id"]: li["quantity"] for li in final["lines"]}
    print(f"\nfencing: A frozen {frozen:.2f} s mid-write (lock TTL {LOCK_TTL:g} s); B wrote "
          f"after waiting {b_wait:.2f} s; A's late write refused "
          f"({late['userErrors'][0]['code']}); lines {quantities[first]} (A's write before "
          f"the stall) and {quantities[second]} (B's, not A's 5)")
    assert quantities == {first: 5, second: 9}


async def test_an_item_write_shows_cart_fields_the_other_process_changed(
    clients: list[GraphQLClient],
) -> None:
    """A process answers an item write with the cart's own fields as it last left them
    only when no other process wrote the cart since (the lock's fence tells).
    """
    a, b = clients
    cart = await _create(a, "PENCIL-HB")
    added = await a.add_lines(cart["id"], [{"sku": "MUG-ORBIT", "quantity": 1}])
    assert added["userErrors"] == []
    renamed = await b.attributes(cart["id"], {"name": "Renamed by B", "note": "from B"})
    assert renamed["userErrors"] == []
    again = await a.add_lines(cart["id"], [{"sku": "MUG-ORBIT", "quantity": 1}])
    assert again["userErrors"] == []
    assert (again["cart"]["name"], again["cart"]["note"]) == ("Renamed by B", "from B")
    read = await b.cart(cart["id"])
    assert read is not None
    assert read == again["cart"]
