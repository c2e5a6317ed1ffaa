"""Redis failures, translated once into the adapters' errors (nothing above sees redis-py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import RedisError

from adapters.errors import ServiceUnavailable


@contextmanager
def redis_errors() -> Iterator[None]:
    """Raise ServiceUnavailable for any Redis failure; the URL is never named."""
    try:
        yield
    except RedisError as exc:
        raise ServiceUnavailable(
            f"the gateway's shared state (Redis) failed: {type(exc).__name__}"
        ) from exc
