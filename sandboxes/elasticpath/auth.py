"""`client_credentials` and `implicit` bearer tokens that expire after a fixed time."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any


class TokenError(Exception):
    """A token request refused; `status` is sent as a string, as authentication.yaml has it."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.title = title
        self.detail = detail

    def body(self) -> dict[str, Any]:
        """The error envelope."""
        return {"errors": [{"status": str(self.status), "title": self.title,
                            "detail": self.detail}]}


class TokenIssuer:
    """Issues access tokens for one application key and checks them on each request."""

    def __init__(
        self, *, client_id: str, client_secret: str, ttl: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._ttl = ttl
        self._clock = clock
        self._expiry: dict[str, datetime] = {}

    def issue(self, form: dict[str, str]) -> dict[str, Any]:
        """Answer `POST /oauth/access_token`; the response is not wrapped in `data`."""
        grant_type = form.get("grant_type", "")
        if grant_type not in ("client_credentials", "implicit"):
            raise TokenError(400, "Bad Request",
                             "grant_type must be client_credentials or implicit")
        if not form.get("client_id"):
            raise TokenError(400, "Bad Request", "client_id is required")
        if form["client_id"] != self._client_id:
            raise TokenError(401, "Unauthorized", "Invalid client_id")
        if grant_type == "client_credentials" and not secrets.compare_digest(
            form.get("client_secret", ""), self._client_secret
        ):
            raise TokenError(401, "Unauthorized", "Invalid client_secret")
        now = self._clock()
        expires = now + self._ttl
        token = secrets.token_hex(20)
        self._drop_expired(now)
        self._expiry[token] = expires
        return {
            "access_token": token,
            "expires": int(expires.timestamp()),
            "expires_in": int(self._ttl.total_seconds()),
            "identifier": grant_type,
            "token_type": "Bearer",
        }

    def is_valid(self, authorization: str | None) -> bool:
        """Whether an `Authorization` header carries a live token of ours."""
        if not authorization:
            return False
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        expires = self._expiry.get(token.strip())
        return expires is not None and self._clock() < expires

    def _drop_expired(self, now: datetime) -> None:
        for token, expires in list(self._expiry.items()):
            if now >= expires:
                del self._expiry[token]
