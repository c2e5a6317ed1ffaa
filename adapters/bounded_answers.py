"""Vendor answers read within a size cap: streamed, counted, and decompressed in bounds.

A vendor (or whatever answers in its place) may send a 400 MB body or a 1 MB gzip bomb
that inflates to a gigabyte. ``BoundedAnswers`` wraps the transport every vendor client
uses: it refuses a declared ``Content-Length`` past the cap at once, otherwise reads the
body chunk by chunk, inflates gzip or deflate with a bounded output per step, and stops
as soon as the decoded body passes the cap. Memory stays within about one cap and one
chunk per answer, whatever arrives. Only gzip and deflate are asked for, so no other
encoding needs a decoder here.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterable
from typing import Any

import httpx

from adapters.errors import ServiceUnavailable

# A cart of a thousand lines is about 1.5 MB of vendor JSON; a few times that.
DEFAULT_MAX_BODY = 4 * 1024 * 1024
ACCEPTED_ENCODINGS = "gzip, deflate"
_DROPPED = {b"content-encoding", b"content-length", b"transfer-encoding"}


class AnswerTooLarge(ServiceUnavailable):
    """The vendor's answer is larger than the gateway reads."""


class Inflater:
    """Decodes one body's Content-Encoding, never more than ``room`` bytes at a time."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        wbits = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}.get(encoding)
        self._zlib = zlib.decompressobj(wbits) if wbits is not None else None
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded bytes of ``data``; more than ``room`` of them raises AnswerTooLarge."""
        if self._zlib is None:
            return data
        if not self._started and self.encoding == "deflate" and data[:1] != b"\x78":
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no zlib header
        self._started = True
        out = bytearray()
        while data:
            try:
                out += self._zlib.decompress(data, room - len(out) + 1)
            except zlib.error as exc:
                raise ServiceUnavailable("the backend answered with a body that does not "
                                         "decompress") from exc
            if len(out) > room:
                raise AnswerTooLarge("the backend's answer is larger than the gateway reads")
            data = self._zlib.unconsumed_tail
        return bytes(out)


def declared_too_large(declared: str, max_body: int) -> bool:
    """Whether a ``Content-Length`` alone shows the answer is past the cap."""
    # Compressed or not, a body never inflates to less than about its own size.
    return declared.isascii() and declared.isdigit() and (
        len(declared) > 18 or int(declared) > max_body + max_body // 64)


def kept_headers(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """An answer's headers without those that describe the body as it was sent."""
    return [(k, v) for k, v in raw if k.lower() not in _DROPPED]


def whole_answer(status: int, headers: list[tuple[bytes, bytes]], body: bytes,
                 request: httpx.Request, extensions: dict[str, Any]) -> httpx.Response:
    """``httpx.Response(status, headers=headers, content=body, ...)`` in the state that one
    is in (read, closed, ``Content-Length`` added), without passing a body read and decoded
    whole already through httpx's decoder and chunkers again (10 µs of each vendor call).
    """
    response = httpx.Response(
        status, headers=[*headers, (b"Content-Length", str(len(body)).encode())],
        stream=httpx.ByteStream(body), request=request, extensions=extensions)
    response._content = body
    response.is_stream_consumed = True
    response.is_closed = True
    return response


async def _whole(response: httpx.Response) -> AsyncIterator[bytes]:
    yield response.content


class BoundedAnswers(httpx.AsyncBaseTransport):
    """Passes requests on; answers come back whole, decoded, and at most ``max_body``."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, max_body: int = DEFAULT_MAX_BODY
                 ) -> None:
        self.inner = inner
        self.max_body = max_body

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.headers["Accept-Encoding"] = ACCEPTED_ENCODINGS
        response = await self.inner.handle_async_request(request)
        try:
            if declared_too_large(response.headers.get("content-length", ""), self.max_body):
                raise AnswerTooLarge("the backend's answer is larger than the gateway reads")
            inflater = Inflater(response.headers.get("content-encoding", "").strip().lower())
            body = bytearray()
            if response.is_stream_consumed:
                # Built whole by a transport in front (already decoded): only measured.
                inflater = Inflater("identity")
            async for chunk in (_whole(response) if response.is_stream_consumed
                                else response.aiter_raw()):
                body += inflater.feed(chunk, self.max_body - len(body))
                if len(body) > self.max_body:
                    raise AnswerTooLarge("the backend's answer is larger than the gateway reads")
        finally:
            await response.aclose()
        return whole_answer(response.status_code, kept_headers(response.headers.raw),
                            bytes(body), request, response.extensions)

    async def aclose(self) -> None:
        await self.inner.aclose()
