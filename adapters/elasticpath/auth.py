"""Elastic Path OAuth: one cached ``client_credentials`` token shared by every request.

``POST {api_url}/oauth/access_token`` takes a form-encoded grant and answers with the
token object itself (``access_token``, ``expires`` in unix seconds, ``expires_in``); the
spec's ``data`` wrapper is corrected by Elastic Path's own SDK override, and both shapes
are accepted. The token is reused until shortly before ``expires``; a 401 from the API
refreshes it once. Concurrent callers share one refresh through the ``TokenCache``
(``adapters.shared_state``): in this process by default, across every gateway process
when the cache lives in Redis. Each process also keeps the token it last saw, so the
common path asks no one. A request in the minute before the renewal time is sent with
the current token while a new one is fetched in the background, so in steady traffic
no request waits for a token.

The secret and the token never appear in a repr, an exception message or a log line.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import httpx

from adapters.errors import BackendUnauthorized, CartgateError, ServiceUnavailable
from adapters.http import NoCookies, decode_json, raise_for_backend_status
from adapters.observer import BROKEN, TIMEOUT, BackendCall, BackendObserver
from adapters.request_context import REQUEST_ID_HEADER, request_id
from adapters.secrets import Secret
from adapters.shared_state.tokens import CachedToken, LocalTokenCache, TokenCache
from adapters.vendor_text import register

VENDOR = "Elastic Path"
TOKEN_PATH = "/oauth/access_token"
# What a bearer token may hold (RFC 6750's b64token), at a length no real token nears:
# anything else could not go out in a header, or would carry a header of its own.
_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]{1,4096}=*")
# Renew this long before the announced expiry, so a token never dies in flight.
REFRESH_MARGIN = 60.0
# Fetch the next token in the background this long before the renewal time.
REFRESH_AHEAD = 60.0


class TokenSource:
    """Bearer tokens for one Elastic Path application key, cached until near expiry."""

    def __init__(
        self,
        *,
        api_url: str,
        client_id: str,
        client_secret: str,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        margin: float = REFRESH_MARGIN,
        cache: TokenCache | None = None,
        observer: BackendObserver | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=api_url.rstrip("/"),
            timeout=httpx.Timeout(timeout),
            headers={"Accept": "application/json"},
            transport=transport,
            cookies=NoCookies(),
        )
        self._client_id = client_id
        self._client_secret = Secret(client_secret)
        register(client_secret)
        self._clock = clock
        self._margin = margin
        self._cache: TokenCache = cache if cache is not None else LocalTokenCache()
        self._seen: CachedToken | None = None
        self._seen_at = 0.0
        self._ahead: asyncio.Task[None] | None = None
        self._observer = observer

    def __repr__(self) -> str:
        return f"TokenSource(cached={self._seen is not None})"

    def _usable(self, token: CachedToken | None, rejected: str | None = None) -> bool:
        return (token is not None and self._clock() < token.renew_at
                and token.value != rejected)

    async def token(self) -> str:
        """A live token: the one last seen, or the cache's, or one fetched now (once)."""
        seen = self._seen
        if seen is not None and self._usable(seen):
            # Half the time left at first sight at most, so a short-lived token is not
            # fetched again on every request.
            ahead = min(REFRESH_AHEAD, (seen.renew_at - self._seen_at) / 2)
            if self._clock() >= seen.renew_at - ahead:
                self._refresh_ahead(seen)
            return seen.value
        return await self._renew(rejected=None)

    def _refresh_ahead(self, current: CachedToken) -> None:
        if self._ahead is None or self._ahead.done():
            self._ahead = asyncio.create_task(self._renew_ahead(current))

    async def _renew_ahead(self, current: CachedToken) -> None:
        try:
            fresh = await self._cache.replace(
                self._fetch, keep=lambda token: token.value != current.value
                and self._usable(token))
        except CartgateError:
            return  # the first request past the renewal time fetches, and reports, itself
        if self._seen is current:
            self._see(fresh)

    async def settled(self) -> None:
        """Wait for a background refresh to finish, if one runs."""
        if self._ahead is not None:
            await asyncio.shield(self._ahead)

    def _see(self, token: CachedToken) -> None:
        if self._seen is None or token.value != self._seen.value:
            self._seen_at = self._clock()
        self._seen = token

    async def refreshed(self, rejected: str) -> str:
        """A token other than the one the API just refused; one fetch for all who saw it."""
        return await self._renew(rejected=rejected)

    async def _renew(self, rejected: str | None) -> str:
        token = await self._cache.replace(
            self._fetch, keep=lambda token: self._usable(token, rejected))
        self._see(token)
        return token.value

    def forget(self) -> None:
        """Drop the token this process last saw, so the next call asks the cache."""
        self._seen = None

    async def _fetch(self) -> CachedToken:
        current_id = request_id.get()
        headers = {REQUEST_ID_HEADER: current_id} if current_id is not None else None
        started = time.perf_counter()
        try:
            response = await self._client.post(TOKEN_PATH, headers=headers, data={
                "grant_type": "client_credentials",
                "client_id": self._client_id,
                "client_secret": self._client_secret.reveal(),
            })
        except httpx.TimeoutException as exc:
            self._observe(started, None, TIMEOUT)
            raise ServiceUnavailable(f"{VENDOR} did not answer the token request in time") \
                from exc
        except httpx.HTTPError as exc:
            self._observe(started, None, BROKEN)
            raise ServiceUnavailable(f"{VENDOR} could not be reached for a token") from exc
        status = response.status_code
        self._observe(started, status, None)
        if status in (400, 401, 403):
            # 400 is what a malformed or unknown client id gets; either way, our key.
            raise BackendUnauthorized(
                f"{VENDOR} refused the gateway's client credentials ({status})"
            )
        raise_for_backend_status(response, VENDOR)
        if status != 200:
            raise ServiceUnavailable(f"{VENDOR} answered the token request with {status}")
        token, expires = _read_token(decode_json(response), now=self._clock())
        register(token)
        margin = min(self._margin, max(0.0, (expires - self._clock()) / 2))
        return CachedToken(value=token, renew_at=expires - margin)

    def _observe(self, started: float, status: int | None, error: str | None) -> None:
        if self._observer is not None:
            self._observer(BackendCall("POST", TOKEN_PATH, status, error,
                                       time.perf_counter() - started))

    async def aclose(self) -> None:
        if self._ahead is not None and not self._ahead.done():
            self._ahead.cancel()
            try:
                await self._ahead
            except asyncio.CancelledError:
                pass
        await self._client.aclose()


def _read_token(body: Any, *, now: float) -> tuple[str, float]:
    """The token and its expiry in unix seconds, from the unwrapped or wrapped answer."""
    if isinstance(body, Mapping) and isinstance(body.get("data"), Mapping):
        body = body["data"]
    if not isinstance(body, Mapping):
        raise ServiceUnavailable(f"{VENDOR} answered the token request without a token")
    token = body.get("access_token")
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise ServiceUnavailable(f"{VENDOR} answered the token request without a token")
    expires = _seconds(body.get("expires"))
    if expires is not None:
        return token, expires
    expires_in = _seconds(body.get("expires_in"))
    if expires_in is not None:
        return token, now + expires_in
    raise ServiceUnavailable(f"{VENDOR} answered the token request without an expiry")


def _seconds(value: Any) -> float | None:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return float(value)
    return None
