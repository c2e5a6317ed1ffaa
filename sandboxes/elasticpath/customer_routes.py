"""Customer cart associations: `/v2/carts/{id}/relationships/customers`.

With a `client_credentials` token no customer token is needed. A cart holds either
customers or a contact email, never both, as the cart spec describes.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandboxes.json_answers import JSONResponse

from .context import data_of, existing_or_empty, read_json, sandbox
from .errors import ApiError, bad_request, invalid_type


def _customer_ids(body: dict[str, Any]) -> list[str]:
    data = data_of(body)
    if not isinstance(data, list):
        raise invalid_type("array", data)
    ids = []
    for entry in data:
        if not isinstance(entry, dict):
            raise invalid_type("object", entry)
        if entry.get("type") != "customer":
            raise bad_request("type must be customer", title="Invalid type")
        if not isinstance(entry.get("id"), str) or not entry["id"]:
            raise bad_request("id is required", title="required")
        ids.append(entry["id"])
    return ids


async def add_customers(request: Request) -> Response:
    """`POST`: associate customers with the cart (200, or 204 when nothing was new)."""
    state = sandbox(request)
    ids = _customer_ids(await read_json(request))
    cart = existing_or_empty(state, request.path_params["cart_id"])
    if (cart.contact or {}).get("email"):
        raise ApiError(422, "Cannot associate customers to carts with contact emails",
                       "Unable to associate customers to carts with contact emails attached.")
    new = [i for i in dict.fromkeys(ids) if i not in cart.customer_ids]
    if not new:
        return Response(status_code=204)
    cart.customer_ids.extend(new)
    cart.touch(state.clock())
    state.carts.put(cart)
    return JSONResponse({"data": [{"type": "customer", "id": i} for i in cart.customer_ids]})


async def remove_customers(request: Request) -> Response:
    """`DELETE`: end the associations named in the body."""
    state = sandbox(request)
    ids = set(_customer_ids(await read_json(request)))
    cart = state.carts.get(request.path_params["cart_id"], state.clock())
    if cart is not None and ids & set(cart.customer_ids):
        cart.customer_ids[:] = [i for i in cart.customer_ids if i not in ids]
        cart.touch(state.clock())
    return Response(status_code=204)


ROUTES = [
    Route("/v2/carts/{cart_id}/relationships/customers", add_customers, methods=["POST"]),
    Route("/v2/carts/{cart_id}/relationships/customers", remove_customers, methods=["DELETE"]),
]
