"""The lean path of ``POST /graphql``: a JSON body whose document is already compiled.

Storefronts send the same few documents, as ``POST`` with ``Content-Type:
application/json``. For those, strawberry's generic view (its request adapter, the
content-type parser, a sub-response and a response object per request) costs more CPU
than the compiled operation it wraps. ``read_compiled_post`` recognises such a request
cheaply; the view (``gateway/http/view.py``) then runs it through the same
``execute_single`` (caller budget, telemetry, the schema's choice of path) and writes
the status, headers and bytes strawberry would have written.

Everything else is handed back with its body intact, for strawberry's view: another
method, another media type or any parameter on it, a body sent in parts, a body that is
not one JSON object with a string ``query``, ``extensions``, a document not compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import Receive, Scope

from gateway.http.body_limit import replaying

CONTENT_TYPE = b"content-type"
ACCEPT = b"accept"
JSON = b"application/json"


@dataclass(frozen=True, slots=True)
class CompiledPost:
    """A ``POST`` of a compiled document, read from the request."""

    query: str
    operation_name: str | None
    variables: dict[str, Any] | None
    accept: str | None


class AnswerHeaders:
    """What the operation may add to its answer (the gate's ``Retry-After``): the
    ``response`` of the operation's context on the lean path, as strawberry's
    sub-response is on the generic one.
    """

    __slots__ = ("headers",)

    def __init__(self) -> None:
        self.headers = MutableHeaders()


async def read_compiled_post(
    scope: Scope, receive: Receive, decode: Callable[[bytes], object],
    compiled: Callable[[str, str | None], bool],
) -> tuple[CompiledPost | None, Receive]:
    """The request as a ``CompiledPost``, or None for strawberry's view; and the receive
    to use from now on (the body, once read, is replayed to whoever reads it next).

    ``decode``: the view's JSON decoder (it raises ValueError); ``compiled``: whether the
    schema serves (document, operation name) compiled.
    """
    content_type = accept = None
    for name, value in scope["headers"]:
        if name == CONTENT_TYPE:
            if content_type is None:
                content_type = value
        elif name == ACCEPT and accept is None:
            accept = value
    if content_type != JSON:
        return None, receive
    message = await receive()
    replay = replaying(message, receive)
    if message["type"] != "http.request" or message.get("more_body", False):
        return None, replay
    try:
        data = decode(message.get("body", b""))
    except ValueError:
        return None, replay  # strawberry words the 400
    if not isinstance(data, dict) or data.get("extensions") is not None:
        return None, replay
    query = data.get("query")
    name = data.get("operationName")
    variables = data.get("variables")
    if (not isinstance(query, str) or not isinstance(name, str | None)
            or not isinstance(variables, dict | None) or not compiled(query, name)):
        return None, replay
    return CompiledPost(query, name, variables,
                        accept.decode("latin-1") if accept is not None else None), replay

