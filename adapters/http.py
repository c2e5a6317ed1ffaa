"""What every vendor client shares: JSON in and out without floats, transport errors
and common status codes translated to our errors, and retries for reads.

Nothing above this module sees an httpx exception.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from functools import lru_cache
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import urlencode

import aiohttp
import httpcore
import httpx
import msgspec
import simplejson

from adapters.aiohttp_wire import BoundedAiohttp
from adapters.bounded_answers import DEFAULT_MAX_BODY, AnswerTooLarge
from adapters.errors import BackendUnauthorized, RateLimited, ServiceUnavailable
from adapters.observer import (
    BROKEN,
    TIMEOUT,
    UNREACHABLE,
    BackendCall,
    BackendObserver,
    endpoint_template,
)
from adapters.request_budget import CallsSpent, charge_call
from adapters.request_context import REQUEST_ID_HEADER, request_id

# Statuses after which a read is worth trying again.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# Seconds an idle vendor connection is kept: under the 5 s keep-alive many servers use,
# so the gateway drops a connection before the server does and never sends a write on a
# socket the server is closing (the write would be lost without telling whether it ran).
IDLE_CONNECTION_EXPIRY = 4.0
VENDOR_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=50,
                             keepalive_expiry=IDLE_CONNECTION_EXPIRY)


# simplejson.dumps with options builds an encoder a call; this one holds only options.
_ENCODER = simplejson.JSONEncoder(use_decimal=True, separators=(",", ":"))


def encode_json(body: Any) -> bytes:
    """JSON bytes with Decimals written as exact numbers."""
    return _ENCODER.encode(body).encode()


# The widest number a vendor may send: 30 digits either side of the point. A longer one
# (``1e999999``) is refused while it is parsed, before anything turns it into an int, which
# for a huge exponent takes the event loop for tens of seconds.
MAX_NUMBER_DIGITS = 30
# Longest wait a vendor may ask for before a retry; the retry deadline caps it again.
MAX_ADVISED_WAIT = 3600.0


class _OutOfRange(ValueError):
    """A JSON number no vendor field can hold."""


# A number of at most this many characters and no exponent is always in range: it has
# fewer than 30 digits before the point, or fewer than 30 zeros after it.
_ALWAYS_IN_RANGE = MAX_NUMBER_DIGITS + 1


def _bounded_decimal(text: str) -> Decimal:
    if len(text) <= _ALWAYS_IN_RANGE and "e" not in text and "E" not in text:
        return Decimal(text)  # most prices: no need to measure the value
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # an exponent past what a Decimal can hold at all
        raise _OutOfRange(f"a number out of range: {text[:40]}") from exc
    if len(text) > 2 * MAX_NUMBER_DIGITS + 10 or not (
        -MAX_NUMBER_DIGITS <= value.adjusted() <= MAX_NUMBER_DIGITS
    ) and value != 0:
        raise _OutOfRange(f"a number out of range: {text[:40]}")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _OutOfRange(f"an integer out of range: {text[:40]}")
    return int(text)


# Each ASCII digit as "0", every other byte as a space: a run of digits is a run of zeros.
_DIGITS_AS_ZEROS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))


def has_digit_run(content: bytes, length: int) -> bool:
    """Whether ``content`` holds ``length`` ASCII digits in a row (inside a string too):
    a byte translation and a substring search, several times faster than a regex.
    """
    return b"0" * length in content.translate(_DIGITS_AS_ZEROS)


def _int_parser(content: bytes) -> Callable[[str], int] | None:
    """``_bounded_int`` when the body may hold an integer past the bound, else None: json's
    own C code then parses every integer, a Python call fewer per number. A UTF-16 or
    UTF-32 body (json reads those too) has NUL bytes between its digits: always bounded.
    """
    if b"\0" in content or has_digit_run(content, MAX_NUMBER_DIGITS + 1):
        return _bounded_int
    return None


# msgspec reads a vendor's answer in half json's time, with the same bounded Decimal for
# every number with a point or an exponent. It refuses a few bodies json reads (a UTF-8
# BOM, an escaped lone surrogate, UTF-16): those, and every body it refuses, are read by
# json, whose value or error stands, so the two read alike (tests/test_vendor_json.py).
_FAST_JSON = msgspec.json.Decoder(float_hook=_bounded_decimal)


def parse_json(content: bytes) -> Any:
    """``content`` parsed with bounded Decimals and integers, as ``json.loads`` parses it;
    raises what json raises (``ValueError``, ``UnicodeDecodeError``, ``RecursionError``).
    """
    int_parser = _int_parser(content)
    if int_parser is None:  # msgspec would read a long integer unbounded
        try:
            return _FAST_JSON.decode(content)
        except (msgspec.DecodeError, msgspec.ValidationError):
            pass
    return json.loads(content, parse_float=_bounded_decimal, parse_int=int_parser,
                      parse_constant=_refuse_constant)


def decode_json(response: httpx.Response) -> Any:
    """The body parsed with Decimals for numbers; ServiceUnavailable when it is not JSON,
    nests too deep, or holds a number out of range.
    """
    try:
        return parse_json(response.content)
    except _OutOfRange as exc:
        raise ServiceUnavailable(
            f"the backend answered {response.status_code} with a number out of range"
        ) from exc
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ServiceUnavailable(
            f"the backend answered {response.status_code} with a body that is not JSON"
        ) from exc


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _seconds(text: str, scale: float) -> float | None:
    """A non-negative whole number of ``scale`` seconds, or None; no overflow on 400 digits."""
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        return None
    if len(text) > 12:
        return MAX_ADVISED_WAIT
    return min(MAX_ADVISED_WAIT, int(text) * scale)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait a 429 or 503 asks for: BigCommerce's reset header, or Retry-After (seconds
    or an HTTP date); anything unreadable is no advice.
    """
    reset_ms = headers.get("x-rate-limit-time-reset-ms")
    if reset_ms is not None and (wait := _seconds(reset_ms, 0.001)) is not None:
        return wait
    retry_after = headers.get("retry-after")
    if retry_after is None:
        return None
    if (wait := _seconds(retry_after, 1.0)) is not None:
        return wait
    try:
        moment = parsedate_to_datetime(retry_after)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)  # "-0000": UTC, with no zone stated
        return min(MAX_ADVISED_WAIT, max(0.0, (moment - datetime.now(UTC)).total_seconds()))
    except (TypeError, ValueError, OverflowError, IndexError):
        return None


def raise_for_backend_status(response: httpx.Response, vendor: str) -> None:
    """Raise the error for statuses whose meaning is the same on every vendor."""
    status = response.status_code
    if status in (401, 403):
        raise BackendUnauthorized(f"{vendor} refused the gateway's credentials ({status})")
    if status == 429:
        raise RateLimited(
            f"{vendor} is rate limiting the gateway",
            retry_after=retry_after_seconds(response.headers),
        )
    if status >= 500:
        raise ServiceUnavailable(f"{vendor} answered {status}")


class NoCookies(CookieJar):
    """Vendor APIs authenticate by header: keeping their cookies would only cost time."""

    def extract_cookies(self, response: Any, request: Any) -> None:
        return None


def vendor_transport(max_body: int = DEFAULT_MAX_BODY) -> httpx.AsyncBaseTransport:
    """The wire to a real vendor: aiohttp without cookies, answers capped at ``max_body``."""
    return BoundedAiohttp(limits=VENDOR_LIMITS, max_body=max_body)


def never_sent(error: httpx.HTTPError) -> bool:
    """Whether the request provably never left: no connection was ever made for it.

    Transports map their own failures onto httpx's classes loosely (aiohttp reports a
    server that hung up after the request as a connect timeout), so the original cause
    decides, not the class.
    """
    cause = error.__cause__
    if isinstance(cause, aiohttp.ClientConnectorError):
        return True  # the TCP connection could not be opened
    if isinstance(cause, httpcore.ConnectError | httpcore.ConnectTimeout | httpcore.PoolTimeout):
        return True
    return cause is None and isinstance(error, httpx.ConnectError)


@lru_cache(maxsize=1024)
def _query(params: tuple[tuple[str, str], ...]) -> str:
    """A query string; the clients send the same few parameter sets again and again."""
    return urlencode(params)


class NotSent(ServiceUnavailable):
    """The request never reached the backend, so it is safe to send again."""


class JsonTransport:
    """An httpx client for one vendor: sends JSON, translates transport failures."""

    def __init__(
        self,
        *,
        vendor: str,
        base_url: str,
        timeout: float,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        attempts: int = 3,
        deadline: float | None = None,
        observer: BackendObserver | None = None,
    ) -> None:
        self.vendor = vendor
        self._observer = observer
        limits = VENDOR_LIMITS
        # httpx's own transport serves a few times fewer requests a second than
        # aiohttp's under load; httpx stays the API, aiohttp moves the bytes.
        self._transport = transport or vendor_transport()
        self._client = httpx.AsyncClient(
            base_url=base_url,
            cookies=NoCookies(),
            timeout=httpx.Timeout(timeout),
            headers={"Accept": "application/json", **(headers or {})},
            transport=self._transport,
            limits=limits,
        )
        # The client's headers (httpx's defaults under ours) as httpx keeps them, bytes by
        # lower-case name: what the client puts on every request, normalised once.
        self._headers = {key.lower(): (key.lower(), value)
                         for key, value in self._client.headers.raw}
        # No timeout per phase: one deadline of ``timeout`` covers the whole exchange
        # (``_send_once``) and always ends first, so timers per phase (aiohttp moves its
        # read timer at every chunk) would only cost time.
        self._extensions = {"timeout": httpx.Timeout(None).as_dict()}
        # httpx parses a URL string character by character, twice a request; the same
        # few cart paths come back again and again, so each is parsed once.
        self._url = lru_cache(maxsize=1024)(self._absolute_url)
        self._timeout = timeout
        self._attempts = max(1, attempts)
        self._deadline = deadline if deadline is not None else timeout * 2

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send, retrying with backoff and jitter under a total deadline.

        A read (GET) is retried after any failure that may pass. A write is retried only
        where it provably had no effect: the connection was never made, or the backend
        refused it unprocessed with 429.
        """
        is_read = method == "GET"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._deadline
        attempt = 0
        while True:
            attempt += 1
            last_try = attempt >= self._attempts
            try:
                response = await self._send_once(method, path, body, params, headers)
            except (CallsSpent, AnswerTooLarge):
                raise  # sending it again costs as much, or is not allowed
            except ServiceUnavailable as error:
                may_retry = is_read or isinstance(error, NotSent)
                if not may_retry or last_try or loop.time() >= deadline:
                    raise
                await asyncio.sleep(self._backoff(attempt, None, deadline - loop.time()))
                continue
            retryable = RETRYABLE_STATUSES if is_read else {429}
            if response.status_code not in retryable or last_try:
                return response
            wait = self._backoff(attempt, retry_after_seconds(response.headers),
                                 deadline - loop.time())
            if loop.time() + wait >= deadline:
                return response
            await response.aclose()
            await asyncio.sleep(wait)

    def _absolute_url(self, target: str) -> httpx.URL:
        """The base URL joined with a path and query, as httpx itself would join them."""
        return self._client.base_url.join(target.lstrip("/"))

    @staticmethod
    def _backoff(attempt: int, advised: float | None, remaining: float) -> float:
        # Full jitter keeps many gateway processes from retrying in lockstep.
        wait = advised if advised is not None else random.uniform(0, 0.05 * 2**attempt)
        return max(0.0, min(wait, remaining))

    async def _send_once(self, method: str, path: str, body: Any,
                         params: Mapping[str, str] | None,
                         headers: Mapping[str, str] | None) -> httpx.Response:
        charge_call()
        request_headers = dict(headers or {})
        if (current_id := request_id.get()) is not None:
            request_headers[REQUEST_ID_HEADER] = current_id
        content = None
        if body is not None:
            content = encode_json(body)
            request_headers.setdefault("Content-Type", "application/json")
        started = time.perf_counter()
        try:
            # One deadline for the whole exchange: httpx's own timeouts are per phase.
            async with asyncio.timeout(self._timeout):
                # The query string is joined here: httpx would parse the URL once more.
                target = f"{path}?{_query(tuple(params.items()))}" if params else path
                response = await self._exchange(method, self._url(target), content,
                                                request_headers)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            if never_sent(exc):
                self._observe(method, path, started, None, UNREACHABLE)
                raise NotSent(f"{self.vendor} could not be reached") from exc
            self._observe(method, path, started, None, BROKEN)
            raise ServiceUnavailable(f"{self.vendor} broke off the exchange") from exc
        except (httpx.TimeoutException, TimeoutError) as exc:
            self._observe(method, path, started, None, TIMEOUT)
            raise ServiceUnavailable(f"{self.vendor} did not answer in time") from exc
        except httpx.HTTPError as exc:
            self._observe(method, path, started, None, BROKEN)
            raise ServiceUnavailable(f"{self.vendor} broke off the exchange") from exc
        self._observe(method, path, started, response.status_code, None)
        return response

    async def _exchange(self, method: str, url: httpx.URL, content: bytes | None,
                        headers: Mapping[str, str]) -> httpx.Response:
        """What ``self._client.request`` does for a vendor call, the body read whole.

        The client's per-request work is merging cookies (there are none), auth (headers
        carry it), redirects (never followed) and event hooks (none): a third of a cart
        read's CPU. So the request is built here, with the client's headers and timeouts,
        and handed to the client's own transport.
        """
        request = self._request(method, url, content, headers)
        if self._client.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        response = await self._transport.handle_async_request(request)
        response.request = request
        try:
            await response.aread()
        except BaseException:
            await response.aclose()
            raise
        return response

    def _request(self, method: str, url: httpx.URL, content: bytes | None,
                 headers: Mapping[str, str]) -> httpx.Request:
        """The request ``httpx.Request(method, url, headers=..., content=content)`` builds,
        with the same headers in the same order (Host, the client's under this call's,
        Content-Length), the client's already normalised: httpx would normalise every
        header twice and search them four times more.
        """
        merged = dict(self._headers)
        for key, value in headers.items():
            name = key.encode("ascii")
            merged[name.lower()] = (name, value.encode("ascii"))
        fields = list(merged.values())
        if content is not None and b"content-length" not in merged:
            fields.append((b"Content-Length", str(len(content)).encode()))
        elif method in ("POST", "PUT", "PATCH") and b"content-length" not in merged:
            fields.insert(0, (b"Content-Length", b"0"))
        if b"host" not in merged:
            fields.insert(0, (b"Host", url.netloc))
        request = httpx.Request(method, url, headers=fields,
                                stream=httpx.ByteStream(content or b""),
                                extensions=dict(self._extensions))
        request.read()
        return request

    def _observe(self, method: str, path: str, started: float, status: int | None,
                 error: str | None) -> None:
        # Templates are made only when someone listens: the hot path stays one check.
        if self._observer is not None:
            self._observer(BackendCall(method, endpoint_template(path), status, error,
                                       time.perf_counter() - started))

    async def aclose(self) -> None:
        await self._client.aclose()
