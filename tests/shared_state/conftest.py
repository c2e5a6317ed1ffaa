"""A redis-server for the shared-state tests, and both kinds of state to run them on."""

from __future__ import annotations

from tests.redis_server import redis_server, redis_url
from tests.shared_state.lock_clients import clients

__all__ = ["clients", "redis_server", "redis_url"]
