"""Python's cyclic garbage collector, set for a serving process.

With the default threshold (700 net new containers) a young collection started every 10
to 40 requests, in the middle of one: building a cart's answer holds more than 700 live
objects at once, every one still reachable, so each collection walked them for nothing
(and what had survived before). `benchmarks/gc_cost.py` measured collecting at 0.4-3% of
the CPU of reads and adds on a quiet machine, and up to 10% on a loaded one; with these
settings, no collection at all in 1,500 requests. Almost everything a request builds is
freed by reference counting; the threshold still bounds cyclic garbage. What is built
before serving (the schema, compiled types, locale data, modules) lives as long as the
process, so it is moved out of the collector's sight once.
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
