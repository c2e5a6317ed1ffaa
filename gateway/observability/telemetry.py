"""Metrics and, when enabled, traces of one app: what the view, the middlewares and the
backends' observers report to. Built once in ``create_app``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from contextvars import Token
from dataclasses import dataclass

from graphql import GraphQLSchema
from opentelemetry import context as otel_context
from opentelemetry import trace
from strawberry.types import ExecutionResult

from adapters.model import Backend
from adapters.observer import BackendCall, BackendObserver
from gateway.access.rate_limits import vendor_call_made
from gateway.observability.metrics import Metrics
from gateway.observability.operation_labels import (
    OperationLabels,
    bounded_code,
    outcome,
    unwatch_error_codes,
    watch_error_codes,
)
from gateway.observability.tracing import Tracing


class Telemetry:
    """Where one app's operations and vendor calls are counted, timed and traced."""

    def __init__(self, *, schema: GraphQLSchema, tracing: Tracing | None = None) -> None:
        self.metrics = Metrics()
        self.tracing = tracing
        self._labels = OperationLabels(schema)

    def backend_observer(self, backend: Backend) -> BackendObserver:
        """The observer handed to one vendor's clients."""
        metrics, tracing, vendor = self.metrics, self.tracing, backend.value

        def observe(call: BackendCall) -> None:
            vendor_call_made()
            metrics.backend_call(vendor, call)
            if tracing is not None:
                tracing.backend_call(vendor, call)

        return observe

    def start_operation(self, query: str | None, operation_name: str | None,
                        headers: Mapping[str, str] | None = None) -> OperationRun:
        """Start timing (and tracing) one operation; ``finish`` it exactly once.
        ``headers``: the request's, which may carry the caller's trace context.
        """
        name, kind = self._labels.label(query, operation_name)
        codes, codes_token = watch_error_codes()
        run = OperationRun(self, name, kind, codes, codes_token, time.perf_counter())
        if self.tracing is not None:
            span = self.tracing.start_operation(headers)
            span.set_attribute("graphql.operation.name", name)
            span.set_attribute("graphql.operation.type", kind)
            run.span = span
            # Current while the operation runs, so each backend.call span is its child.
            run.span_token = otel_context.attach(trace.set_span_in_context(span))
        return run

    def idempotency(self, outcome: str) -> None:
        """Count one ``Idempotency-Key`` request by what became of it."""
        self.metrics.idempotency.labels(outcome).inc()


@dataclass
class OperationRun:
    """One operation being executed."""

    telemetry: Telemetry
    name: str
    kind: str
    codes: list[str]
    codes_token: Token[list[str] | None]
    started: float
    span: trace.Span | None = None
    span_token: Token[otel_context.Context] | None = None

    def finish(self, result: ExecutionResult | None, *, request_error: bool = False) -> None:
        """Record how it ended: ``result`` None means it raised."""
        seconds = time.perf_counter() - self.started
        unwatch_error_codes(self.codes_token)
        if request_error:
            ended = "request_error"
        elif result is None:
            ended = "unexpected"
        else:
            ended = outcome(result, self.codes)
        metrics = self.telemetry.metrics
        metrics.operation(self.name, self.kind, ended, seconds)
        for code in self.codes:
            metrics.error_codes.labels(self.name, bounded_code(code)).inc()
        if self.span is not None:
            self.span.set_attribute("cartgate.outcome", ended)
            if ended == "unexpected":
                self.span.set_status(trace.StatusCode.ERROR)
            if self.span_token is not None:
                otel_context.detach(self.span_token)
            self.span.end()
