"""The shopper catalog (catalog_view.yaml): ``GET /catalog/products`` and
``GET /catalog/products/{product_id}``, served from the seed catalog.

What the gateway reads here and a cart item does not carry: a product's
``commodity_type``, its parent (``attributes.base_product_id``,
``relationships.parent``) and the variation option that defines a child
(``meta.child_variations``); a parent lists its variations (``meta.variations``) and
children. ``filter=in(id,...)`` and ``eq(id,...)``/``eq(sku,...)`` select products;
``page[limit]`` and ``page[offset]`` page them; ``include=main_image`` adds the images.
Catalog errors carry ``status`` as a string, as the document shows.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .catalog import Parent, Product
from .context import base_url, sandbox
from .currencies import CURRENCIES

Json = dict[str, Any]
_FILTER = re.compile(r"^(in|eq)\((id|sku),([^()]*)\)$")
MAX_LIMIT = 100


def _error(status: int, title: str, detail: str) -> JSONResponse:
    return JSONResponse({"errors": [{"status": str(status), "title": title, "detail": detail}]},
                        status_code=status)


def _prices(prices: dict[str, int], includes_tax: bool) -> Json:
    return {code: {"amount": amount, "includes_tax": includes_tax}
            for code, amount in prices.items()}


def _display(prices: dict[str, int], currency: str) -> Json:
    amount = prices.get(currency)
    if amount is None:
        return {}
    shown = {"amount": amount, "currency": currency,
             "formatted": CURRENCIES[currency].formatted(amount)}
    return {"without_tax": shown, "with_tax": shown}


def _image(product_id: str) -> Json:
    return {"data": {"type": "main_image", "id": product_id}}


def product_json(product: Product, *, currency: str) -> Json:
    attributes: Json = {
        "name": product.name, "sku": product.sku, "slug": product.slug,
        "description": product.description, "commodity_type": product.commodity_type,
        "status": "live", "base_product": False,
        "price": _prices(product.prices, product.includes_tax),
    }
    meta: Json = {"catalog_source": "pim", "display_price": _display(product.prices, currency),
                  "product_types": ["child" if product.parent_id else "standard"]}
    relationships: Json = {"main_image": _image(product.id)}
    if product.parent_id and product.variation:
        variation_id, name, option_id, option = product.variation
        attributes["base_product_id"] = product.parent_id
        relationships["parent"] = {"data": {"id": product.parent_id, "type": "product"}}
        meta["child_variations"] = [{"id": variation_id, "name": name,
                                     "option": {"id": option_id, "name": option,
                                                "description": option}}]
    return {"id": product.id, "type": "product", "attributes": attributes,
            "relationships": relationships, "meta": meta}


def parent_json(parent: Parent) -> Json:
    return {
        "id": parent.id, "type": "product",
        "attributes": {"name": parent.name, "sku": parent.sku, "slug": parent.slug,
                       "commodity_type": parent.commodity_type, "status": "live",
                       "base_product": True},
        "relationships": {
            "main_image": _image(parent.id),
            "children": {"data": [{"id": child, "type": "product"}
                                  for _, _, child in parent.options]},
        },
        "meta": {
            "catalog_source": "pim", "product_types": ["parent"],
            "variations": [{"id": parent.variation_id, "name": parent.variation_name,
                            "options": [{"id": oid, "name": name, "description": name}
                                        for oid, name, _ in parent.options]}],
        },
    }


def _main_image(product_id: str, href: str) -> Json:
    return {"id": product_id, "type": "file", "file_name": href.rsplit("/", 1)[-1],
            "mime_type": "image/jpeg", "link": {"href": href}}


def _entries(request: Request) -> list[tuple[Json, str]]:
    state = sandbox(request)
    currency = request.headers.get("x-moltin-currency", "USD").upper()
    entries = [(product_json(p, currency=currency), p.image_href)
               for p in state.catalog.products()]
    entries += [(parent_json(p), p.image_href) for p in state.catalog.parents()]
    return entries


def _page(request: Request, name: str, default: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    return int(raw) if raw.isdigit() else None


async def list_products(request: Request) -> Response:
    entries = _entries(request)
    raw_filter = request.query_params.get("filter")
    if raw_filter is not None:
        match = _FILTER.match(raw_filter.strip())
        if match is None:
            return _error(400, "Bad Request", f"unsupported filter {raw_filter!r}")
        operator, field, values = match.groups()
        wanted = {v.strip() for v in values.split(",")} if operator == "in" else {values.strip()}
        entries = [e for e in entries
                   if (e[0]["id"] if field == "id" else e[0]["attributes"]["sku"]) in wanted]
    limit, offset = _page(request, "page[limit]", 25), _page(request, "page[offset]", 0)
    if limit is None or offset is None or not 1 <= limit <= MAX_LIMIT:
        return _error(400, "Bad Request", f"page[limit] is 1 to {MAX_LIMIT}, page[offset] >= 0")
    shown = entries[offset:offset + limit]
    body: Json = {
        "data": [product for product, _ in shown],
        "meta": {"results": {"total": len(entries)},
                 "page": {"limit": limit, "offset": offset, "current": offset // limit + 1,
                          "total": len(entries)}},
        "links": {"self": f"{base_url(request)}/catalog/products"},
    }
    if "main_image" in request.query_params.get("include", ""):
        body["included"] = {"main_images": [_main_image(p["id"], href) for p, href in shown]}
    return JSONResponse(body)


async def get_product(request: Request) -> Response:
    product_id = request.path_params["product_id"]
    for product, href in _entries(request):
        if product["id"] == product_id:
            body: Json = {"data": product,
                          "links": {"self": f"{base_url(request)}/catalog/products/{product_id}"}}
            if "main_image" in request.query_params.get("include", ""):
                body["included"] = {"main_images": [_main_image(product_id, href)]}
            return JSONResponse(body)
    return _error(404, "Not Found", "No product found")


ROUTES = [
    Route("/catalog/products", list_products, methods=["GET"]),
    Route("/catalog/products/{product_id}", get_product, methods=["GET"]),
]
