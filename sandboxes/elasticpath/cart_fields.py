"""Validation of the cart properties that `POST` and `PUT /v2/carts` accept."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .errors import bad_request, both_discount_settings, invalid_type
from .store import Cart

MAX_CUSTOM_ATTRIBUTES = 20


def _string(data: dict[str, Any], key: str, *, min_length: int = 0) -> str | None:
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, str):
        raise invalid_type("string", value)
    if not min_length <= len(value) <= 255:
        raise bad_request(f"{key} must be between {min_length} and 255 characters",
                          title="length")
    return value


def _flag(settings: Any, key: str, current: bool) -> bool:
    if not isinstance(settings, dict) or key not in settings:
        return current
    value = settings[key]
    if not isinstance(value, bool):
        raise invalid_type("boolean", value)
    return value


# Above the complexity bound: one check per field of the vendor's cart body, all before any is set.
def apply_cart_fields(cart: Cart, data: Any, *, now: datetime) -> None:  # noqa: C901
    """Validate every field first, then set them all, so a refusal changes nothing."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise invalid_type("object", data)
    name = _string(data, "name", min_length=1)
    description = _string(data, "description")
    discounts = data.get("discount_settings")
    if discounts is not None and not isinstance(discounts, dict):
        raise invalid_type("object", discounts)
    custom_enabled = _flag(discounts, "custom_discounts_enabled", cart.custom_discounts_enabled)
    rule_promotions = _flag(discounts, "use_rule_promotions", cart.use_rule_promotions)
    if custom_enabled and rule_promotions:
        raise both_discount_settings()
    inventory = data.get("inventory_settings")
    defer = _flag(inventory, "defer_inventory_check", cart.defer_inventory_check)
    contact = data.get("contact", cart.contact)
    if contact is not None and (
        not isinstance(contact, dict) or not isinstance(contact.get("email", ""), str)
    ):
        raise invalid_type("object", contact)
    if contact is not None and contact.get("email") and cart.customer_ids:
        raise bad_request("Unable to add a contact email to a cart with customers attached.",
                          title="Cannot add contact emails to carts with customers")
    attributes = data.get("custom_attributes", cart.custom_attributes)
    if attributes is not None:
        if not isinstance(attributes, dict):
            raise invalid_type("object", attributes)
        if len(attributes) > MAX_CUSTOM_ATTRIBUTES:
            raise bad_request(f"A cart can have a maximum of {MAX_CUSTOM_ATTRIBUTES} "
                              "custom attributes")
    snapshot = _snapshot_date(cart, data, now=now)
    payment_intent = data.get("payment_intent_id")
    if payment_intent not in (None, ""):
        raise bad_request("payment_intent_id can only be cleared, with an empty value")

    if name is not None:
        cart.name = name
    if description is not None:
        cart.description = description
    cart.custom_discounts_enabled = custom_enabled
    cart.use_rule_promotions = rule_promotions
    cart.defer_inventory_check = defer
    cart.contact = contact
    # Updating custom attributes replaces the whole set, as the spec describes.
    cart.custom_attributes = attributes
    cart.snapshot_date = snapshot
    if payment_intent == "":
        cart.payment_intent_id = None
    cart.touch(now)


def _snapshot_date(cart: Cart, data: dict[str, Any], *, now: datetime) -> str | None:
    if "snapshot_date" not in data:
        return cart.snapshot_date
    value = data["snapshot_date"]
    if not value:
        if cart.snapshot_date is not None:
            raise bad_request("A preview cart cannot be turned back into a regular cart")
        return None
    if not isinstance(value, str):
        raise invalid_type("string", value)
    try:
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise bad_request("snapshot_date must be in the format 2026-02-21T15:07:25Z",
                          title="format") from exc
    if moment <= now:
        raise bad_request("snapshot_date cannot be in the past")
    return value
