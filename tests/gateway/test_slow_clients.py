"""`cartgate serve`'s uvicorn options on loopback, with raw sockets: a client that sends its
headers or its body too slowly loses the connection, and connections are capped.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from gateway.app import create_app
from gateway.http.slow_clients import configured_header_timeout, serve_options
from sandboxes.loopback import LoopbackServer
from tests.conftest import gateway_settings

DEADLINE = 0.5
# A closed connection must be seen well within this, however loaded the machine.
PATIENCE = 5.0
MAX_CONNECTIONS = 4


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    monkeypatch.setenv("CARTGATE_CLIENT_HEADER_TIMEOUT", str(DEADLINE))
    configured_header_timeout.cache_clear()
    settings = gateway_settings(client_body_timeout=DEADLINE, max_connections=MAX_CONNECTIONS,
                                sandbox="off")
    server = LoopbackServer(create_app(settings), lifespan="on",
                            options=serve_options(settings)).start()
    try:
        yield server.host, server.port
    finally:
        server.stop()
        configured_header_timeout.cache_clear()


def _dribble(address: tuple[str, int], first: bytes, more: bytes) -> tuple[float, bytes]:
    """Send ``first``, then ``more`` every 0.1 s until the server answers or hangs up:
    (seconds until then, what it answered).
    """
    # Timed from before the connection: the server's deadline starts when it accepts,
    # which can be before create_connection returns here.
    started = time.monotonic()
    with socket.create_connection(address, timeout=PATIENCE) as sock:
        sock.settimeout(0.1)
        sock.sendall(first)
        while time.monotonic() - started < PATIENCE:
            try:
                answer = sock.recv(65536)
                return time.monotonic() - started, answer
            except TimeoutError:
                pass
            try:
                sock.sendall(more)
            except OSError:
                return time.monotonic() - started, b""
        return time.monotonic() - started, b"still open"


def test_headers_sent_a_byte_at_a_time_lose_the_connection(served: tuple[str, int]) -> None:
    elapsed, answer = _dribble(served, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", b"X-S: 1\r\n")
    assert answer == b""
    assert DEADLINE <= elapsed < PATIENCE


def test_a_body_sent_too_slowly_is_408(served: tuple[str, int]) -> None:
    head = (b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100000\r\n\r\n{")
    elapsed, answer = _dribble(served, head, b" ")
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert DEADLINE <= elapsed < PATIENCE


def test_a_kept_alive_connection_may_idle_between_requests(served: tuple[str, int]) -> None:
    host, port = served
    with httpx.Client(base_url=f"http://{host}:{port}") as http:
        assert http.get("/healthz").status_code == 200
        time.sleep(DEADLINE * 2)
        assert http.get("/healthz").status_code == 200


def test_connections_past_the_cap_are_answered_503(served: tuple[str, int]) -> None:
    idle = [socket.create_connection(served) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.1)
        answer = httpx.get(f"http://{served[0]}:{served[1]}/healthz")
        assert answer.status_code == 503
    finally:
        for sock in idle:
            sock.close()
