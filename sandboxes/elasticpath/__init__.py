"""A simulator of Elastic Path Commerce Cloud's v2 carts API, served by Starlette."""

from .app import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_SHIPPING_RATES,
    create_sandbox_app,
)

__all__ = ["SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "SANDBOX_SHIPPING_RATES",
           "create_sandbox_app"]
