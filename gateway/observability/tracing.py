"""OpenTelemetry spans, when ``CARTGATE_OTEL_ENABLED``: ``graphql.operation`` for each
operation and a ``backend.call`` child for each vendor exchange.

Each app has its own tracer provider (never the global one), so apps in one process
keep their spans apart. Spans go to OTLP over HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT``
is set; otherwise to no exporter until one is added with ``add_exporter`` (tests use
the SDK's in-memory exporter; any ``SpanExporter`` fits there).
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from adapters.observer import BackendCall

# Only W3C trace context: the gateway continues a storefront's trace, whatever
# propagators the process's global OpenTelemetry configuration names.
_TRACE_CONTEXT = TraceContextTextMapPropagator()


class Tracing:
    """The tracer of one app and where its spans go."""

    def __init__(self, *, service_name: str, otlp_endpoint: str | None = None) -> None:
        self.provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        if otlp_endpoint:
            # Imported only when used: the exporter brings protobuf along.
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            endpoint = otlp_endpoint.rstrip("/") + "/v1/traces"
            self.provider.add_span_processor(
                BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        self.tracer = self.provider.get_tracer("cartgate")

    def add_exporter(self, exporter: SpanExporter) -> None:
        """Send every span to ``exporter`` as it ends (tests, or a custom backend)."""
        self.provider.add_span_processor(SimpleSpanProcessor(exporter))

    def start_operation(self, headers: Mapping[str, str] | None = None) -> trace.Span:
        """The ``graphql.operation`` span; its name and outcome are set when it ends.

        A W3C ``traceparent`` (and ``tracestate``) in the request's ``headers`` makes it a
        child of the storefront's span, in the storefront's trace; a missing or malformed
        one starts a new trace.
        """
        parent = _TRACE_CONTEXT.extract(headers) if headers is not None else None
        return self.tracer.start_span("graphql.operation", context=parent,
                                      kind=SpanKind.SERVER)

    def backend_call(self, vendor: str, call: BackendCall) -> None:
        """A ``backend.call`` span for an exchange that just ended, under the current span."""
        # Recorded after the fact with its real start: the adapters hold no span open.
        end = time.time_ns()
        span = self.tracer.start_span(
            "backend.call", kind=SpanKind.CLIENT, start_time=end - int(call.seconds * 1e9),
            attributes={
                "cartgate.vendor": vendor,
                "http.request.method": call.method,
                "url.template": call.endpoint,
            },
        )
        if call.status is not None:
            span.set_attribute("http.response.status_code", call.status)
            if call.status >= 500:
                span.set_status(trace.StatusCode.ERROR)
        else:
            span.set_attribute("error.type", call.error or "error")
            span.set_status(trace.StatusCode.ERROR)
        span.end(end_time=end)

    def shutdown(self) -> None:
        """Flush what is buffered and stop exporting."""
        self.provider.shutdown()
