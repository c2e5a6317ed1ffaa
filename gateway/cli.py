"""cartgate serve | sandbox | compare | documents build | schema."""

from __future__ import annotations

import argparse
import os
import sys

import uvicorn

from adapters.registry import vendor, with_sandbox
from gateway.http.port_check import listen_problem
from gateway.http.slow_clients import serve_options
from gateway.observability.logs import configure_logging
from gateway.settings import Settings
from sandboxes.loopback import LOOPBACK_KEEP_ALIVE, LoopbackServer, sandbox_app

EXIT_CANNOT_LISTEN = 4


def _serve(args: argparse.Namespace) -> int:
    if problem := listen_problem(args.host, args.port):
        print(problem, file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    settings = Settings()
    configure_logging(format=settings.effective_log_format, level=settings.log_level)
    servers = []
    # Sandboxes start once here, so every worker talks to the same simulated vendor.
    for entry in with_sandbox():
        backend = entry.backend
        if settings.uses_sandbox(backend) and not settings.sandbox_url(backend):
            server = LoopbackServer(sandbox_app(backend)).start()
            servers.append(server)
            os.environ[f"CARTGATE_{backend.value.upper()}_SANDBOX_URL"] = server.url
            print(f"{backend.value} sandbox serving at {server.url}", file=sys.stderr)
    print(f"cartgate: GraphQL at http://{args.host}:{args.port}/graphql", file=sys.stderr)
    if settings.everyone_trusted:
        # Said once, here, not by each worker: development without CARTGATE_SERVER_TOKENS.
        print("cartgate: development without CARTGATE_SERVER_TOKENS: every caller is a trusted "
              "server caller (may set prices and customer ids); set tokens before exposing "
              "the gateway", file=sys.stderr)
    if args.workers > 1 and settings.redis_url is None:
        # Elastic Path cart locks and idempotency records live in each process otherwise.
        print("cartgate: several workers without CARTGATE_REDIS_URL do not share cart locks "
              "or idempotency records; set it to share them", file=sys.stderr)
    try:
        uvicorn.run(
            "gateway.app:create_app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=settings.log_level.lower(),
            **serve_options(settings),
            # Logging is ours (JSON or text, with request ids): uvicorn adds no handlers,
            # and the gateway writes the access log itself, with the request id.
            log_config=None,
            access_log=False,
        )
    finally:
        for server in servers:
            server.stop()
    return 0


def _sandbox(args: argparse.Namespace) -> int:
    entry = vendor(args.vendor)
    backend, port = entry.backend, args.port
    if port is None:
        assert entry.sandbox is not None  # the sub-command offers no other vendor
        port = entry.sandbox.port
    settings = Settings()
    configure_logging(format=settings.effective_log_format, level=settings.log_level,
                      uvicorn_access_log=True)
    print(f"{backend.value} sandbox at http://{args.host}:{port}", file=sys.stderr)
    uvicorn.run(sandbox_app(backend), host=args.host, port=port,
                log_level=settings.log_level.lower(), log_config=None,
                timeout_keep_alive=LOOPBACK_KEEP_ALIVE)
    return 0


def _compare(args: argparse.Namespace) -> int:
    import asyncio

    from gateway.services.compare_cli import (
        BAD_INPUT,
        CompareInputError,
        exit_code,
        load_cart,
        render,
        run_comparison,
        to_json,
    )

    try:
        payload = asyncio.run(run_comparison(load_cart(args.cart), Settings(),
                                             source=args.cart))
    except CompareInputError as error:
        print(f"cartgate compare: {error}", file=sys.stderr)
        return BAD_INPUT
    try:
        print(to_json(payload) if args.json else render(payload), flush=True)
    except BrokenPipeError:
        # A reader that stopped early (`| head`) is not an error of ours. Python would
        # report the pipe again when it flushes stdout at exit, so stdout goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return exit_code(payload)


def _documents(args: argparse.Namespace) -> int:
    import json

    from gateway.access.trusted_documents import build_manifest

    manifest = build_manifest(args.folder)
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
        print(f"cartgate: {len(manifest)} trusted documents written to {args.output}",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from gateway.graphql.schema import build_schema

    sys.stdout.write(build_schema().as_str() + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cartgate", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the GraphQL gateway")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=_serve)

    sandbox = commands.add_parser("sandbox", help="serve one vendor simulator on its own")
    sandbox.add_argument("vendor", choices=[entry.name for entry in with_sandbox()])
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, help="default: the vendor's own (8100)")
    sandbox.set_defaults(run=_sandbox)

    compare = commands.add_parser(
        "compare", help="price one cart on every vendor",
        description="Price one cart on every vendor and print the differences. Exit codes: "
                    "0 no differences, 1 differences, 2 bad command or CART.json, "
                    "3 a vendor could not price the cart.")
    compare.add_argument("cart", help="a CartCreateInput as JSON")
    compare.add_argument("--json", action="store_true", help="print the payload as JSON")
    compare.set_defaults(run=_compare)

    documents = commands.add_parser("documents", help="trusted documents")
    documents_commands = documents.add_subparsers(dest="documents_command", required=True)
    build = documents_commands.add_parser(
        "build", help="a manifest {sha256: document} of every .graphql file in a folder")
    build.add_argument("folder")
    build.add_argument("-o", "--output", help="write the manifest here instead of stdout")
    build.set_defaults(run=_documents)

    schema = commands.add_parser("schema", help="print the GraphQL SDL")
    schema.set_defaults(run=_schema)

    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
