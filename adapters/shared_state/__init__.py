"""State that every gateway process must agree on: in this process, or in one Redis.

One gateway process keeps everything in memory. Several processes (workers, replicas
behind a load balancer) share it through Redis when ``CARTGATE_REDIS_URL`` is set:

- ``tokens``       an OAuth token cache with one refresh across processes
- ``locks``        per-key write locks with expiry and fencing numbers
- ``idempotency``  the first answer to each ``Idempotency-Key``
- ``json_cache``   JSON values with a time to live: the catalog cache (a SKU's variant,
                   a product's facts; a failure is a miss) and the records that are the
                   only copy (BigCommerce's held carts; a failure is an error)

Each module holds the contract and its in-process implementation; ``redis_*`` modules
hold the Redis ones, and ``state`` picks one set for a process.
"""
