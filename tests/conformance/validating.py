"""A vendor transport that checks every exchange against the vendor's OpenAPI documents.

Each request is validated against its operation (path, method, parameters, security,
body) before it is sent; each answer against the response declared for its status.
Results are counted per (vendor, METHOD path-template, status) in a ``Ledger``; nothing
is ever raised at the adapter, so the suite under test behaves exactly as without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx
from jsonschema_path import SchemaPath
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.exceptions import ValidationError
from werkzeug.datastructures import Headers, ImmutableMultiDict

from adapters.model import Backend
from sandboxes.faults import Faults
from tests.conformance import readings
from tests.conformance.specs import Spec, vendor_specs

# Fault kinds whose answer is deliberately not what the vendor sends: their responses are
# counted as injected, not validated. `status` and `delay` answers are the vendor's own.
UNVALIDATED_FAULTS = frozenset({"reset", "malformed_json", "missing_fields", "body", "rewrite"})
BIGCOMMERCE_PREFIX = re.compile(r"^/stores/[^/]+/v3(?=/)")


@dataclass
class Tally:
    """What was seen for one (vendor, operation, status)."""

    requests: int = 0
    request_failures: int = 0
    responses: int = 0
    response_failures: int = 0
    injected: int = 0
    unspecified: int = 0
    readings: set[str] = field(default_factory=set)
    first_error: str | None = None
    # Each distinct problem once, list indexes folded, so one defect is one line.
    problems: set[str] = field(default_factory=set)

    @property
    def failures(self) -> int:
        return self.request_failures + self.response_failures

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "readings": sorted(self.readings),
                "problems": sorted(self.problems)}


@dataclass
class Ledger:
    """Validation results for a whole run, keyed by vendor, operation and status."""

    tallies: dict[tuple[str, str, str], Tally] = field(default_factory=dict)

    def tally(self, vendor: Backend, operation: str, status: int | str) -> Tally:
        return self.tallies.setdefault((vendor.value, operation, str(status)), Tally())

    def to_json(self) -> list[dict[str, Any]]:
        return [{"vendor": v, "operation": o, "status": s, **t.to_json()}
                for (v, o, s), t in sorted(self.tallies.items())]


@dataclass  # openapi-core writes the resolved path parameters back into `parameters`
class _OpenAPIRequest:
    """An httpx request in the shape openapi-core reads, re-hosted onto the spec's server."""

    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters


@dataclass(frozen=True)
class _OpenAPIResponse:
    """An httpx response in the shape openapi-core reads."""

    status_code: int
    data: bytes | None
    content_type: str
    headers: Headers


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError):
        details = error.details
        schema_errors = details["schema_errors"]
        if schema_errors:
            first = schema_errors[0]
            where = "/".join(str(p) for p in first["path"]) or "(root)"
            return f"{details['error_type']} at {where}: {first['message']}"[:400]
    return f"{type(error).__name__}: {error}"[:400]


def _problems(error: Exception) -> Iterator[str]:
    schema_errors = error.details["schema_errors"] if isinstance(error, ValidationError) else []
    if not schema_errors:
        yield _describe(error)
    for schema_error in schema_errors:
        where = "/".join("*" if isinstance(p, int) else str(p) for p in schema_error["path"])
        yield f"{where or '(root)'}: {schema_error['message']}"[:300]


class SpecValidator:
    """Finds a request's document and operation and validates both directions."""

    def __init__(self, vendor: Backend) -> None:
        self.vendor = vendor
        self.specs = vendor_specs()[vendor]
        self.documents = {spec.name: spec.document for spec in self.specs.values()}

    def locate(self, request: httpx.Request) -> tuple[Spec | None, str, str]:
        """The document serving this request, its path under the server, and its template."""
        path = request.url.path
        routed = path
        if self.vendor is Backend.BIGCOMMERCE:
            routed = BIGCOMMERCE_PREFIX.sub("", path, count=1)
        for prefix, spec in self.specs.items():
            if routed == prefix or routed.startswith(prefix + "/"):
                finder = APICallPathFinder(spec.openapi.spec)
                try:
                    found = finder.find(request.method.lower(), spec.host + path)
                except PathError:
                    return spec, path, f"{request.method} {routed} (not in spec)"
                template = _template_of(found.path)
                return spec, path, f"{request.method} {template}"
        return None, path, f"{request.method} {routed}"

    def request_errors(self, spec: Spec, request: _OpenAPIRequest) -> Iterator[Exception]:
        yield from spec.openapi.iter_request_errors(request)

    def response_errors(self, spec: Spec, template: str, request: _OpenAPIRequest,
                        response: _OpenAPIResponse, tally: Tally) -> Iterator[Exception]:
        for error in spec.openapi.iter_response_errors(request, response):
            if isinstance(error, ResponseNotFound):
                # A status the operation does not declare: see READINGS.md, "undeclared".
                reading, fallback = readings.undeclared_status(
                    spec.name, template, response.status_code, response.data, self.documents
                )
                tally.readings.add(reading)
                yield from fallback
            else:
                yield error


def _collect(errors: Iterator[Exception]) -> list[Exception]:
    """All errors; a validator that breaks is itself a failure, never an adapter's problem."""
    found: list[Exception] = []
    try:
        found.extend(errors)
    except Exception as exc:  # reported as a failure, not raised
        found.append(RuntimeError(f"the validator failed: {_describe(exc)}"))
    return found


def _template_of(path: SchemaPath) -> str:
    # The finder answers the path item; its last key is the template as the spec spells it.
    return str(path.parts[-1]) if hasattr(path, "parts") else str(path).rsplit("#", 1)[-1]


def _as_openapi_request(spec: Spec, path: str, request: httpx.Request,
                        body: bytes) -> _OpenAPIRequest:
    query = parse_qs(request.url.query.decode("ascii"), keep_blank_values=True)
    return _OpenAPIRequest(
        host_url=spec.host,
        path=path,
        method=request.method.lower(),
        body=body or None,
        content_type=request.headers.get("content-type", ""),
        parameters=RequestParameters(
            query=ImmutableMultiDict(query),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        ),
    )


class ValidatingTransport(httpx.AsyncBaseTransport):
    """Passes a vendor's traffic through and records how it conforms to the vendor's spec."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, vendor: Backend, faults: Faults,
                 ledger: Ledger) -> None:
        self.inner = inner
        self.faults = faults
        self.ledger = ledger
        self.validator = SpecValidator(vendor)
        self.vendor = vendor

    def _injected(self, request: httpx.Request) -> bool:
        return any(plan.kind in UNVALIDATED_FAULTS and plan.matches(request.method,
                                                                    request.url.path)
                   for plan in self.faults.pending())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Validate the request, forward it, validate the answer, return it unchanged."""
        body = await request.aread()
        spec, path, template = self.validator.locate(request)
        wrapped = None if spec is None else _as_openapi_request(spec, path, request, body)
        request_errors = [] if spec is None or wrapped is None else \
            _collect(self.validator.request_errors(spec, wrapped))
        injected = self._injected(request)
        try:
            response = await self.inner.handle_async_request(request)
        except BaseException:
            # Timeouts and dropped connections still sent a request worth checking.
            self._count_request(self.ledger.tally(self.vendor, template, "no answer"),
                                spec, request_errors)
            raise
        tally = self.ledger.tally(self.vendor, template, response.status_code)
        self._count_request(tally, spec, request_errors)
        if spec is None or wrapped is None:
            return response
        if injected:
            tally.injected += 1
            return response
        content = await response.aread()
        answer = _OpenAPIResponse(
            status_code=response.status_code,
            data=content or None,
            content_type=response.headers.get("content-type", ""),
            headers=Headers(list(response.headers.items())),
        )
        tally.responses += 1
        tally.readings |= readings.scoped(self.vendor, template)
        self._note(tally, "response",
                   _collect(self.validator.response_errors(spec, template, wrapped, answer, tally)))
        return httpx.Response(response.status_code, headers=response.headers, content=content,
                              extensions=response.extensions, request=request)

    def _count_request(self, tally: Tally, spec: Spec | None, errors: list[Exception]) -> None:
        if spec is None:
            # No document in shared/specs covers this API (READINGS.md, "unspecified").
            tally.unspecified += 1
            return
        tally.requests += 1
        self._note(tally, "request", errors)

    def _note(self, tally: Tally, side: str, errors: list[Exception]) -> None:
        if not errors:
            return
        if side == "request":
            tally.request_failures += 1
        else:
            tally.response_failures += 1
        if tally.first_error is None:
            tally.first_error = f"{side}: {_describe(errors[0])}"
        for error in errors:
            tally.problems.update(f"{side}: {problem}" for problem in _problems(error))


def wrap(transports: Mapping[Backend, httpx.AsyncBaseTransport], faults: Mapping[Backend, Faults],
         ledger: Ledger) -> dict[Backend, httpx.AsyncBaseTransport]:
    """Each vendor transport behind a validating one that writes to ``ledger``."""
    return {vendor: ValidatingTransport(inner, vendor=vendor, faults=faults[vendor],
                                        ledger=ledger)
            for vendor, inner in transports.items()}
