"""The lean path of POST /graphql (gateway/http/compiled_posts.py): a compiled document's
JSON POST answers with the same status, headers and bytes as strawberry's view, and every
other request is handed to strawberry's view with its body intact.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.types import ASGIApp, Message

from adapters.model import Backend
from gateway.http.body_limit import MAX_BODY_BYTES
from gateway.http.compiled_posts import CompiledPost, read_compiled_post
from gateway.http.view import GRAPHQL_RESPONSE
from tests.gateway.conftest import Callers, serve_callers
from tests.support import PAYLOAD, CountingTransport

pytestmark = pytest.mark.anyio

READ = "query Read($id: ID!) { cart(id: $id) { id totalQuantity lines { sku quantity } } }"
ADD = ("mutation Add($id: ID!, $lines: [CartLineInput!]) { cartLinesAdd(cartId: $id, "
       f"lines: $lines) {{ {PAYLOAD} }} }}")
LEAN = b"application/json"
# A media type parameter is enough to take strawberry's generic view.
GENERIC = b"application/json; charset=utf-8"
Exchange = tuple[int, list[tuple[bytes, bytes]], bytes]


async def exchange(app: ASGIApp, body: bytes, content_type: bytes,
                   headers: list[tuple[bytes, bytes]] = ()) -> Exchange:  # type: ignore[assignment]
    """One POST /graphql straight into the app: the status, raw headers and body sent."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/graphql", "raw_path": b"/graphql",
             "query_string": b"", "root_path": "", "server": ("gateway", 80),
             "client": ("127.0.0.1", 50000),
             "headers": [(b"host", b"gateway"), (b"content-type", content_type),
                         (b"content-length", str(len(body)).encode()),
                         (b"x-request-id", b"same-id"), *headers]}
    messages: list[Message] = []
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        messages.append(message)

    await app(scope, receive, send)
    start, *bodies = messages
    return start["status"], list(start["headers"]), b"".join(m.get("body", b"") for m in bodies)


def _post(query: str, variables: dict[str, Any]) -> bytes:
    return json.dumps({"query": query, "variables": variables}).encode()


@pytest.fixture
async def callers(vendor_traffic: dict[Backend, CountingTransport]) -> AsyncIterator[Callers]:
    async for served in serve_callers(vendor_traffic):
        yield served


async def _compiled_cart(callers: Callers) -> str:
    created = await callers.trusted.create({"backend": "BIGCOMMERCE", "currencyCode": "USD",
                                            "lines": [{"sku": "PENCIL-HB"}]})
    cart_id: str = created["cart"]["id"]
    # Run once through the whole pipeline: from now on the document is compiled.
    await exchange(callers.app, _post(READ, {"id": cart_id}), GENERIC)
    assert callers.app.state.schema.serves_compiled(READ, None)
    return cart_id


@pytest.mark.parametrize("accept", [None, b"application/json", GRAPHQL_RESPONSE.encode(),
                                    b"text/html, */*;q=0.5"])
async def test_a_compiled_read_answers_as_strawberry_does(callers: Callers,
                                                          accept: bytes | None) -> None:
    cart_id = await _compiled_cart(callers)
    headers = [(b"accept", accept)] if accept is not None else []
    body = _post(READ, {"id": cart_id})
    hits = callers.app.state.fast_path.compiled.hits
    lean = await exchange(callers.app, body, LEAN, headers)
    generic = await exchange(callers.app, body, GENERIC, headers)
    assert lean == generic
    assert lean[0] == 200
    assert json.loads(lean[2])["data"]["cart"]["id"] == cart_id
    # Each ran compiled, and counted one hit.
    assert callers.app.state.fast_path.compiled.hits == hits + 2


async def test_a_compiled_mutation_answers_as_strawberry_does(callers: Callers) -> None:
    cart_id = await _compiled_cart(callers)
    # A cart that does not exist: the same user error every time, nothing changes.
    missing = cart_id[:-4] + ("AAAA" if not cart_id.endswith("AAAA") else "BBBB")
    body = _post(ADD, {"id": missing, "lines": [{"sku": "PENCIL-HB"}]})
    first = await exchange(callers.app, body, GENERIC)
    assert callers.app.state.schema.serves_compiled(ADD, None)
    lean = await exchange(callers.app, body, LEAN)
    assert lean == await exchange(callers.app, body, GENERIC) == first
    assert json.loads(lean[2])["data"]["cartLinesAdd"]["userErrors"]


@pytest.mark.parametrize("accept", [b"application/json", GRAPHQL_RESPONSE.encode()])
async def test_variables_that_do_not_coerce_answer_as_strawberry_does(
        callers: Callers, accept: bytes) -> None:
    await _compiled_cart(callers)
    body = _post(READ, {"id": None})
    lean = await exchange(callers.app, body, LEAN, [(b"accept", accept)])
    assert lean == await exchange(callers.app, body, GENERIC, [(b"accept", accept)])
    assert lean[0] == (400 if accept == GRAPHQL_RESPONSE.encode() else 200)
    assert "data" not in json.loads(lean[2])


async def test_a_rate_limited_caller_gets_the_same_retry_after(
        vendor_traffic: dict[Backend, CountingTransport]) -> None:
    async for limited in serve_callers(vendor_traffic, storefront_calls_per_second=0.001,
                                       cart_calls_per_second=0, rate_limit_burst=1.0):
        cart_id = await _compiled_cart(limited)  # the trusted caller is not limited
        body = _post(READ, {"id": cart_id})
        await exchange(limited.app, body, LEAN)  # compiled by the trusted run: refused
        lean = await exchange(limited.app, body, LEAN)
        generic = await exchange(limited.app, body, GENERIC)
        assert lean == generic
        assert (b"retry-after", b"1000") in lean[1]
        assert [e["extensions"]["code"] for e in json.loads(lean[2])["errors"]] == [
            "RATE_LIMITED"]


async def test_requests_the_lean_path_hands_over_keep_strawberrys_answers(
        callers: Callers) -> None:
    cart_id = await _compiled_cart(callers)
    read = _post(READ, {"id": cart_id})
    status, _, text = await exchange(callers.app, b'{"query": "' + READ.encode(), LEAN)
    assert (status, text) == (400, b"Unable to parse request body as JSON")
    status, _, text = await exchange(callers.app, read, b"application/jsonp")
    assert status == 415
    status, _, text = await exchange(callers.app, b"[" + read + b"]", LEAN)
    assert (status, text) == (400, b"Batching is not enabled")
    status, _, text = await exchange(callers.app, b" " * (MAX_BODY_BYTES + 1), LEAN)
    assert status == 413
    extended = json.dumps({"query": READ, "variables": {"id": cart_id},
                           "extensions": "none"}).encode()
    status, _, text = await exchange(callers.app, extended, LEAN)
    assert status == 400
    assert b"extensions" in text
    # strawberry compares the media type as sent: it refuses this one, and so it stays.
    status, _, text = await exchange(callers.app, read, b"Application/JSON")
    assert (status, text) == (400, b"Unsupported content type")


# read_compiled_post on its own: what it recognises, and the body it hands back.

DOCUMENT = "{ backends { backend } }"


def _scope(content_type: bytes | None, *extra: tuple[bytes, bytes]) -> dict[str, Any]:
    headers = [(b"content-type", content_type)] if content_type is not None else []
    return {"type": "http", "method": "POST", "headers": [*headers, *extra]}


def _receiver(*messages: Message) -> Any:
    queue = list(messages)

    async def receive() -> Message:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    return receive


def _is_compiled(query: str, operation_name: str | None) -> bool:
    return query == DOCUMENT and operation_name in {None, "Named"}


def _body(data: bytes, more: bool = False) -> Message:
    return {"type": "http.request", "body": data, "more_body": more}


async def test_a_compiled_document_is_recognised() -> None:
    body = json.dumps({"query": DOCUMENT, "operationName": "Named", "variables": {"a": 1},
                       "extensions": None}).encode()
    post, receive = await read_compiled_post(
        _scope(b"application/json", (b"accept", b"text/x"), (b"accept", b"text/y")),
        _receiver(_body(body)), json.loads, _is_compiled)
    assert post == CompiledPost(DOCUMENT, "Named", {"a": 1}, "text/x")
    assert await receive() == _body(body)  # the body is still there for whoever reads it


@pytest.mark.parametrize("content_type", [
    None, b"application/json; charset=utf-8", b"application/json;charset=UTF-8",
    b"Application/JSON", b"application/jsonp", b"text/plain", b"multipart/form-data"])
async def test_another_content_type_is_handed_over_unread(content_type: bytes | None) -> None:
    body = _body(json.dumps({"query": DOCUMENT}).encode())
    post, receive = await read_compiled_post(_scope(content_type), _receiver(body),
                                             json.loads, _is_compiled)
    assert post is None
    assert await receive() == body


@pytest.mark.parametrize("data", [
    b'{"query": ', b"\xff\xfe", b"[]", b'"text"',
    json.dumps([{"query": DOCUMENT}]).encode(),
    json.dumps({"query": "{ cart(id: 1) { id } }"}).encode(),
    json.dumps({"query": DOCUMENT, "operationName": "Other"}).encode(),
    json.dumps({"query": DOCUMENT, "operationName": 3}).encode(),
    json.dumps({"query": DOCUMENT, "variables": [1]}).encode(),
    json.dumps({"query": DOCUMENT, "extensions": {"persistedQuery": {}}}).encode(),
    json.dumps({"query": DOCUMENT, "extensions": {}}).encode(),
    json.dumps({"query": None}).encode(),
])
async def test_a_body_the_lean_path_does_not_take_is_replayed(data: bytes) -> None:
    post, receive = await read_compiled_post(_scope(b"application/json"),
                                             _receiver(_body(data)), json.loads, _is_compiled)
    assert post is None
    assert await receive() == _body(data)


async def test_a_body_in_parts_is_handed_over_whole() -> None:
    data = json.dumps({"query": DOCUMENT}).encode()
    post, receive = await read_compiled_post(
        _scope(b"application/json"), _receiver(_body(data[:5], more=True), _body(data[5:])),
        json.loads, _is_compiled)
    assert post is None
    assert [await receive(), await receive()] == [_body(data[:5], more=True), _body(data[5:])]


async def test_a_client_gone_before_its_body_is_handed_over() -> None:
    post, receive = await read_compiled_post(_scope(b"application/json"), _receiver(),
                                             json.loads, _is_compiled)
    assert post is None
    assert await receive() == {"type": "http.disconnect"}
