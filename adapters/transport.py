"""One vendor call from request to answer: the plumbing every vendor client shares.

``adapters.http.JsonTransport`` moves the bytes: JSON out, retries, timeouts, transport
errors, timing and the observer. ``VendorCalls`` does what each client did after it:
the statuses every vendor means alike (``raise_for_backend_status``), a conflict answered
to a read, no content, the error body read without floats, the vendor's own refusal table
for the other 4xx, and the answer decoded. A client keeps only what is its vendor's: its
URLs, how a request goes out (a path prefix, a bearer token), its refusal table, and how
its answers are read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol, TypedDict, Unpack

import httpx

from adapters.errors import CartgateError, ServiceUnavailable
from adapters.http import decode_json, raise_for_backend_status


class CallOptions(TypedDict, total=False):
    """What a client says about one call besides its method and path."""

    about: str  # what was addressed (cart, line, coupon...), for the refusal table
    body: Any
    params: Mapping[str, str] | None
    headers: Mapping[str, str] | None


# (method, path, body, params, headers) -> the vendor's raw answer
Send = Callable[[str, str, Any, Mapping[str, str] | None, Mapping[str, str] | None],
                Awaitable[httpx.Response]]


class Refusal(Protocol):
    """A vendor's error table: a 4xx status and its decoded body (None when it has none)
    to our typed error; ``about`` says what was addressed.
    """

    def __call__(self, status: int, body: Any, *, about: str) -> CartgateError: ...


class VendorCalls:
    """Sends a vendor's calls and turns each answer into data, None, or a typed error."""

    def __init__(
        self,
        *,
        vendor: str,
        send: Send,
        refusal: Refusal,
        decode: Callable[[httpx.Response], Any],
        empty_body_allowed: bool = False,
    ) -> None:
        """``empty_body_allowed``: the vendor may answer without any body, a success as
        no content and a refusal as its status alone; otherwise only a 204 may be empty
        and an empty body elsewhere is a broken answer.
        """
        self.vendor = vendor
        self._send = send
        self._refusal = refusal
        self._decode = decode
        self._empty_body_allowed = empty_body_allowed

    async def call(self, method: str, path: str, **options: Unpack[CallOptions]) -> Any:
        """The decoded answer, None when it has no content; a refusal raised typed."""
        response = await self.answer(method, path, **options)
        return None if response is None else self._decode(response)

    async def answer(self, method: str, path: str,
                     **options: Unpack[CallOptions]) -> httpx.Response | None:
        """The successful answer undecoded, None when it has no content."""
        response = await self._send(method, path, options.get("body"),
                                    options.get("params"), options.get("headers"))
        raise_for_backend_status(response, self.vendor)
        status = response.status_code
        empty = not response.content and self._empty_body_allowed
        if status < 400:
            return None if status == 204 or empty else response
        body = None if empty else decode_json(response)
        if status == 409 and method == "GET":
            # A read changes nothing, so it cannot conflict: the vendor is misbehaving.
            raise ServiceUnavailable(f"{self.vendor} answered a read with a conflict (409)")
        raise self._refusal(status, body, about=options.get("about", "cart"))
