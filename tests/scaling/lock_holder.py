"""Takes one Elastic Path cart's Redis lock as a gateway process would, says so, and
holds it until it is killed: the stand-in for a process that dies mid-write.

    python -m tests.scaling.lock_holder REDIS_URL ELASTICPATH_API_URL CART_ID TTL
"""

from __future__ import annotations

import asyncio
import sys

from adapters.shared_state.state import RedisState, namespace
from sandboxes.elasticpath import SANDBOX_CLIENT_ID


async def hold(redis_url: str, api_url: str, cart_id: str, ttl: float) -> None:
    state = RedisState(url=redis_url, lock_ttl=ttl, lock_wait=ttl)
    # The same namespace as ElasticPathBackend's: the store's address and client id.
    locks = state.locks(namespace("elasticpath", api_url.rstrip("/"), SANDBOX_CLIENT_ID))
    async with locks.hold(cart_id) as lease:
        print(f"held {lease.fence}", flush=True)
        await asyncio.sleep(3600)


if __name__ == "__main__":
    redis_url, api_url, cart_id, ttl = sys.argv[1:5]
    asyncio.run(hold(redis_url, api_url, cart_id, float(ttl)))
