"""SKUs to BigCommerce variant ids, through the catalog cache.

BigCommerce's cart API takes product and variant ids, never a SKU, so a line by SKU
needs ``GET /v3/catalog/variants?sku=`` first: one sequential vendor call on every
add-to-cart. The ids a SKU names change rarely, so they are remembered in a
``JsonCache`` (in this process, or in Redis for every process) for its time to live.
An unknown SKU is never remembered. A write that refuses remembered ids (the variant
was deleted since) changed nothing, so the SKUs are resolved again and it is sent once
more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

from adapters.bigcommerce.bodies import line_bodies
from adapters.bigcommerce.client import BigCommerceClient
from adapters.errors import (
    InvalidInput,
    MerchandiseNotFound,
    NeedsOptions,
    ServiceUnavailable,
    UnsupportedCurrency,
)
from adapters.model import CustomLineToAdd, LineToAdd
from adapters.request_budget import once_per_request
from adapters.shared_state.json_cache import JsonCache

# What a write refuses when a remembered variant no longer exists; a refused currency or
# a product that needs options says nothing of the variant, so it costs no second try.
_STALE_VARIANT = (MerchandiseNotFound, InvalidInput)
_NOT_STALE = (UnsupportedCurrency, NeedsOptions)
_T = TypeVar("_T")


def sku_key(sku: str) -> str:
    """The catalog cache's key for a SKU's variant."""
    return "variant-by-sku:" + sku


class SkuResolver:
    """Line bodies for SKUs, from the cache or the catalog API."""

    def __init__(self, client: BigCommerceClient, cache: JsonCache) -> None:
        self._client = client
        self._cache = cache

    async def send(
        self,
        lines: Sequence[LineToAdd],
        custom_lines: Sequence[CustomLineToAdd],
        prefix: tuple[str, ...],
        write: Callable[[dict[str, Any]], Awaitable[Any]],
    ) -> Any:
        """``write`` the body for these lines; once more with fresh ids when it refuses
        remembered ones.
        """
        skus = sorted({line.sku for line in lines if line.product_id is None and line.sku})
        by_sku, remembered = await self._variants(skus)
        try:
            return await write(line_bodies(lines, custom_lines, prefix, by_sku))
        except _STALE_VARIANT as error:
            if not remembered or isinstance(error, _NOT_STALE):
                raise
        for sku in remembered:
            await self._cache.evict(sku_key(sku))
        by_sku, _ = await self._variants(skus)
        return await write(line_bodies(lines, custom_lines, prefix, by_sku))

    async def _variants(
        self, skus: Sequence[str]
    ) -> tuple[dict[str, Mapping[str, Any]], list[str]]:
        """Each SKU's variant ids, and which came from the cache; the SKUs not cached
        are looked up all at the same time.
        """
        cached = await _at_once([self._cache.get(sku_key(sku)) for sku in skus])
        by_sku: dict[str, Mapping[str, Any]] = {
            sku: entry for sku, entry in zip(skus, cached, strict=True)
            if isinstance(entry, dict) and _ids(entry)
        }
        remembered = list(by_sku)
        missing = [sku for sku in skus if sku not in by_sku]
        # Aliased fields of one request naming the same SKUs look each up once.
        found = await _at_once([once_per_request(
            ("bigcommerce-sku", id(self), sku), partial(self._client.variants_by_sku, sku))
            for sku in missing])
        for sku, variants in zip(missing, found, strict=True):
            if not isinstance(variants, list | None):
                raise ServiceUnavailable("BigCommerce answered a variant look-up without a list")
            match = next((v for v in variants or []
                          if isinstance(v, Mapping) and v.get("sku") == sku), None)
            if match is None:
                continue
            entry = {"id": match.get("id"), "product_id": match.get("product_id")}
            if not _ids(entry):  # never sent on in the write that needs them
                raise ServiceUnavailable("BigCommerce answered a variant look-up without its ids")
            by_sku[sku] = match
            await self._cache.put(sku_key(sku), entry)
        return by_sku, remembered


async def _at_once(calls: list[Awaitable[_T]]) -> list[_T]:
    """Every call's answer, the calls made at the same time; a single call is awaited as
    it is, with no task (most adds name one SKU).
    """
    if len(calls) <= 1:
        return [await call for call in calls]
    return list(await asyncio.gather(*calls))


def _ids(entry: Mapping[str, Any]) -> bool:
    return all(isinstance(entry.get(key), int) and not isinstance(entry.get(key), bool)
               for key in ("id", "product_id"))
