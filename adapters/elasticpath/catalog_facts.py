"""What a cart line needs from Elastic Path's shopper catalog, cached per product.

Elastic Path cart items carry neither the commodity type, nor the variation option of a
child product, nor its parent. The shopper catalog (``GET /catalog/products``) has them;
they change rarely, so each product's facts are kept in the catalog cache (this
process's memory, or Redis when configured) for its time to live. A cart read whose
products are all cached costs no catalog call; the missing ones cost one call together.
A product the catalog does not list is remembered as unknown too, so a line whose
product was withdrawn does not cost a call on every read. The cache is asked for every
product of a cart at once (one Redis ``MGET``), and an entry this process's cache hands
back again is not decoded again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.errors import ServiceUnavailable
from adapters.model import SelectedOption
from adapters.shared_state.json_cache import MAX_ENTRIES, JsonCache

# A product's facts are kept this long when no cache is given (CARTGATE_CATALOG_CACHE_TTL):
# a catalog change shows within it.
DEFAULT_TTL = 300.0
# The most ids one catalog request asks for (the catalog's page[limit] maximum).
PAGE = 100


class CatalogSource(Protocol):
    """What reads the shopper catalog: the Elastic Path client."""

    async def catalog_products(self, product_ids: Sequence[str]) -> Any: ...


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What the catalog says about one product."""

    digital: bool
    parent_id: str | None = None
    options: tuple[SelectedOption, ...] = ()
    image_url: str | None = None
    # Minor units per currency of a higher "was" price (a sale's original price).
    was_prices: Mapping[str, int] | None = None
    # A parent's variation names: what a shopper must choose to buy it.
    variation_names: tuple[str, ...] = ()


def _facts(product: Mapping[str, Any], images: Mapping[str, str]) -> ProductFacts:
    attributes = product.get("attributes") or {}
    meta = product.get("meta") or {}
    options = tuple(
        SelectedOption(name=str(v.get("name")), value=str((v.get("option") or {}).get("name")))
        for v in meta.get("child_variations") or [] if isinstance(v, Mapping))
    original = meta.get("original_price")
    was = {str(code): int(price["amount"]) for code, price in original.items()
           if isinstance(price, Mapping) and isinstance(price.get("amount"), int)} \
        if isinstance(original, Mapping) and meta.get("sale_id") else None
    image_ref = ((product.get("relationships") or {}).get("main_image") or {}).get("data")
    image = images.get(str(image_ref.get("id"))) if isinstance(image_ref, Mapping) else None
    return ProductFacts(
        digital=attributes.get("commodity_type") == "digital",
        parent_id=attributes.get("base_product_id") or None,
        options=options,
        image_url=image,
        was_prices=was or None,
        variation_names=tuple(str(v.get("name")) for v in meta.get("variations") or []
                              if isinstance(v, Mapping)),
    )


def _encode(facts: ProductFacts | None) -> dict[str, Any]:
    if facts is None:
        return {}  # a product the catalog does not list
    return {
        "digital": facts.digital, "parent_id": facts.parent_id,
        "options": [[o.name, o.value] for o in facts.options], "image_url": facts.image_url,
        "was_prices": dict(facts.was_prices) if facts.was_prices else None,
        "variation_names": list(facts.variation_names),
    }


def _decode(data: dict[str, Any]) -> ProductFacts | None:
    if not data:
        return None
    return ProductFacts(
        digital=data["digital"], parent_id=data["parent_id"],
        options=tuple(SelectedOption(name=n, value=v) for n, v in data["options"]),
        image_url=data["image_url"], was_prices=data["was_prices"],
        variation_names=tuple(data["variation_names"]))


class CatalogFacts:
    """Products' facts from the shopper catalog, through the catalog cache."""

    def __init__(self, source: CatalogSource, cache: JsonCache) -> None:
        self._source = source
        self._cache = cache
        self.ttl = cache.ttl
        self.hits = 0
        self.misses = 0
        # Each product's last cache entry and its facts: this process's cache hands back
        # the very entry it holds, so its facts are built once while it stays.
        self._decoded: OrderedDict[str, tuple[Any, ProductFacts | None]] = OrderedDict()

    async def facts(self, product_ids: Sequence[str]) -> dict[str, ProductFacts]:
        """The facts of every product the catalog lists, by id; the others are absent."""
        wanted = list(dict.fromkeys(product_ids))
        cached = await self._cache.get_many([f"product:{p}" for p in wanted]) if wanted else []
        found: dict[str, ProductFacts] = {}
        missing: list[str] = []
        for product_id, raw in zip(wanted, cached, strict=True):
            try:
                decoded = self._decoded_entry(product_id, raw) if isinstance(raw, dict) else None
            except (KeyError, TypeError, ValueError):
                raw = None  # not an entry this gateway wrote: asked for again
            if not isinstance(raw, dict):
                missing.append(product_id)
            elif decoded is not None:
                found[product_id] = decoded
        self.hits += len(wanted) - len(missing)
        self.misses += len(missing)
        for start in range(0, len(missing), PAGE):
            chunk = missing[start:start + PAGE]
            fetched = self._parse(await self._source.catalog_products(chunk))
            for product_id in chunk:
                facts = fetched.get(product_id)
                await self._cache.put(f"product:{product_id}", _encode(facts))
                if facts is not None:
                    found[product_id] = facts
        return found

    def _decoded_entry(self, product_id: str, raw: dict[str, Any]) -> ProductFacts | None:
        kept = self._decoded.get(product_id)
        if kept is not None and kept[0] is raw:
            self._decoded.move_to_end(product_id)
            return kept[1]
        facts = _decode(raw)
        self._decoded[product_id] = (raw, facts)
        self._decoded.move_to_end(product_id)
        while len(self._decoded) > MAX_ENTRIES:
            self._decoded.popitem(last=False)
        return facts

    @staticmethod
    def _parse(payload: Any) -> dict[str, ProductFacts]:
        try:
            return _products(payload)
        except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise ServiceUnavailable("Elastic Path answered a catalog read the gateway cannot "
                                     f"read ({exc.__class__.__name__})") from exc


def _products(payload: Any) -> dict[str, ProductFacts]:
    """The facts of each product of a catalog answer, by id; a broken answer raises."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("data"), list):
        return {}
    included = payload.get("included") or {}
    images = {str(i.get("id")): str((i.get("link") or {}).get("href"))
              for i in included.get("main_images") or []
              if isinstance(i, Mapping) and (i.get("link") or {}).get("href")}
    return {str(p["id"]): _facts(p, images) for p in payload["data"]
            if isinstance(p, Mapping) and p.get("id")}
