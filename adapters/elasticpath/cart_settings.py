"""Elastic Path's per-cart settings (``snapshot_date``, ``inventory_settings``,
``discount_settings``, ``payment_intent_id``) from a cart and into an update body.

A cart may not have custom discounts and rule promotions on at once (the vendor answers
400), so that is refused before any call, over the cart's current settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from adapters.errors import InvalidInput
from adapters.model import CartSettings, CartSettingsChange

Path = tuple[str, ...]
SNAPSHOT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _flag(section: Any, key: str) -> bool:
    return isinstance(section, Mapping) and section.get(key) is True


def _snapshot(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def settings_of(data: Mapping[str, Any]) -> CartSettings:
    """The settings a cart resource shows."""
    discounts = data.get("discount_settings")
    return CartSettings(
        snapshot_at=_snapshot(data.get("snapshot_date")),
        defer_inventory_checks=_flag(data.get("inventory_settings"), "defer_inventory_check"),
        custom_discounts_enabled=_flag(discounts, "custom_discounts_enabled"),
        use_rule_promotions=_flag(discounts, "use_rule_promotions"),
    )


def settings_body(current: CartSettings, change: CartSettingsChange | None,
                  prefix: Path) -> dict[str, Any]:
    """The update-body fields for the settings that change; {} when none does."""
    if change is None:
        return {}
    body: dict[str, Any] = {}
    if change.snapshot_at is not None and change.snapshot_at != current.snapshot_at:
        body["snapshot_date"] = change.snapshot_at.astimezone(UTC).strftime(SNAPSHOT_FORMAT)
    if change.defer_inventory_checks not in (None, current.defer_inventory_checks):
        body["inventory_settings"] = {"defer_inventory_check": change.defer_inventory_checks}
    custom = (current.custom_discounts_enabled if change.custom_discounts_enabled is None
              else change.custom_discounts_enabled)
    rules = (current.use_rule_promotions if change.use_rule_promotions is None
             else change.use_rule_promotions)
    if custom and rules:
        raise InvalidInput("Elastic Path cannot use custom discounts and rule promotions on one "
                           "cart", field=(*prefix, "discountSettings"))
    if (custom, rules) != (current.custom_discounts_enabled, current.use_rule_promotions):
        body["discount_settings"] = {"custom_discounts_enabled": custom,
                                     "use_rule_promotions": rules}
    if change.clear_payment_intent:
        body["payment_intent_id"] = ""
    return body
