"""Cart metafields (carts.v3.yml, `/carts/{cart_id}/metafields`): key/value pairs on a cart.

A metafield is unique by (namespace, key) on its cart: a second one is a 409. Fields are
validated as `MetafieldBase_Post` says, on POST and PUT alike (required fields, lengths,
the permission set enum), with a 422 naming the field. Creating needs a live cart; the
metafields of a deleted cart stay readable, as the spec says for carts turned into orders. The list
answers `{data: [...], meta: {pagination}}`, as the spec's description and its batch
list do (see tests/conformance/READINGS.md, bc-cart-metafield-list).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandboxes.json_answers import JSONResponse

from .context import envelope, sandbox
from .errors import not_found, unprocessable
from .fields import decode_body, text
from .metafields import Metafield

METAFIELDS = "/stores/{store_hash}/v3/carts/{cart_id}/metafields"
PERMISSION_SETS = ("app_only", "read", "write", "read_and_sf_access", "write_and_sf_access")
LIMITS = {"namespace": (1, 64), "key": (1, 64), "value": (1, 65535), "description": (0, 255)}
REQUIRED = ("permission_set", "namespace", "key", "value")
DEFAULT_PAGE_SIZE = 50


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def metafield_json(field: Metafield) -> dict[str, Any]:
    """A `Metafield` as the spec shows it (a string id)."""
    return {
        "id": str(field.id), "key": field.key, "value": field.value,
        "namespace": field.namespace, "permission_set": field.permission_set,
        "resource_type": "cart", "resource_id": field.cart_id,
        "description": field.description,
        "date_created": _stamp(field.created), "date_modified": _stamp(field.modified),
        "owner_client_id": "sandbox",
    }


def _fields(body: dict[str, Any]) -> dict[str, str]:
    """The body's metafield fields, each checked; POST and PUT carry the required ones."""
    found: dict[str, str] = {}
    for name, (shortest, longest) in LIMITS.items():
        if name not in body:
            if name in REQUIRED:
                raise unprocessable(name, f"{name} is required")
            continue
        value = text(body[name], name)
        if not shortest <= len(value) <= longest:
            raise unprocessable(name, f"{name} must have {shortest} to {longest} characters")
        found[name] = value
    if "permission_set" in body:
        permission = text(body["permission_set"], "permission_set")
        if permission not in PERMISSION_SETS:
            raise unprocessable("permission_set",
                                f"permission_set must be one of {', '.join(PERMISSION_SETS)}")
        found["permission_set"] = permission
    else:
        raise unprocessable("permission_set", "permission_set is required")
    return found


def _one(request: Request) -> Metafield:
    number = integer_path(request.path_params["metafield_id"])
    found = sandbox(request).metafields.get(number, request.path_params["cart_id"])
    if found is None:
        raise not_found("The resource at that URL is not found.")
    return found


async def listing(request: Request) -> Response:
    """`GET .../metafields`: a cart's metafields, filtered and paginated."""
    params = request.query_params
    found = [f for f in sandbox(request).metafields.of_cart(request.path_params["cart_id"])
             if params.get("namespace") in (None, f.namespace)
             and params.get("key") in (None, f.key)]
    if params.get("direction") == "desc":
        found.reverse()
    page = _query_number(params.get("page"), "page", default=1)
    size = _query_number(params.get("limit"), "limit", default=DEFAULT_PAGE_SIZE)
    shown = found[(page - 1) * size: page * size]
    pages = max(1, -(-len(found) // size))
    return JSONResponse({"data": [metafield_json(f) for f in shown], "meta": {
        "pagination": {"total": len(found), "count": len(shown), "per_page": size,
                       "current_page": page, "total_pages": pages, "links": {
                           "current": f"?page={page}&limit={size}"}}}})


async def create(request: Request) -> Response:
    """`POST .../metafields` on a live cart."""
    state = sandbox(request)
    body = decode_body(await request.body(), required=True)
    cart = state.carts.require(request.path_params["cart_id"])
    values = _fields(body)
    state.metafields.refuse_duplicate(cart.id, values["namespace"], values["key"],
                                      other_than=0)
    return envelope(metafield_json(
        state.metafields.add(cart_id=cart.id, values=values, now=state.carts.now())))


async def read(request: Request) -> Response:
    """`GET .../metafields/{metafield_id}`."""
    return envelope(metafield_json(_one(request)))


async def update(request: Request) -> Response:
    """`PUT .../metafields/{metafield_id}`: the fields given, checked as on POST."""
    state = sandbox(request)
    body = decode_body(await request.body(), required=True)
    field = _one(request)
    values = _fields(body)
    state.metafields.refuse_duplicate(field.cart_id, values.get("namespace", field.namespace),
                                      values.get("key", field.key), other_than=field.id)
    for name, value in values.items():
        setattr(field, name, value)
    field.modified = state.carts.now()
    return envelope(metafield_json(field))


async def delete(request: Request) -> Response:
    """`DELETE .../metafields/{metafield_id}`."""
    sandbox(request).metafields.delete(_one(request).id)
    return Response(status_code=204)


ROUTES = [
    Route(METAFIELDS, listing, methods=["GET"]),
    Route(METAFIELDS, create, methods=["POST"]),
    Route(METAFIELDS + "/{metafield_id}", read, methods=["GET"]),
    Route(METAFIELDS + "/{metafield_id}", update, methods=["PUT"]),
    Route(METAFIELDS + "/{metafield_id}", delete, methods=["DELETE"]),
]


def _query_number(value: str | None, name: str, *, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise unprocessable(name, f"{name} must be a whole number of at least 1")
    return int(value)


def integer_path(value: str) -> int | None:
    """A path segment's integer, or None when it is not one (then nothing matches)."""
    return int(value) if value.isdigit() else None
