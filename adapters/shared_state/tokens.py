"""A cache for one OAuth token: the contract, and the in-process implementation.

``replace`` is the only way a token gets in: the caller says which cached token it can
still use (``keep``), and when there is none, exactly one ``fetch`` runs while every
other caller waits for its result.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CachedToken:
    """A bearer token and the unix time at which it should be renewed."""

    value: str = field(repr=False)
    renew_at: float


Fetch = Callable[[], Awaitable[CachedToken]]
Keep = Callable[[CachedToken], bool]


class TokenCache(Protocol):
    """Where the token of one vendor key lives."""

    async def replace(self, fetch: Fetch, *, keep: Keep) -> CachedToken:
        """The cached token if ``keep`` accepts it, else a fetched one (one fetch for all)."""
        ...


class LocalTokenCache:
    """The token in this process; concurrent callers share one fetch."""

    def __init__(self) -> None:
        self._token: CachedToken | None = None
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"LocalTokenCache(cached={self._token is not None})"

    async def replace(self, fetch: Fetch, *, keep: Keep) -> CachedToken:
        async with self._lock:
            if self._token is not None and keep(self._token):
                return self._token
            self._token = await fetch()
            return self._token
