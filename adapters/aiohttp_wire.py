"""The wire to a real vendor: aiohttp moves the bytes, the answer is read within the cap.

The same answers as ``BoundedAnswers`` over httpx-aiohttp's transport (which stays the
wrapper for any other transport, a test's in-process one), in one step: the body is read
chunk by chunk straight from aiohttp, inflated in bounds, and handed back as one httpx
``Response``, instead of passing through a streamed ``Response``, its byte iterators and
a second ``Response``. That layering was a sixth of the gateway's CPU for a cart read.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport
from httpx_aiohttp.transport import map_aiohttp_exceptions

from adapters.bounded_answers import (
    ACCEPTED_ENCODINGS,
    DEFAULT_MAX_BODY,
    AnswerTooLarge,
    Inflater,
    declared_too_large,
    kept_headers,
    whole_answer,
)

CHUNK = 16 * 1024


class BoundedAiohttp(AiohttpTransport):
    """aiohttp without cookies, answers whole, decoded and at most ``max_body`` bytes.

    aiohttp's session keeps a cookie jar of its own, under httpx's: a ``Set-Cookie``
    answered to one shopper's request would go out with the next shopper's. Its jar is a
    ``DummyCookieJar``, so no vendor cookie is ever stored or sent.
    """

    def __init__(self, *, limits: httpx.Limits, max_body: int = DEFAULT_MAX_BODY) -> None:
        super().__init__(limits=limits)
        self.max_body = max_body
        self._timeouts: dict[tuple[Any, ...], aiohttp.ClientTimeout] = {}

    def get_client(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(keepalive_timeout=self.limits.keepalive_expiry,
                                         ssl=self.ssl_context,
                                         limit=self.limits.max_connections or 100)
        return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())

    def _timeout(self, timeout: dict[str, Any]) -> aiohttp.ClientTimeout:
        # The same few timeouts on every request: one ClientTimeout each.
        key = (timeout.get("connect"), timeout.get("read"), timeout.get("pool"))
        found = self._timeouts.get(key)
        if found is None:
            found = self._timeouts[key] = aiohttp.ClientTimeout(
                sock_connect=key[0], sock_read=key[1], connect=key[2])
        return found

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(self.client, aiohttp.ClientSession):
            self.client = self.get_client()
        request.headers["Accept-Encoding"] = ACCEPTED_ENCODINGS
        data: bytes | httpx.AsyncByteStream | None
        try:
            data = request.content or None
        except httpx.RequestNotRead:
            data = request.stream  # type: ignore[assignment]
            request.headers.pop("transfer-encoding", None)  # aiohttp frames it
        with map_aiohttp_exceptions():
            async with self.client.request(
                method=request.method, url=str(request.url), headers=request.headers,
                data=data, allow_redirects=False, auto_decompress=False, compress=False,
                timeout=self._timeout(request.extensions.get("timeout", {})),
                server_hostname=request.extensions.get("sni_hostname"),
            ) as answer:
                if declared_too_large(answer.headers.get("content-length", ""),
                                      self.max_body):
                    raise AnswerTooLarge("the backend's answer is larger than the gateway reads")
                inflater = Inflater(answer.headers.get("content-encoding", "").strip().lower())
                body = bytearray()
                async for chunk in answer.content.iter_chunked(CHUNK):
                    body += inflater.feed(chunk, self.max_body - len(body))
                    if len(body) > self.max_body:
                        raise AnswerTooLarge(
                            "the backend's answer is larger than the gateway reads")
        extensions: dict[str, Any] = {"http_version": b"HTTP/1.1"}
        if answer.reason:
            extensions["reason_phrase"] = answer.reason.encode()
        return whole_answer(answer.status, kept_headers(answer.raw_headers), bytes(body),
                            request, extensions)
