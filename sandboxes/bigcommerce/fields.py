"""Typed readers for JSON request bodies: a wrong type or a missing field is a 422."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import simplejson

from .errors import bad_request, unprocessable


def decode_body(raw: bytes, *, required: bool) -> dict[str, Any]:
    """Decode a JSON object body (numbers as Decimal); an optional empty body reads as {}."""
    if not raw.strip():
        if required:
            raise bad_request("Request body is required")
        return {}
    try:
        body = simplejson.loads(raw, use_decimal=True)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request("Syntax error") from exc
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    return body


def integer(value: Any, field: str, *, minimum: int | None = None) -> int:
    """An integer (2.0 counts); bools do not."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise unprocessable(field, f"{field} must be an integer")
    if minimum is not None and value < minimum:
        raise unprocessable(field, f"{field} must be at least {minimum}")
    return value


def amount(value: Any, field: str) -> Decimal:
    """A finite, non-negative number as Decimal."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise unprocessable(field, f"{field} must be a non-negative number")
    return value


def text(value: Any, field: str) -> str:
    """A string."""
    if not isinstance(value, str):
        raise unprocessable(field, f"{field} must be a string")
    return value


def obj(value: Any, field: str) -> dict[str, Any]:
    """A JSON object."""
    if not isinstance(value, dict):
        raise unprocessable(field, f"{field} must be an object")
    return value


def path(prefix: str, key: str) -> str:
    """The dotted name of a field, for error bodies."""
    return f"{prefix}.{key}" if prefix else key


def required(body: dict[str, Any], key: str, prefix: str) -> Any:
    """A field that must be present and not null."""
    if body.get(key) is None:
        raise unprocessable(path(prefix, key), f"{path(prefix, key)} is required")
    return body[key]


def req_int(body: dict[str, Any], key: str, prefix: str, *, minimum: int | None = None) -> int:
    """A required integer field."""
    return integer(required(body, key, prefix), path(prefix, key), minimum=minimum)


def opt_int(
    body: dict[str, Any], key: str, prefix: str, *, minimum: int | None = None
) -> int | None:
    """An optional integer field."""
    if body.get(key) is None:
        return None
    return integer(body[key], path(prefix, key), minimum=minimum)


def req_amount(body: dict[str, Any], key: str, prefix: str) -> Decimal:
    """A required amount field."""
    return amount(required(body, key, prefix), path(prefix, key))


def opt_amount(body: dict[str, Any], key: str, prefix: str) -> Decimal | None:
    """An optional amount field."""
    return None if body.get(key) is None else amount(body[key], path(prefix, key))


def req_text(body: dict[str, Any], key: str, prefix: str) -> str:
    """A required string field."""
    return text(required(body, key, prefix), path(prefix, key))


def opt_text(body: dict[str, Any], key: str, prefix: str) -> str | None:
    """An optional string field."""
    return None if body.get(key) is None else text(body[key], path(prefix, key))


def array(body: dict[str, Any], key: str) -> list[Any]:
    """An optional array field, [] when absent."""
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise unprocessable(key, f"{key} must be an array")
    return value


def parse_version(body: dict[str, Any]) -> int | None:
    """The optional `version` for optimistic concurrency control."""
    return opt_int(body, "version", "")
