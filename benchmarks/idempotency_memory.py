"""Memory kept by in-process idempotency records (no Redis), for many unique keys.

    .venv/bin/python -m benchmarks.idempotency_memory [--keys 15000]

Posts a mutation the gateway refuses before any vendor call (an id of no known vendor),
each time with a new ``Idempotency-Key``, through the gateway app in process, and prints
the records kept, the bytes they are counted as, and the memory tracemalloc sees held by
them once the requests are done.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import tracemalloc

import httpx

from gateway.app import create_app
from gateway.settings import Settings

MUTATION = json.dumps({"query": 'mutation { cartLinesAdd(cartId: "gid://nowhere/Cart/1", '
                                'lines: [{sku: "MUG-ORBIT"}]) { userErrors { code } } }'})


async def main(keys: int) -> None:
    app = create_app(Settings(_env_file=None))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            await http.post("/graphql", content=MUTATION,
                            headers={"content-type": "application/json",
                                     "idempotency-key": "warm-up"})
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            for n in range(keys):
                answer = await http.post("/graphql", content=MUTATION, headers={
                    "content-type": "application/json", "idempotency-key": f"key-{n}"})
                assert answer.status_code == 200
            gc.collect()
            held = tracemalloc.get_traced_memory()[0] - before
            tracemalloc.stop()
            shared_state = getattr(app.state, "shared_state", None)
            store = shared_state.idempotency if shared_state is not None else None
            kept = len(store) if store is not None and hasattr(store, "__len__") else "?"
            counted = getattr(store, "bytes", "?")
            print(f"keys posted {keys}; records kept {kept}; bytes counted {counted}; "
                  f"memory held {held / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=15_000)
    asyncio.run(main(parser.parse_args().keys))
