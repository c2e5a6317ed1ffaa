"""State that every gateway process must agree on: in this process, or in one Redis.

One gateway process keeps everything in memory. Several processes (workers, replicas
behind a load balancer) share it through Redis when ``CARTGATE_REDIS_URL`` is set:

- ``tokens``       an OAuth token cache with one refresh across processes
- ``locks``        per-key write locks with expiry and fencing numbers
- ``idempotency``  the first answer to each ``Idempotency-Key``
- ``cache``        catalog facts (a SKU's variant) with a time to live

Each module holds the contract and its in-process implementation; ``redis_*`` modules
hold the Redis ones, and ``state`` picks one set for a process.
"""
