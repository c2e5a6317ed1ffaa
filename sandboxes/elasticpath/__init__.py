"""A simulator of Elastic Path Commerce Cloud's v2 carts API, served by Starlette."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from starlette.applications import Starlette

from sandboxes.faults import ELASTICPATH_ERRORS, with_faults

from .app import build_app

SANDBOX_CLIENT_ID = "sandbox-client"
SANDBOX_CLIENT_SECRET = "sandbox-secret"
# The rate table a gateway uses for the sandbox when the operator names none: Elastic
# Path quotes no shipping itself (adapters/elasticpath/rates.py).
SANDBOX_SHIPPING_RATES = Path(__file__).with_name("shipping_rates.json")

__all__ = ["SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "SANDBOX_SHIPPING_RATES",
           "create_sandbox_app"]


def create_sandbox_app(
    *,
    client_id: str = SANDBOX_CLIENT_ID,
    client_secret: str = SANDBOX_CLIENT_SECRET,
    token_ttl: timedelta = timedelta(hours=1),
    clock: Callable[[], datetime] | None = None,
) -> Starlette:
    """A fresh sandbox store with the seed catalog, its own carts and its own tokens."""
    app = build_app(
        client_id=client_id, client_secret=client_secret, token_ttl=token_ttl, clock=clock
    )
    return with_faults(app, ELASTICPATH_ERRORS)
