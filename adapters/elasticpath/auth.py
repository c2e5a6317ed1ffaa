"""Elastic Path OAuth: one cached ``client_credentials`` token shared by every request.

``POST {api_url}/oauth/access_token`` takes a form-encoded grant and answers with the
token object itself (``access_token``, ``expires`` in unix seconds, ``expires_in``); the
spec's ``data`` wrapper is corrected by Elastic Path's own SDK override, and both shapes
are accepted. The token is reused until shortly before ``expires``; a 401 from the API
refreshes it once. Concurrent callers share one refresh: the lock is held while the
token request is in flight and waiters find the new token when they get the lock.

The secret and the token never appear in a repr, an exception message or a log line.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import httpx

from adapters.errors import BackendUnauthorized, ServiceUnavailable
from adapters.http import decode_json, raise_for_backend_status

VENDOR = "Elastic Path"
TOKEN_PATH = "/oauth/access_token"
# Renew this long before the announced expiry, so a token never dies in flight.
REFRESH_MARGIN = 60.0


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
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=api_url.rstrip("/"),
            timeout=httpx.Timeout(timeout),
            headers={"Accept": "application/json"},
            transport=transport,
        )
        self._form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        }
        self._clock = clock
        self._margin = margin
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def __repr__(self) -> str:
        return f"TokenSource(cached={self._token is not None})"

    def _fresh(self) -> str | None:
        if self._token is not None and self._clock() < self._renew_at:
            return self._token
        return None

    async def token(self) -> str:
        """A live token: the cached one, or one fetched now (once for all waiters)."""
        token = self._fresh()
        if token is not None:
            return token
        async with self._lock:
            token = self._fresh()
            if token is None:
                token = await self._fetch()
            return token

    async def refreshed(self, rejected: str) -> str:
        """A token other than the one the API just refused; one fetch for all who saw it."""
        async with self._lock:
            if self._token is not None and self._token != rejected:
                return self._token
            self._token = None
            return await self._fetch()

    def forget(self) -> None:
        """Drop the cached token, so the next call fetches a new one."""
        self._token = None

    async def _fetch(self) -> str:
        try:
            response = await self._client.post(TOKEN_PATH, data=self._form)
        except httpx.TimeoutException as exc:
            raise ServiceUnavailable(f"{VENDOR} did not answer the token request in time") \
                from exc
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"{VENDOR} could not be reached for a token") from exc
        status = response.status_code
        if status in (400, 401, 403):
            # 400 is what a malformed or unknown client id gets; either way, our key.
            raise BackendUnauthorized(
                f"{VENDOR} refused the gateway's client credentials ({status})"
            )
        raise_for_backend_status(response, VENDOR)
        if status != 200:
            raise ServiceUnavailable(f"{VENDOR} answered the token request with {status}")
        token, expires = _read_token(decode_json(response), now=self._clock())
        margin = min(self._margin, max(0.0, (expires - self._clock()) / 2))
        self._token = token
        self._renew_at = expires - margin
        return token

    async def aclose(self) -> None:
        await self._client.aclose()


def _read_token(body: Any, *, now: float) -> tuple[str, float]:
    """The token and its expiry in unix seconds, from the unwrapped or wrapped answer."""
    if isinstance(body, Mapping) and isinstance(body.get("data"), Mapping):
        body = body["data"]
    if not isinstance(body, Mapping):
        raise ServiceUnavailable(f"{VENDOR} answered the token request without a token")
    token = body.get("access_token")
    if not isinstance(token, str) or not token:
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
