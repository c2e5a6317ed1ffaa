"""What a vendor wrote in an error, kept for the logs only: truncated, secrets redacted.

A vendor's error title or detail is not the gateway's to show: it may echo a credential
(a BigCommerce 422 once carried the store's token) or run to half a megabyte. The
storefront gets the gateway's own message; the vendor's words go to the log through
``logged``, cut at ``MAX_CHARS`` and with every credential the adapters registered here
(``register``) replaced by ``[redacted]``.
"""

from __future__ import annotations

import logging
from collections import deque

MAX_CHARS = 300
REDACTED = "[redacted]"
# The credentials and recent access tokens of this process; a few dozen at most.
_SECRETS: deque[str] = deque(maxlen=64)
log = logging.getLogger("cartgate")


def register(secret: str) -> None:
    """A credential that must never appear in a log line written from vendor text."""
    if len(secret) >= 6 and secret not in _SECRETS:
        _SECRETS.append(secret)


def scrubbed(text: str) -> str:
    """``text`` with every registered secret redacted, then cut to ``MAX_CHARS``."""
    # Cut first (with room for a secret that straddles the cut), so a huge text costs
    # little; then redact, then cut again.
    longest = max((len(s) for s in _SECRETS), default=0)
    text = text[: MAX_CHARS + longest]
    for secret in _SECRETS:
        text = text.replace(secret, REDACTED)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + "…"


def logged(vendor: str, status: int, text: str) -> None:
    """Log what the vendor said about a refusal, scrubbed."""
    log.info("%s answered %d: %s", vendor, status, scrubbed(text))
