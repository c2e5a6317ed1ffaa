"""Customer access tokens: how a storefront binds a signed-in customer to a cart.

The storefront's own login issues a JWT signed with ``CARTGATE_CUSTOMER_TOKEN_SECRET``
(HS256; ``sub`` = the backend's customer id; ``exp`` required; ``aud`` and ``iss``
checked when configured). PyJWT verifies it; only HS256 is accepted, so ``alg: none``
and every other algorithm are refused. A token that is not a JWT at all is ``INVALID``;
one that is expired, forged, for another audience or issuer, or unverifiable because no
secret is configured, is ``ACCESS_DENIED``. Tokens are never logged or echoed.
"""

from __future__ import annotations

import jwt

from adapters.errors import AccessDenied, InvalidInput
from adapters.secrets import Secret
from gateway.graphql.limits.input_limits import MAX_ID_LENGTH, Path

ALGORITHM = "HS256"
# Clocks of the storefront's login and the gateway may differ a little; tokens are short.
LEEWAY_SECONDS = 30
# A customer token is a few hundred characters; anything far longer is not one.
MAX_TOKEN_LENGTH = 4096
# RFC 7518 3.2: an HS256 key at least as long as the hash; shorter ones are guessable.
MIN_SECRET_BYTES = 32


class CustomerTokens:
    """Verifies customer tokens with the configured secret, audience and issuer."""

    def __init__(self, *, secret: str | None, audience: str | None = None,
                 issuer: str | None = None) -> None:
        if secret is not None and len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"CARTGATE_CUSTOMER_TOKEN_SECRET must be at least "
                             f"{MIN_SECRET_BYTES} bytes (HS256)")
        self._secret = Secret(secret) if secret else None
        self._audience = audience
        self._issuer = issuer

    def __repr__(self) -> str:
        return f"CustomerTokens(configured={self._secret is not None})"

    def customer_id(self, token: str, field: Path) -> str:
        """The customer the token names, or AccessDenied / InvalidInput; never the token."""
        if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
            raise InvalidInput("not a customer access token (a JWT)", field=field)
        if self._secret is None:
            raise AccessDenied("this gateway accepts no customer access tokens", field=field)
        try:
            claims = jwt.decode(
                token, self._secret.reveal(), algorithms=[ALGORITHM],
                audience=self._audience, issuer=self._issuer, leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "sub"], "verify_aud": self._audience is not None,
                         "enforce_minimum_key_length": True},
            )
        except jwt.InvalidSignatureError:
            raise AccessDenied("the customer access token's signature is not valid",
                               field=field) from None
        except jwt.ExpiredSignatureError:
            raise AccessDenied("the customer access token has expired", field=field) from None
        except jwt.InvalidAlgorithmError:
            raise AccessDenied(f"customer access tokens must be signed with {ALGORITHM}",
                               field=field) from None
        except jwt.DecodeError:
            raise InvalidInput("not a customer access token (a JWT)", field=field) from None
        except jwt.InvalidTokenError as error:
            # Wrong audience or issuer, a missing claim, not yet valid: said plainly.
            raise AccessDenied(f"the customer access token was refused: {error}",
                               field=field) from None
        customer = claims.get("sub")
        if not isinstance(customer, str) or not 0 < len(customer) <= MAX_ID_LENGTH:
            raise AccessDenied("the customer access token names no customer (sub)",
                               field=field)
        return customer
