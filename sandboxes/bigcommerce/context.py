"""What every route shares: the sandbox's state, the answer envelope and `include`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from sandboxes.json_answers import JSONResponse

from .catalog import Catalog
from .metafields import Metafields
from .store import CartStore


@dataclass(slots=True)
class SandboxState:
    """One sandbox store, its app's `state.sandbox`: catalog, carts, metafields, settings."""

    store_hash: str
    store_url: str
    catalog: Catalog
    carts: CartStore
    metafields: Metafields = field(default_factory=Metafields)
    allow_purchasing: bool = True
    channel_allow_purchasing: dict[int, bool | None] = field(default_factory=dict)


def sandbox(request: Request) -> SandboxState:
    """The state of the app serving this request."""
    state: SandboxState = request.app.state.sandbox
    return state


def envelope(data: Any, status_code: int = 200) -> JSONResponse:
    """The `{data, meta}` envelope of BigCommerce v3 answers."""
    return JSONResponse({"data": data, "meta": {}}, status_code=status_code)


def include_of(request: Request) -> frozenset[str]:
    """The `include` query values, comma-separated or repeated."""
    values = request.query_params.getlist("include")
    return frozenset(part.strip() for value in values for part in value.split(",") if part)
