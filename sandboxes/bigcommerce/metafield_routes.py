"""Cart metafields (carts.v3.yml, `/carts/{cart_id}/metafields`): key/value pairs on a cart.

A metafield is unique by (namespace, key) on its cart: a second one is a 409. Fields are
validated as `MetafieldBase_Post` says, on POST and PUT alike (required fields, lengths,
the permission set enum), with a 422 naming the field. Creating needs a live cart; the
metafields of a deleted cart stay readable, as the spec says for carts turned into orders. The list
answers `{data: [...], meta: {pagination}}`, as the spec's description and its batch
list do (see tests/conformance/READINGS.md, bc-cart-metafield-list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .errors import ApiError, not_found, unprocessable
from .fields import decode_body, text
from .web import JSONResponse, Sandbox, envelope

METAFIELDS = "/stores/{store_hash}/v3/carts/{cart_id}/metafields"
PERMISSION_SETS = ("app_only", "read", "write", "read_and_sf_access", "write_and_sf_access")
LIMITS = {"namespace": (1, 64), "key": (1, 64), "value": (1, 65535), "description": (0, 255)}
REQUIRED = ("permission_set", "namespace", "key", "value")
DEFAULT_PAGE_SIZE = 50


@dataclass(slots=True)
class Metafield:
    """One stored metafield of a cart."""

    id: int
    cart_id: str
    permission_set: str
    namespace: str
    key: str
    value: str
    description: str
    created: datetime
    modified: datetime


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


def metafield_routes(sandbox: Sandbox) -> list[Route]:
    """Routes to list, create, read, update and delete a cart's metafields."""
    store = sandbox.carts
    kept: dict[int, Metafield] = {}
    next_id = [1]

    def of_cart(cart_id: str) -> list[Metafield]:
        return [f for f in kept.values() if f.cart_id == cart_id]

    def one(request: Request) -> Metafield:
        number = integer_path(request.path_params["metafield_id"])
        field = kept.get(number) if number is not None else None
        if field is None or field.cart_id != request.path_params["cart_id"]:
            raise not_found("The resource at that URL is not found.")
        return field

    def refuse_duplicate(cart_id: str, namespace: str, key: str, *, other_than: int) -> None:
        if any(f.namespace == namespace and f.key == key and f.id != other_than
               for f in of_cart(cart_id)):
            raise ApiError(409, "Metafield with the same namespace and key already exists",
                           errors={"key": f"{namespace}/{key} exists on this cart"})

    async def listing(request: Request) -> Response:
        params = request.query_params
        found = [f for f in of_cart(request.path_params["cart_id"])
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
        body = decode_body(await request.body(), required=True)
        cart = store.require(request.path_params["cart_id"])
        values = _fields(body)
        refuse_duplicate(cart.id, values["namespace"], values["key"], other_than=0)
        now = store.now()
        field = Metafield(id=next_id[0], cart_id=cart.id, description=values.get("description", ""),
                          permission_set=values["permission_set"], namespace=values["namespace"],
                          key=values["key"], value=values["value"], created=now, modified=now)
        next_id[0] += 1
        kept[field.id] = field
        return envelope(metafield_json(field))

    async def read(request: Request) -> Response:
        return envelope(metafield_json(one(request)))

    async def update(request: Request) -> Response:
        body = decode_body(await request.body(), required=True)
        field = one(request)
        values = _fields(body)
        refuse_duplicate(field.cart_id, values.get("namespace", field.namespace),
                         values.get("key", field.key), other_than=field.id)
        for name, value in values.items():
            setattr(field, name, value)
        field.modified = store.now()
        return envelope(metafield_json(field))

    async def delete(request: Request) -> Response:
        del kept[one(request).id]
        return Response(status_code=204)

    return [
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
