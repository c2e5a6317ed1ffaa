"""A GraphQL answer flattened to ``path -> value``, so two vendors' answers compare field
by field.

Vendor ids (cart, lines, products), versions, timestamps and the backend's own name are
not comparable between vendors: they are kept only as present or absent. Lines are keyed
by SKU (their order is the vendor's), discount allocations by kind and code.
"""

from __future__ import annotations

from typing import Any

# Fields whose value is the vendor's own; only whether they are set is compared.
OPAQUE = {"id", "version", "createdAt", "updatedAt", "productId", "variantId", "checkoutUrl",
          "deletedCartId"}
SKIPPED = {"backend"}


def _key(item: Any, index: int) -> str:
    if isinstance(item, dict):
        if item.get("sku") is not None:
            return f"sku={item['sku']}"
        if "kind" in item and "discountedAmount" in item:
            return f"{item['kind']}:{item.get('code')}"
        if "code" in item and "applicable" in item:
            return f"code={item['code']}"
    return str(index)


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Every leaf of an answer under a path such as ``cart.lines[sku=MUG-ORBIT].quantity``."""
    flat: dict[str, Any] = {}
    if isinstance(value, dict):
        for name, inner in value.items():
            if name in SKIPPED:
                continue
            at = f"{path}.{name}" if path else name
            if name in OPAQUE:
                flat[at] = "<set>" if inner is not None else None
            else:
                flat.update(flatten(inner, at))
    elif isinstance(value, list):
        if not value:
            flat[path] = "[]"
        for index, item in enumerate(value):
            flat.update(flatten(item, f"{path}[{_key(item, index)}]"))
    else:
        flat[path] = value
    return flat


def differences(left: dict[str, Any], right: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``path -> (left value, right value)`` wherever the two flat answers differ."""
    paths = sorted(left.keys() | right.keys())
    return {p: (left.get(p), right.get(p)) for p in paths if left.get(p) != right.get(p)}
