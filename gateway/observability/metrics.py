"""The gateway's Prometheus metrics, in a registry each app owns (several apps in one test
process never collide). ``GET /metrics`` serves them.

Every label has a bounded set of values: operations are named by their root fields
(``gateway/observability/operation_labels.py``), vendor endpoints by templates
(``adapters/observer.py``),
statuses are HTTP codes or one of a few failure kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sized
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from adapters.observer import BackendCall

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Seconds: fast cached reads at the bottom, a backend timeout (10 s) and the read retry
# deadline (20 s) at the top, so timeouts land in their own buckets.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                   10.0, 20.0, 30.0)
ROUTES = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})


class Metrics:
    """Counters and histograms of one gateway app."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.operations = Counter(
            "cartgate_graphql_operations", "GraphQL operations by root fields and outcome",
            ["operation", "type", "outcome"], registry=registry)
        self.operation_seconds = Histogram(
            "cartgate_graphql_operation_duration_seconds", "Time to execute one operation",
            ["operation", "type"], buckets=LATENCY_BUCKETS, registry=registry)
        self.error_codes = Counter(
            "cartgate_graphql_error_codes",
            "Contract error codes answered: userErrors and GraphQL errors' extensions.code",
            ["operation", "code"], registry=registry)
        self.backend_requests = Counter(
            "cartgate_backend_requests",
            "HTTP exchanges with a vendor, by endpoint template and status or failure kind",
            ["vendor", "method", "endpoint", "status"], registry=registry)
        self.backend_seconds = Histogram(
            "cartgate_backend_request_duration_seconds", "Time of one exchange with a vendor",
            ["vendor", "method", "endpoint"], buckets=LATENCY_BUCKETS, registry=registry)
        self.idempotency = Counter(
            "cartgate_idempotency_requests",
            "Mutations sent with an Idempotency-Key, by what became of them",
            ["outcome"], registry=registry)
        self.http_responses = Counter(
            "cartgate_http_responses", "HTTP responses by route and status",
            ["route", "status"], registry=registry)
        # Labelled children by label values: labels() validates and locks on every call,
        # a dict lookup does not. The label sets are bounded, so are these.
        self._backend_children: dict[tuple[Any, ...], tuple[Any, Any]] = {}
        self._operation_children: dict[tuple[str, str, str], tuple[Any, Any]] = {}
        self._response_counters: dict[tuple[str, int], Any] = {}

    def backend_call(self, vendor: str, call: BackendCall) -> None:
        """Count one vendor exchange."""
        key = (vendor, call.method, call.endpoint, call.status, call.error)
        children = self._backend_children.get(key)
        if children is None:
            status = str(call.status) if call.status is not None else (call.error or "error")
            children = (self.backend_requests.labels(vendor, call.method, call.endpoint, status),
                        self.backend_seconds.labels(vendor, call.method, call.endpoint))
            self._backend_children[key] = children
        children[0].inc()
        children[1].observe(call.seconds)

    def operation(self, name: str, kind: str, outcome: str, seconds: float) -> None:
        """Count and time one operation."""
        key = (name, kind, outcome)
        children = self._operation_children.get(key)
        if children is None:
            children = (self.operations.labels(name, kind, outcome),
                        self.operation_seconds.labels(name, kind))
            self._operation_children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def watch_cart_reads(self, counts: Callable[[], Mapping[str, tuple[int, int]]]) -> None:
        """Export each vendor's reused and built cart reads, read from ``counts`` at scrape
        time: the read path itself counts nothing for this.
        """
        self.registry.register(_CartReads(counts))

    def watch_compiled(self, cache: Sized, served: Callable[[], int]) -> None:
        """Export how many operations were served compiled, and how many documents the
        compiled-operation cache holds, read at scrape time.
        """
        self.registry.register(_Compiled(cache, served))

    def http_response(self, path: str, status: int) -> None:
        """Count one HTTP response; paths outside the gateway's routes share one label."""
        key = (path if path in ROUTES else "other", status)
        counter = self._response_counters.get(key)
        if counter is None:
            counter = self.http_responses.labels(key[0], str(status))
            self._response_counters[key] = counter
        counter.inc()

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes."""
        return generate_latest(self.registry)


class _CartReads(Collector):
    """Cart reads by vendor: ``reused`` when the vendor answered with bytes seen before,
    so the cart built from them served again (``adapters/answer_memo.py``), else ``built``.
    """

    def __init__(self, counts: Callable[[], Mapping[str, tuple[int, int]]]) -> None:
        self._counts = counts

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily(
            "cartgate_cart_read_answers",
            "Cart reads by vendor: answer seen before and its cart reused, or cart built",
            labels=["vendor", "outcome"])
        for vendor, (reused, built) in sorted(self._counts().items()):
            family.add_metric([vendor, "reused"], reused)
            family.add_metric([vendor, "built"], built)
        yield family


class _Compiled(Collector):
    """Operations served by the compiled fast path (``gateway/graphql/fastpath/compiled.py``)."""

    def __init__(self, cache: Sized, served: Callable[[], int]) -> None:
        self._cache = cache
        self._served = served

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        yield CounterMetricFamily(
            "cartgate_compiled_operations_served",
            "Operations served compiled: no parsing, validation or graphql-core executor",
            value=self._served())
        yield GaugeMetricFamily(
            "cartgate_compiled_documents", "Documents the compiled-operation cache holds",
            value=len(self._cache))
