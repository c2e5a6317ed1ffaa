"""Who is calling: a trusted server caller or a storefront caller, decided once per request.

A request with ``Authorization: Bearer <token>`` whose token is one of
``CARTGATE_SERVER_TOKENS`` is a trusted server caller; every other request is a
storefront caller. A bearer token that matches none is refused here with 401, before
anything else runs (no GraphQL execution, no idempotency record), so a mistyped server
token never quietly becomes a storefront. In development with no tokens configured every
caller is trusted; in production with none, nobody is.

The caller, with its client address, is put in the ASGI scope under ``SCOPE_KEY``; the
GraphQL view hands it to the operation's context.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from starlette.types import ASGIApp, Receive, Scope, Send

from adapters.secrets import Secret

SCOPE_KEY = "cartgate.caller"
AUTHORIZATION = b"authorization"
FORWARDED_FOR = b"x-forwarded-for"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class CallerKind(Enum):
    """What a caller may do."""

    TRUSTED = "trusted"
    STOREFRONT = "storefront"


@dataclass(frozen=True, slots=True)
class Caller:
    """The caller of one request: its kind and the client address it is limited by."""

    kind: CallerKind
    address: str

    @property
    def trusted(self) -> bool:
        return self.kind is CallerKind.TRUSTED


# What in-process callers (the `cartgate compare` command, tests calling the schema
# directly) are: they hold the process, so they hold every credential anyway.
IN_PROCESS = Caller(CallerKind.TRUSTED, "in-process")


class ServerTokens:
    """The configured server tokens; compared in constant time, every one of them."""

    __slots__ = ("_tokens",)

    def __init__(self, tokens: Iterable[str]) -> None:
        self._tokens = tuple(Secret(token) for token in tokens)

    def __repr__(self) -> str:
        return f"ServerTokens(count={len(self._tokens)})"

    def __bool__(self) -> bool:
        return bool(self._tokens)

    def match(self, presented: str) -> bool:
        """Whether the token is one of ours; no early exit tells which one or how close."""
        # Digests first: equal lengths, so not even the token's length leaks.
        given = hashlib.sha256(presented.encode()).digest()
        found = False
        for token in self._tokens:
            found |= hmac.compare_digest(given, hashlib.sha256(token.reveal().encode()).digest())
        return found


def _networks(values: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


class ClientAddresses:
    """The client's address: the socket peer, or what a trusted proxy says it forwarded."""

    def __init__(self, trusted_proxies: Iterable[str] = ()) -> None:
        self._proxies = _networks(trusted_proxies)

    def _is_proxy(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._proxies)

    def of(self, scope: Scope) -> str:
        client = scope.get("client")
        peer = str(client[0]) if client else "unknown"
        if not self._proxies or not self._is_proxy(peer):
            return peer
        hops = [value for name, value in scope["headers"] if name == FORWARDED_FOR]
        chain = [hop.strip() for value in hops for hop in value.decode("latin-1").split(",")]
        # Right to left: the first address our own proxies did not add is the client's.
        for hop in reversed(chain):
            if not self._is_proxy(hop):
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    return peer  # a forged or garbled header: fall back to the proxy
        return peer


class Callers:
    """ASGI middleware in front of /graphql: decides the caller, or refuses a bad token."""

    def __init__(self, app: ASGIApp, *, tokens: ServerTokens, everyone_trusted: bool,
                 addresses: ClientAddresses) -> None:
        self.app = app
        self.tokens = tokens
        self.everyone_trusted = everyone_trusted
        self.addresses = addresses

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        address = self.addresses.of(scope)
        bearer = _bearer(scope)
        if self.everyone_trusted:
            kind = CallerKind.TRUSTED
        elif bearer is None:
            kind = CallerKind.STOREFRONT
        elif self.tokens.match(bearer):
            kind = CallerKind.TRUSTED
        else:
            await _unauthorized(send)
            return
        scope[SCOPE_KEY] = Caller(kind, address)
        await self.app(scope, receive, send)


def _bearer(scope: Scope) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    for name, value in headers:
        if name == AUTHORIZATION:
            scheme, _, token = value.decode("latin-1").strip().partition(" ")
            if scheme.lower() == "bearer":
                return token.strip()
    return None


async def _unauthorized(send: Send) -> None:
    body = json.dumps({"errors": [{
        "message": "the bearer token is not one of the gateway's server tokens",
        "extensions": {"code": "UNAUTHENTICATED"},
    }]}).encode()
    await send({"type": "http.response.start", "status": 401, "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"www-authenticate", b'Bearer error="invalid_token"'),
    ]})
    await send({"type": "http.response.body", "body": body})
