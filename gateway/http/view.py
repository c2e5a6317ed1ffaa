"""The GraphQL over HTTP view: media types and status codes as the spec asks, bodies as text."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, cast

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.types import ExecutionResult

from adapters.http import has_digit_run
from gateway.access.callers import SCOPE_KEY as CALLER
from gateway.access.rate_limits import CallLimits, budget_of
from gateway.http.compiled_posts import AnswerHeaders, CompiledPost, read_compiled_post
from gateway.http.graphiql_page import graphiql_response
from gateway.observability.telemetry import Telemetry

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
_JSON_RANGES = frozenset({JSON, "application/*", "*/*"})
# The content-type header of each answer, as strawberry's response writes it.
_CONTENT_TYPES = {JSON: JSON.encode(),
                  GRAPHQL_RESPONSE: f"{GRAPHQL_RESPONSE}; charset=utf-8".encode()}
# graphql-core appends "Did you mean 'x'?" to validation errors: a map of the schema.
# It may sit mid-message ("... Did you mean 'lines'? Found: ..."); the names it lists
# never hold a question mark.
_SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")
# 19 digits in a row may be an integer past 64 bits, which only json reads exactly.
_LONG_INTEGER_DIGITS = 19


def read_json(data: str | bytes) -> object:
    """A request body read as ``json.loads`` reads it; a JSONDecodeError when it is not
    JSON text, is not UTF-8 or nests too deeply.
    """
    if isinstance(data, bytes) and not has_digit_run(data, _LONG_INTEGER_DIGITS):
        # orjson reads a body several times faster and, short of an integer past 64
        # bits (which it makes a float), to the same value json does; anything it
        # refuses goes to json, whose value or error then stands.
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        # A body that is not text is a client error (400), like any other bad JSON.
        raise json.JSONDecodeError("request body is not UTF-8 text", "", 0) from exc
    except RecursionError as exc:
        # Thousands of nested brackets exhaust the parser's stack: refuse, do not crash.
        raise json.JSONDecodeError("request body is nested too deeply", "", 0) from exc


def response_media_type(accept: str | None) -> str:
    """The media type of the answer: the legacy ``application/json`` unless the client
    prefers ``application/graphql-response+json`` (highest q, earliest on a tie).
    """
    chosen, chosen_q = JSON, 0.0
    for item in (accept or "").split(","):
        media, *params = (part.strip().lower() for part in item.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q <= chosen_q:
            continue
        if media == GRAPHQL_RESPONSE:
            chosen, chosen_q = GRAPHQL_RESPONSE, q
        elif media in _JSON_RANGES:
            chosen, chosen_q = JSON, q
    return chosen


def is_request_error(result: ExecutionResult) -> bool:
    """Parsing, validation or variable coercion failed: nothing was executed.

    Field errors always carry a ``path``; errors raised before execution never do.
    """
    return result.data is None and bool(result.errors) and all(
        error.path is None for error in result.errors or ()
    )


def request_media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, without parameters, in lower case."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def without_suggestions(message: str) -> str:
    """A validation message without the schema names graphql-core suggests."""
    return _SUGGESTION.sub("", message)


class GatewayGraphQL(GraphQL[dict[str, Any], None]):
    """Strawberry's ASGI app, handed the gateway context the lifespan built.

    With ``Accept: application/graphql-response+json`` a request error is a 400 in that
    media type; with ``application/json`` it stays a 200, as the GraphQL over HTTP spec
    asks. A request error never carries ``data`` (it was never executed).
    """

    def __init__(self, *args: Any, production: bool = False,
                 telemetry: Telemetry | None = None, limits: CallLimits | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.production = production
        self.telemetry = telemetry
        self.limits = limits
        # The lean path needs the gateway's schema (it tells which documents are
        # compiled), and answers as one JSON document: not when a streaming transport
        # (SSE, multipart) could be asked for.
        serves: Callable[[str, str | None], bool] | None = getattr(
            self.schema, "serves_compiled", None)
        self.serves_compiled = serves if not self._stream_transport_map else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        serves = self.serves_compiled
        if serves is not None and scope["type"] == "http" and scope["method"] == "POST":
            post, receive = await read_compiled_post(scope, receive, self.decode_json, serves)
            if post is not None:
                await self._answer_compiled(post, scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def _answer_compiled(self, post: CompiledPost, scope: Scope, receive: Receive,
                               send: Send) -> None:
        """A compiled document's POST (``compiled_posts.py``): what strawberry's view
        would send, without its generic machinery.
        """
        request = Request(scope, receive)
        answer = AnswerHeaders()
        context = await self.get_context(request, answer)
        data = GraphQLRequestData(query=post.query, variables=post.variables,
                                  operation_name=post.operation_name, extensions=None)
        try:
            # AnswerHeaders stands in for strawberry's sub-response, which execute_single
            # only passes along: the gate finds it in the context.
            result = await self.execute_single(request, StarletteRequestAdapter(request),
                                               answer, context, None, data)  # type: ignore[arg-type]
        except HTTPException as e:
            await PlainTextResponse(e.reason, status_code=e.status_code)(scope, receive, send)
            return
        media_type = response_media_type(post.accept)
        processed, status = self.shaped(result, media_type)
        body = self.encode_json(processed)
        await send({"type": "http.response.start", "status": status or 200, "headers": [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", _CONTENT_TYPES[media_type]),
            *answer.headers.raw,
        ]})
        await send({"type": "http.response.body", "body": body})

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: dict[str, Any],
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        caller = context.get("caller")
        if caller is None:
            return await self._counted(request, request_adapter, sub_response, context,
                                       root_value, request_data)
        # Every vendor call made for this request is counted against its caller's limits.
        with budget_of(caller) as budget:
            try:
                return await self._counted(request, request_adapter, sub_response, context,
                                           root_value, request_data)
            finally:
                if self.limits is not None:
                    await self.limits.settle(budget)

    async def _counted(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: dict[str, Any],
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        # Counted here, not in a schema extension: compiled queries skip the extensions.
        if self.telemetry is None:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data)
        run = self.telemetry.start_operation(request_data.query, request_data.operation_name,
                                             request.headers)
        try:
            result = await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data)
        except HTTPException:
            run.finish(None, request_error=True)
            raise
        except BaseException:
            run.finish(None)
            raise
        run.finish(result)
        return result

    async def render_graphql_ide(self, request: Request) -> Response:
        # GraphiQL from the gateway's own assets, not a CDN: works offline, under a strict CSP.
        return graphiql_response()

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        # The caller was decided once, in the HTTP layer (gateway/access/callers.py); the
        # response lets the gate set Retry-After on a rate-limited answer.
        return {"gateway": request.scope["app"].state.gateway, "request": request,
                "caller": request.scope.get(CALLER), "response": response}

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        # strawberry accepts any Content-Type containing "application/json" (even
        # "application/jsonp"); the media type is parsed and must be exactly JSON.
        if request.method != "GET" and request_media_type(request.content_type) != JSON:
            raise HTTPException(415, "Unsupported Content-Type: send application/json")
        return await super().parse_http_body(request)

    def decode_json(self, data: str | bytes) -> object:
        return read_json(data)

    def encode_json(self, data: object) -> bytes:
        # orjson writes a response several times faster than json.dumps; amounts are
        # already strings here, so nothing needs a custom encoder.
        return orjson.dumps(data)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        # process_result sees only the request: it finds the response it shapes here.
        request.state.sub_response = sub_response
        return sub_response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        sub_response: Response = request.state.sub_response
        processed, status = self.shaped(result, sub_response.media_type)
        if status is not None:
            sub_response.status_code = status
        return processed

    def shaped(self, result: ExecutionResult,
               media_type: str | None) -> tuple[GraphQLHTTPResponse, int | None]:
        """The answer's JSON, and its status code when not 200, on either path."""
        processed = process_result(result)
        if self.production:
            errors = cast("list[dict[str, Any]]", processed.get("errors") or [])
            for error in errors:
                error["message"] = without_suggestions(error["message"])
        if is_request_error(result):
            processed.pop("data", None)
            if media_type == GRAPHQL_RESPONSE:
                return processed, 400
        return processed, None

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type == GRAPHQL_RESPONSE:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        return response
