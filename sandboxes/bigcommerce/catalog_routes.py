"""The Catalog API's variant listing, served from the sandbox catalog."""

from __future__ import annotations

from math import ceil

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandboxes.json_answers import JSONResponse

from .context import sandbox
from .errors import unprocessable
from .serialize import variant_json


def _positive(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise unprocessable(name, f"{name} must be a positive integer")
    return int(raw)


def _ids(raw: str | None, name: str) -> set[int] | None:
    if raw is None:
        return None
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise unprocessable(name, f"{name} must be integers")
    return {int(p) for p in parts}


async def list_variants(request: Request) -> Response:
    """`GET /catalog/variants` with BigCommerce's filters and pagination."""
    params = request.query_params
    skus: set[str] | None = None
    if "sku" in params:
        skus = {params["sku"]}
    if "sku:in" in params:
        skus = (skus or set()) | {s.strip() for s in params["sku:in"].split(",")}
    ids = _ids(params.get("id:in", params.get("id")), "id")
    product_ids = _ids(params.get("product_id:in", params.get("product_id")), "product_id")
    page = _positive(request, "page", 1)
    limit = min(_positive(request, "limit", 50), 250)
    matches = [
        variant_json(product, variant)
        for product, variant in sandbox(request).catalog.variants()
        if (skus is None or variant.sku in skus)
        and (ids is None or variant.id in ids)
        and (product_ids is None or product.id in product_ids)
    ]
    shown = matches[(page - 1) * limit : page * limit]
    total_pages = max(1, ceil(len(matches) / limit))
    links = {"current": f"?page={page}&limit={limit}"}
    if page > 1:
        links["previous"] = f"?page={page - 1}&limit={limit}"
    if page < total_pages:
        links["next"] = f"?page={page + 1}&limit={limit}"
    pagination = {
        "total": len(matches),
        "count": len(shown),
        "per_page": limit,
        "current_page": page,
        "total_pages": total_pages,
        "links": links,
    }
    return JSONResponse({"data": shown, "meta": {"pagination": pagination}})


ROUTES = [Route("/stores/{store_hash}/v3/catalog/variants", list_variants, methods=["GET"])]
