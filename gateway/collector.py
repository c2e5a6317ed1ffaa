"""Python's cyclic garbage collector, set for a serving process.

With the default settings the collector ran about once every 30 requests, and its young
collections cost 5-7% of a `cartLinesAdd`'s CPU (`benchmarks/gc_cost.py`): a request
allocates many short-lived containers, and every collection also walks what survived
the last ones. Almost all of a request's objects are freed by reference counting, so
the collector only needs to run rarely; and what was built before serving (the schema,
the compiled types, locale data, modules) lives as long as the process, so it is moved
out of the collector's sight once.
"""

from __future__ import annotations

import gc

# Net container allocations before a young collection (Python's default: 700). Cyclic
# garbage waits longer for it, so bounded: about 10,000 small objects.
YOUNG_THRESHOLD = 10_000


def tune_for_serving() -> None:
    """Freeze what exists now and collect the young generation less often.

    Called once per worker process, after the app is built and before it serves.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
