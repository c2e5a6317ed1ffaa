"""Trusted documents: with ``CARTGATE_TRUSTED_DOCUMENTS`` set, storefront callers may only
run the documents of a manifest the storefront's build produced.

The manifest is a JSON object ``{sha256 hex of the document's exact text: document}``
(``cartgate documents build DIR`` writes one from a folder of ``.graphql`` files). A
storefront names a document by ``documentId`` (a body field or GET parameter, bare hex or
``sha256:<hex>`` as in the GraphQL over HTTP persisted-documents draft and Hive Gateway),
by ``extensions.persistedQuery.sha256Hash`` (Apollo's shape), or sends the ``query``
itself, whose hash must be in the manifest. Trusted server callers may send any query,
and may name manifest documents too.

An ASGI middleware in front of idempotency and the view: it puts the named document in
the request as its ``query``, so everything after it sees an ordinary request, or refuses
it as a GraphQL over HTTP request error (nothing executed, nothing recorded): an unknown
id is ``PERSISTED_QUERY_NOT_FOUND``, a storefront's query outside the manifest
``ACCESS_DENIED``. Status 200 with ``application/json``, 400 with
``application/graphql-response+json``, as for any request error.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.access.callers import SCOPE_KEY, Caller
from gateway.http.body_limit import read_body, replayed
from gateway.http.view import GRAPHQL_RESPONSE, response_media_type

_HASH = re.compile(r"(?:sha256:)?([0-9a-f]{64})")
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
DENIED = "ACCESS_DENIED"


def document_hash(document: str) -> str:
    """The manifest key of a document: sha256 of its exact UTF-8 text, in hex."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


class Refused(Exception):
    """The request names no document it may run."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class TrustedDocuments:
    """The manifest: documents by the sha256 of their text."""

    def __init__(self, documents: dict[str, str]) -> None:
        for key, document in documents.items():
            if not isinstance(document, str) or document_hash(document) != key:
                raise ValueError(f"trusted documents: {key[:16]}... is not the sha256 of its "
                                 "document's text")
        self._documents = documents

    def __len__(self) -> int:
        return len(self._documents)

    @classmethod
    def load(cls, path: str) -> TrustedDocuments:
        """The manifest at ``path``; a malformed one stops the gateway at start."""
        documents = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(documents, dict):
            raise ValueError("trusted documents: the manifest must be a JSON object")
        return cls(documents)

    def by_id(self, document_id: object) -> str | None:
        match = _HASH.fullmatch(document_id) if isinstance(document_id, str) else None
        return self._documents.get(match.group(1)) if match else None

    def __contains__(self, query: str) -> bool:
        return self._documents.get(document_hash(query)) == query

    def resolve(self, request: dict[str, Any], *, trusted: bool) -> bool:
        """Put the named document in ``request["query"]`` (True when it changed anything),
        or raise Refused.
        """
        extensions = request.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        named = request.get("documentId")
        if named is None and isinstance(persisted, dict):
            named = persisted.get("sha256Hash")
        query = request.get("query")
        if named is not None:
            document = self.by_id(named)
            if document is None:
                raise Refused(NOT_FOUND, "no trusted document has this id")
            if query is not None and query != document and not trusted:
                raise Refused(DENIED, "the query is not the document its id names")
            if query is None:
                request["query"] = document
            request.pop("documentId", None)
            if isinstance(extensions, dict) and "persistedQuery" in extensions:
                extensions.pop("persistedQuery")
                if not extensions:
                    request.pop("extensions")
            return True
        if not trusted and isinstance(query, str) and query not in self:
            raise Refused(DENIED, "storefront callers may only run trusted documents")
        return False


class TrustedDocumentsOnly:
    """ASGI middleware: resolves document ids and holds storefronts to the manifest."""

    def __init__(self, app: ASGIApp, *, documents: TrustedDocuments) -> None:
        self.app = app
        self.documents = documents

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        caller: Caller | None = scope.get(SCOPE_KEY)
        trusted = caller is None or caller.trusted
        try:
            if scope["method"] == "GET":
                scope = self._get(scope, trusted=trusted)
            else:
                body = await read_body(receive)
                if body is None:
                    return  # the client left before it finished sending
                body, scope = self._post(body, scope, trusted=trusted)
                receive = replayed(body, receive)
        except Refused as refused:
            await _refuse(scope, send, refused)
            return
        await self.app(scope, receive, send)

    def _get(self, scope: Scope, *, trusted: bool) -> Scope:
        params = dict(parse_qsl(scope["query_string"].decode("latin-1"),
                                keep_blank_values=True))
        request: dict[str, Any] = dict(params)
        if "extensions" in params:
            try:
                request["extensions"] = json.loads(params["extensions"])
            except ValueError:
                pass  # the view answers a malformed parameter
        if not self.documents.resolve(request, trusted=trusted):
            return scope
        if isinstance(request.get("extensions"), dict):
            request["extensions"] = json.dumps(request["extensions"])
        return {**scope, "query_string": urlencode(request).encode("latin-1")}

    def _post(self, body: bytes, scope: Scope, *, trusted: bool) -> tuple[bytes, Scope]:
        try:
            request = json.loads(body)
        except (ValueError, RecursionError):
            return body, scope  # the view refuses it, running nothing
        if not isinstance(request, dict):
            return body, scope  # a batch: the view refuses it, running nothing
        if not self.documents.resolve(request, trusted=trusted):
            return body, scope
        rewritten = json.dumps(request).encode()
        headers = [(name, value) for name, value in scope["headers"]
                   if name != b"content-length"]
        headers.append((b"content-length", str(len(rewritten)).encode()))
        return rewritten, {**scope, "headers": headers}


async def _refuse(scope: Scope, send: Send, refused: Refused) -> None:
    accept = next((value.decode("latin-1") for name, value in scope["headers"]
                   if name == b"accept"), None)
    media = response_media_type(accept)
    body = json.dumps({"errors": [{"message": refused.message,
                                   "extensions": {"code": refused.code}}]}).encode()
    await send({"type": "http.response.start",
                "status": 400 if media == GRAPHQL_RESPONSE else 200,
                "headers": [(b"content-type", media.encode()),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def build_manifest(folder: str) -> dict[str, str]:
    """``{sha256: text}`` of every ``.graphql`` file under ``folder``, each read exactly."""
    files = sorted(Path(folder).rglob("*.graphql"))
    return {document_hash(text): text
            for text in (path.read_bytes().decode("utf-8") for path in files)}
