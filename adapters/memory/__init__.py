"""An in-memory vendor: carts in a dict, priced from a small catalog (see adapter.py)."""

from adapters.memory.adapter import MemoryBackend
from adapters.memory.catalog import DEFAULT_CATALOG, Catalog, DiscountRule, Product, Variant

__all__ = ["DEFAULT_CATALOG", "Catalog", "DiscountRule", "MemoryBackend", "Product", "Variant"]
