"""BigCommerce's eligible promotion banners (``include=promotions.banners``) in the model.

carts.v3.yml draws ``promotions.banners`` as one Banner object; a cart can be eligible
for several promotions, so a list is read as well (tests/conformance/READINGS.md,
bc-promotion-banners-list). Banners the gateway cannot read are left out, not fatal:
they are a display hint, not part of what the shopper pays.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.model import PromotionBanner


def _banner(raw: Any) -> PromotionBanner | None:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("text"), str):
        return None
    pages = raw.get("page")
    return PromotionBanner(
        id=str(raw.get("id") or ""), type=str(raw.get("type") or ""), text=raw["text"],
        pages=tuple(str(p) for p in pages) if isinstance(pages, list) else (),
    )


def promotion_banners(data: Mapping[str, Any]) -> tuple[PromotionBanner, ...]:
    """The banners of a Cart_Full ``data`` object; () when it has none."""
    promotions = data.get("promotions")
    banners = promotions.get("banners") if isinstance(promotions, Mapping) else None
    raw = banners if isinstance(banners, list) else [banners] if banners else []
    return tuple(banner for item in raw if (banner := _banner(item)) is not None)
