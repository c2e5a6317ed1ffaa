"""What a write without ``expected_version`` promises, on every vendor.

Such a write is applied to the cart as it is when it lands (last writer wins per line,
code or field); a version the gateway chained itself never makes it answer
``VersionConflict``, which only a caller who named a version can act on. A vendor whose
multi-call changes chain their own versions (BigCommerce) can meet a 409 the caller never
asked for when another write lands between two calls: the whole change is then planned
again from a fresh read and retried, a bounded number of times, with jittered backoff;
when the cart keeps changing past that, ``ServiceUnavailable`` (never a conflict the
caller cannot act on).
"""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

from adapters.errors import ServiceUnavailable, VersionConflict

ATTEMPTS = 8
# Full jitter, doubling from 10 ms up to 320 ms: racing writers spread out instead of
# meeting again; the eight attempts wait about 1.3 s at most.
BACKOFF = 0.005
BACKOFF_CAP = 0.32
_P = ParamSpec("_P")
_T = TypeVar("_T")
_Self = TypeVar("_Self")


def retried_when_unversioned(
    method: Callable[Concatenate[_Self, _P], Coroutine[Any, Any, _T]],
) -> Callable[Concatenate[_Self, _P], Coroutine[Any, Any, _T]]:
    """Retry a write whose caller sent no ``expected_version`` when the vendor refuses a
    version the write chained itself; a caller's own version is never retried.
    """

    @functools.wraps(method)
    async def write(self: _Self, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        if kwargs.get("expected_version") is not None:
            return await method(self, *args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await method(self, *args, **kwargs)
            except VersionConflict as error:
                if attempt == ATTEMPTS:
                    raise ServiceUnavailable(
                        "the cart kept changing while this write was applied; try again"
                    ) from error
            await asyncio.sleep(random.uniform(0, min(BACKOFF_CAP, BACKOFF * 2**attempt)))
        raise AssertionError("unreachable")

    return write
