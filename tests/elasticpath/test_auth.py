"""Elastic Path tokens: cached until near expiry, refreshed once, shared, never shown."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.elasticpath.adapter import ElasticPathBackend
from adapters.elasticpath.auth import TokenSource
from adapters.errors import BackendUnauthorized, ServiceUnavailable
from sandboxes.elasticpath import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    create_sandbox_app,
)
from tests.support import CountingTransport

pytestmark = pytest.mark.anyio

START = datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC)
TOKEN_PATH = "/oauth/access_token"


class Clock:
    """One hand-moved time, read as a datetime by the sandbox and as seconds by us."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def seconds(self) -> float:
        return self.now.timestamp()

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _traffic(clock: Clock, *, token_ttl: timedelta = timedelta(hours=1)) -> CountingTransport:
    app = create_sandbox_app(clock=clock, token_ttl=token_ttl)
    return CountingTransport(httpx.ASGITransport(app=app))


def _backend(traffic: CountingTransport, clock: Clock, *, secret: str = SANDBOX_CLIENT_SECRET,
             ) -> ElasticPathBackend:
    return ElasticPathBackend(api_url="http://ep.test", client_id=SANDBOX_CLIENT_ID,
                              client_secret=secret, timeout=5.0, sandbox=True,
                              transport=traffic, clock=clock.seconds)


def _token_requests(traffic: CountingTransport) -> int:
    return sum(1 for r in traffic.requests if r.url.path == TOKEN_PATH)


async def test_token_is_form_encoded_client_credentials_and_reused() -> None:
    clock = Clock()
    traffic = _traffic(clock)
    backend = _backend(traffic, clock)
    await backend.get_cart("c1")
    await backend.get_cart("c1")
    await backend.aclose()
    [token_request] = [r for r in traffic.requests if r.url.path == TOKEN_PATH]
    assert token_request.method == "POST"
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert token_request.content == (
        b"grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret"
    )
    reads = [r for r in traffic.requests if r.url.path == "/v2/carts/c1"]
    assert len(reads) == 2
    assert {r.headers["authorization"].split(" ")[0] for r in reads} == {"Bearer"}


async def test_token_is_renewed_a_minute_before_it_expires() -> None:
    clock = Clock()
    traffic = _traffic(clock)
    backend = _backend(traffic, clock)
    await backend.get_cart("c1")
    clock.advance(minutes=57, seconds=59)
    await backend.get_cart("c1")
    assert _token_requests(traffic) == 1
    clock.advance(minutes=1, seconds=2)  # 59:01, inside the 60-second margin
    await backend.get_cart("c1")
    assert _token_requests(traffic) == 2
    await backend.aclose()


def _bearer(request: httpx.Request) -> str:
    return request.headers["authorization"]


async def test_a_request_in_the_minute_before_renewal_fetches_the_next_token_unwaited(
) -> None:
    clock = Clock()
    traffic = _traffic(clock)
    backend = _backend(traffic, clock)
    await backend.get_cart("c1")
    first = _bearer(traffic.requests[-1])
    clock.advance(minutes=58, seconds=30)  # renewal at 59:00; the next token is fetched now
    await backend.get_cart("c1")
    # The read went out with the current token: it did not wait for the next one.
    reads = [r for r in traffic.requests if r.url.path == "/v2/carts/c1"]
    assert len(reads) == 2 and _bearer(reads[1]) == first
    await backend._tokens.settled()
    assert _token_requests(traffic) == 2
    clock.advance(seconds=40)  # 59:10, past the renewal time: the new token is at hand
    await backend.get_cart("c1")
    assert _token_requests(traffic) == 2
    assert _bearer(traffic.requests[-1]) != first
    await backend.aclose()


async def test_concurrent_requests_with_an_expired_token_share_one_refresh() -> None:
    clock = Clock()
    traffic = _traffic(clock)
    backend = _backend(traffic, clock)
    await backend.get_cart("c1")
    clock.advance(hours=2)
    carts = await asyncio.gather(*(backend.get_cart(f"c{i}") for i in range(25)))
    await backend.aclose()
    assert carts == [None] * 25
    assert _token_requests(traffic) == 2


async def test_a_401_refreshes_once_and_replays_once() -> None:
    clock = Clock()
    # The sandbox ends tokens after ten minutes; our cache believes the announced hour.
    traffic = _traffic(clock, token_ttl=timedelta(minutes=10))
    backend = ElasticPathBackend(api_url="http://ep.test", client_id=SANDBOX_CLIENT_ID,
                                 client_secret=SANDBOX_CLIENT_SECRET, timeout=5.0,
                                 transport=traffic, clock=lambda: START.timestamp())
    await backend.get_cart("c1")
    clock.advance(minutes=30)
    assert await backend.get_cart("c1") is None
    await backend.aclose()
    paths = [(r.method, r.url.path) for r in traffic.requests]
    assert paths == [("POST", TOKEN_PATH), ("GET", "/v2/carts/c1"),
                     ("GET", "/v2/carts/c1"), ("POST", TOKEN_PATH), ("GET", "/v2/carts/c1")]


async def test_concurrent_401s_share_one_refresh() -> None:
    clock = Clock()
    traffic = _traffic(clock, token_ttl=timedelta(minutes=10))
    backend = ElasticPathBackend(api_url="http://ep.test", client_id=SANDBOX_CLIENT_ID,
                                 client_secret=SANDBOX_CLIENT_SECRET, timeout=5.0,
                                 transport=traffic, clock=lambda: START.timestamp())
    await backend.get_cart("c1")
    clock.advance(minutes=30)
    await asyncio.gather(*(backend.get_cart(f"c{i}") for i in range(10)))
    await backend.aclose()
    assert _token_requests(traffic) == 2


async def test_refused_secret_is_backend_unauthorized_without_the_secret() -> None:
    clock = Clock()
    traffic = _traffic(clock)
    backend = _backend(traffic, clock, secret="wrong-secret-value")
    with pytest.raises(BackendUnauthorized) as caught:
        await backend.get_cart("c1")
    with pytest.raises(BackendUnauthorized):
        await backend.ping()
    await backend.aclose()
    assert caught.value.message == "Elastic Path refused the gateway's client credentials (401)"
    assert "wrong-secret-value" not in repr(backend)
    assert [r.url.path for r in traffic.requests] == [TOKEN_PATH, TOKEN_PATH]


async def test_reprs_show_neither_secret_nor_token() -> None:
    clock = Clock()
    traffic = _traffic(clock)
    backend = _backend(traffic, clock)
    await backend.get_cart("c1")
    token = traffic.requests[-1].headers["authorization"].removeprefix("Bearer ")
    shown = repr(backend) + repr(backend._tokens) + repr(backend._client)
    await backend.aclose()
    assert repr(backend) == "ElasticPathBackend(sandbox=True)"
    assert repr(backend._tokens) == "TokenSource(cached=True)"
    assert SANDBOX_CLIENT_SECRET not in shown and token not in shown


def _answering(status: int, body: object) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, json=body))


async def test_wrapped_token_answer_and_expires_in_are_read() -> None:
    now = 1_700_000_000.0
    source = TokenSource(
        api_url="http://ep.test", client_id="id", client_secret="secret", timeout=1.0,
        transport=_answering(200, {"data": {"access_token": "t1", "expires_in": 3600}}),
        clock=lambda: now,
    )
    assert await source.token() == "t1"
    await source.aclose()


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (400, {"errors": [{"status": "400", "title": "Bad Request"}]}, BackendUnauthorized),
        (200, {"token_type": "Bearer"}, ServiceUnavailable),
        (200, {"access_token": "t1"}, ServiceUnavailable),
        (503, {"errors": [{"status": "503", "title": "Unavailable"}]}, ServiceUnavailable),
    ],
)
async def test_token_failures(status: int, body: object, error: type[Exception]) -> None:
    source = TokenSource(api_url="http://ep.test", client_id="id", client_secret="secret",
                         timeout=1.0, transport=_answering(status, body))
    with pytest.raises(error) as caught:
        await source.token()
    await source.aclose()
    assert "secret" not in str(caught.value)


def _every_repr(root: object, seen: set[int] | None = None, depth: int = 0) -> list[str]:
    """repr() of the object and of everything its attributes hold, a few levels down."""
    seen = seen if seen is not None else set()
    if id(root) in seen or depth > 4:
        return []
    seen.add(id(root))
    found = [repr(root)]
    children: list[object] = []
    if isinstance(root, dict):
        children = [*root.keys(), *root.values()]
    elif isinstance(root, list | tuple | set):
        children = list(root)
    else:
        slots = getattr(type(root), "__slots__", ())
        children = [getattr(root, name) for name in slots if hasattr(root, name)
                    and name != "_value"]
        children += list(getattr(root, "__dict__", {}).values())
    for child in children:
        if isinstance(child, str | int | float | bytes | type(None)):
            found.append(repr(child))
        else:
            found.extend(_every_repr(child, seen, depth + 1))
    return found


def test_the_secret_is_held_where_no_repr_reaches_it() -> None:
    secret = "s3cr3t-client-secret-value"
    source = TokenSource(api_url="http://ep.invalid", client_id="the-client",
                         client_secret=secret, timeout=1.0)
    texts = _every_repr(source)
    assert any("the-client" in text for text in texts)  # the walk does reach the fields
    assert not [text for text in texts if secret in text]
