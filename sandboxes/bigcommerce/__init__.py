"""A faithful in-memory simulator of BigCommerce's Carts v3 REST API, for tests and demos."""

from .app import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH, create_sandbox_app

__all__ = ["SANDBOX_ACCESS_TOKEN", "SANDBOX_STORE_HASH", "create_sandbox_app"]
