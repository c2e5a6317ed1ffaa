"""The wire to a vendor on loopback: answers are capped however they arrive, and no
vendor cookie is ever kept or sent.
"""

from __future__ import annotations

import gzip
import struct
import time
import zlib
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from adapters.bounded_answers import DEFAULT_MAX_BODY, AnswerTooLarge, whole_answer
from adapters.http import JsonTransport, decode_json, encode_json
from sandboxes.loopback import LoopbackServer

pytestmark = pytest.mark.anyio

MB = 1024 * 1024


def gzip_bomb(megabytes: int) -> bytes:
    """A valid gzip body of ``megabytes`` MB of zeros, about 1 KB per MB, built in a blink:
    one fully flushed deflate block of a megabyte of zeros, repeated.
    """
    zeros = b"\0" * MB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (megabytes * MB) & 0xFFFFFFFF)
    return header + first + block * (megabytes - 1) + end + trailer


async def _huge(request: Request) -> StreamingResponse:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(400):  # 400 MB, streamed with no Content-Length
            yield b" " * MB

    return StreamingResponse(chunks(), media_type="application/json")


async def _declared(request: Request) -> Response:
    return Response(b"[" + b" " * (DEFAULT_MAX_BODY + MB) + b"]",
                    media_type="application/json")


async def _bomb(request: Request) -> Response:
    # A megabyte of gzip that inflates to a gigabyte.
    return Response(gzip_bomb(1024), media_type="application/json",
                    headers={"Content-Encoding": "gzip"})


async def _small_gzip(request: Request) -> Response:
    return Response(gzip.compress(b'{"ok": 1.50}'), media_type="application/json",
                    headers={"Content-Encoding": "gzip"})


async def _set_cookie(request: Request) -> Response:
    response = JSONResponse({"set": True})
    response.set_cookie("SHOPPER", "alice-session", path="/")
    return response


async def _echo_cookie(request: Request) -> Response:
    return JSONResponse({"cookie": request.headers.get("cookie")})


async def _echo_request(request: Request) -> Response:
    return JSONResponse({"headers": sorted([k.decode().lower(), v.decode()]
                                           for k, v in request.headers.raw),
                         "body": (await request.body()).decode(), "method": request.method,
                         "url": str(request.url)})


VENDOR = Starlette(routes=[Route("/huge", _huge), Route("/declared", _declared),
                           Route("/bomb", _bomb), Route("/small", _small_gzip),
                           Route("/set", _set_cookie), Route("/echo", _echo_cookie),
                           Route("/request", _echo_request,
                                 methods=["GET", "POST", "PUT", "DELETE"])])


@pytest.fixture(scope="module")
def vendor_url() -> Iterator[str]:
    server = LoopbackServer(VENDOR).start()
    # By name: aiohttp's own jar ignores cookies of a bare IP address, not of a host.
    yield server.url.replace("127.0.0.1", "localhost")
    server.stop()


@pytest.fixture
async def wire(vendor_url: str) -> AsyncIterator[JsonTransport]:
    transport = JsonTransport(vendor="Hostile", base_url=vendor_url, timeout=30, attempts=1)
    yield transport
    await transport.aclose()


@pytest.mark.parametrize("path", ["/huge", "/declared", "/bomb"])
async def test_an_oversized_answer_is_refused_as_it_streams(wire: JsonTransport,
                                                            path: str) -> None:
    started = time.perf_counter()
    with pytest.raises(AnswerTooLarge):
        await wire.request("GET", path)
    # The 400 MB and the gigabyte are never read or inflated whole.
    assert time.perf_counter() - started < 10


def test_the_bomb_is_a_real_gzip_body() -> None:
    assert gzip.decompress(gzip_bomb(8)) == b"\0" * (8 * MB)


async def test_a_small_compressed_answer_is_read(wire: JsonTransport) -> None:
    answer = await wire.request("GET", "/small")
    assert str(decode_json(answer)["ok"]) == "1.50"


async def test_a_vendor_cookie_is_never_sent_back(wire: JsonTransport) -> None:
    first = await wire.request("GET", "/set")
    assert "alice-session" in first.headers["set-cookie"]
    second = await wire.request("GET", "/echo")
    assert decode_json(second) == {"cookie": None}


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("POST", {"a": 1}), ("PUT", None),
                                              ("DELETE", {"version": 2})])
async def test_a_vendor_receives_what_the_httpx_client_would_send(
        wire: JsonTransport, method: str, body: dict[str, int] | None) -> None:
    sent = await wire.request(method, "/request", body=body, params={"include": "a,b"},
                              headers={"X-Extra": "yes"})
    content = None if body is None else encode_json(body)
    headers = {"X-Extra": "yes"} | ({"Content-Type": "application/json"} if body else {})
    # The client's own request through the same wire: what the gateway's must equal.
    expected = await wire._client.request(method, "/request?include=a%2Cb", content=content,
                                          headers=headers)
    assert decode_json(sent) == decode_json(expected)
    assert ["x-extra", "yes"] in decode_json(sent)["headers"]


def test_an_answer_read_whole_is_the_response_httpx_builds_of_its_bytes() -> None:
    request = httpx.Request("GET", "http://vendor/carts/1")
    headers = [(b"Content-Type", b"application/json"), (b"X-Rate", b"9")]
    built = whole_answer(200, headers, b'{"a": 1}', request, {"http_version": b"HTTP/1.1"})
    expected = httpx.Response(200, headers=headers, content=b'{"a": 1}', request=request,
                              extensions={"http_version": b"HTTP/1.1"})
    for answer in (built, expected):
        assert answer.is_closed and answer.is_stream_consumed
    assert built.headers.raw == expected.headers.raw
    assert (built.content, built.text, built.json()) == (expected.content, expected.text,
                                                          expected.json())
    assert built.request is request and built.extensions == expected.extensions
    assert list(built.iter_bytes()) == list(expected.iter_bytes())
