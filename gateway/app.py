"""create_app(settings) -> Starlette: the composition root. The lifespan owns the
backend clients and any sandbox servers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from adapters.errors import CartgateError
from adapters.model import Backend
from adapters.registry import VENDORS, with_sandbox
from adapters.shared_state.state import connect
from gateway.access.callers import Callers, ClientAddresses, ServerTokens
from gateway.access.customer_tokens import CustomerTokens
from gateway.access.rate_limits import CallLimits
from gateway.access.trusted_documents import TrustedDocuments, TrustedDocumentsOnly
from gateway.backends import build_backends
from gateway.collector import tune_for_serving
from gateway.graphql.context import GatewayContext
from gateway.graphql.fastpath.caches import FastPath
from gateway.graphql.schema import READY_TIMEOUT, build_schema
from gateway.http.body_limit import BodyLimit
from gateway.http.compare_page import compare_page
from gateway.http.direct_route import DirectRoute
from gateway.http.idempotency import Idempotency
from gateway.http.request_ids import RequestIds
from gateway.http.static_assets import serve_asset
from gateway.http.view import GatewayGraphQL
from gateway.observability.logs import configure_logging
from gateway.observability.metrics import CONTENT_TYPE
from gateway.observability.telemetry import Telemetry
from gateway.observability.tracing import Tracing
from gateway.settings import Settings
from sandboxes.loopback import LoopbackServer, sandbox_app


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    ctx: GatewayContext = request.app.state.gateway

    async def check(backend: Backend) -> str | None:
        try:
            await asyncio.wait_for(ctx.backends[backend].ping(), READY_TIMEOUT)
        except CartgateError as error:
            return error.code.value
        except TimeoutError:
            return "TIMEOUT"
        return None

    async def check_shared() -> str | None:
        try:
            await asyncio.wait_for(request.app.state.shared_state.ping(), READY_TIMEOUT)
        except CartgateError as error:
            return error.code.value
        except TimeoutError:
            return "TIMEOUT"
        return None

    order = list(ctx.backends)
    shared = request.app.state.shared_state.across_processes
    problems = await asyncio.gather(*(check(b) for b in order),
                                    *([check_shared()] if shared else []))
    status = {b.value: (p or "ready") for b, p in zip(order, problems, strict=False)}
    answer: dict[str, object] = {"ready": False, "backends": status}
    if shared:
        # Without its Redis a replica would answer Elastic Path and keyed mutations with
        # SERVICE_UNAVAILABLE: take it out of the load balancer instead.
        answer["redis"] = problems[-1] or "ready"
    ready = bool(order) and not any(problems)
    answer["ready"] = ready
    return JSONResponse(answer, status_code=200 if ready else 503)


async def metrics(request: Request) -> Response:
    telemetry: Telemetry = request.app.state.telemetry
    return Response(telemetry.metrics.exposition(), media_type=CONTENT_TYPE)


# Above the complexity bound: one branch per optional part of the composition root (Redis,
# tracing, CORS, trusted documents, sandboxes).
def create_app(  # noqa: C901
    settings: Settings | None = None,
    *,
    transports: dict[Backend, httpx.AsyncBaseTransport] | None = None,
) -> Starlette:
    """The gateway. ``transports`` replaces the network for a vendor (tests use ASGI)."""
    settings = settings or Settings()
    transports = transports or {}
    # Redis when set, so that every process shares locks, tokens and idempotency records.
    redis_url = settings.redis_url.get_secret_value() if settings.redis_url else None
    shared = connect(redis_url, lock_ttl=settings.lock_ttl, lock_wait=settings.lock_wait)
    limits = CallLimits(buckets=shared.rate_buckets,
                        storefront=settings.storefront_calls_per_second,
                        cart=settings.cart_calls_per_second,
                        server=settings.server_calls_per_second, burst=settings.rate_limit_burst)
    # What the fast path remembers is this app's alone (gateway/graphql/fastpath/README.md).
    fast_path = FastPath(enabled=settings.fast_path)
    schema = build_schema(production=settings.production, limits=limits, fast_path=fast_path)
    secret = settings.customer_token_secret
    customer_tokens = CustomerTokens(
        secret=(secret.get_secret_value() or None) if secret else None,
        audience=settings.customer_token_audience, issuer=settings.customer_token_issuer)
    tracing = None
    if settings.otel_enabled:
        tracing = Tracing(service_name=settings.otel_service_name,
                          otlp_endpoint=settings.otel_exporter_otlp_endpoint)
    telemetry = Telemetry(schema=schema._schema, tracing=tracing)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        servers: list[LoopbackServer] = []
        sandbox_urls: dict[Backend, str] = {}
        for entry in with_sandbox():
            backend = entry.backend
            if not settings.uses_sandbox(backend):
                continue
            if backend in transports:
                sandbox_urls[backend] = f"http://{backend.value}.sandbox"
            elif url := settings.sandbox_url(backend):
                sandbox_urls[backend] = url
            else:
                server = LoopbackServer(sandbox_app(backend)).start()
                servers.append(server)
                sandbox_urls[backend] = server.url
        backends = build_backends(
            settings, sandbox_urls=sandbox_urls, transports=transports, shared=shared,
            observers={backend: telemetry.backend_observer(backend) for backend in VENDORS},
        )
        fast_path.hand_answer_memos(backends)
        default = settings.default_backend
        if default not in backends and backends:
            default = next(iter(backends))
        app.state.gateway = GatewayContext(
            backends=backends, default_backend=default, default_locale=settings.default_locale,
            line_sets=fast_path.line_sets, customer_tokens=customer_tokens,
        )
        try:
            yield
        finally:
            for cart_backend in backends.values():
                await cart_backend.aclose()
            await shared.aclose()
            for server in servers:
                server.stop()
            if tracing is not None:
                tracing.shutdown()

    graphql = GatewayGraphQL(
        schema,
        graphql_ide=None if settings.production else "graphiql",
        production=settings.production,
        telemetry=telemetry,
        limits=limits,
    )
    # Outermost first: every answer has a request id and an access log line, and an
    # oversized body is refused before anything else reads it.
    middleware = [Middleware(RequestIds, metrics=telemetry.metrics),
                  Middleware(BodyLimit, timeout=settings.client_body_timeout)]
    if settings.cors_origins:
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
            allow_headers=["content-type", "accept", "idempotency-key", "x-request-id",
                           "traceparent", "tracestate"],
            expose_headers=["idempotent-replayed", "x-request-id"], max_age=600,
        ))
    # The caller first, then which documents it may run, then idempotency records.
    graphql_endpoint: ASGIApp = Idempotency(
        graphql, store=shared.idempotency, ttl=settings.idempotency_ttl,
        wait=settings.lock_ttl, on_outcome=telemetry.idempotency)
    if settings.trusted_documents:
        graphql_endpoint = TrustedDocumentsOnly(
            graphql_endpoint, documents=TrustedDocuments.load(settings.trusted_documents))
    graphql_route = Route("/graphql", Callers(
        graphql_endpoint,
        tokens=ServerTokens(settings.server_token_list),
        everyone_trusted=settings.everyone_trusted,
        addresses=ClientAddresses(settings.trusted_proxies),
    ), methods=["GET", "POST"])
    # Innermost: the storefronts' POSTs skip starlette's router (gateway/http/direct_route.py).
    middleware.append(Middleware(DirectRoute, route=graphql_route, methods=["POST"]))
    app = Starlette(
        routes=[
            graphql_route,
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            # GraphiQL's assets and the /compare page exist in development only.
            *([] if settings.production else [
                Route("/assets/{digest}/{name}", serve_asset, methods=["GET", "HEAD"]),
                Route("/compare", compare_page, methods=["GET", "HEAD"]),
            ]),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.schema = graphql.schema
    app.state.shared_state = shared
    app.state.fast_path = fast_path
    telemetry.metrics.watch_cart_reads(fast_path.answer_counts)
    compiled = fast_path.compiled
    telemetry.metrics.watch_compiled(compiled, lambda: compiled.hits)
    app.state.telemetry = telemetry
    return app


def create_app_from_env() -> Starlette:
    """Factory for uvicorn workers: settings come from the environment."""
    settings = Settings()
    # Each worker process configures its own logging, once, before it serves.
    configure_logging(format=settings.effective_log_format, level=settings.log_level)
    app = create_app(settings)
    tune_for_serving()
    return app
