"""Elastic Path's error envelope: `{"errors": [{"status", "title", "detail"}]}`."""

from __future__ import annotations

from typing import Any

from sandboxes.faults import ErrorStyle
from sandboxes.json_answers import JSONResponse


class ApiError(Exception):
    """An error the sandbox answers with, in Elastic Path's envelope."""

    def __init__(
        self, status: int, title: str, detail: str, *, meta: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.title = title
        self.detail = detail
        self.meta = meta

    def body(self) -> dict[str, Any]:
        """The error as one entry of the `errors` array."""
        entry: dict[str, Any] = {"status": self.status, "title": self.title, "detail": self.detail}
        if self.meta is not None:
            entry["meta"] = self.meta
        return entry

    def response(self) -> JSONResponse:
        """The whole error response."""
        return JSONResponse({"errors": [self.body()]}, status_code=self.status)


def bad_request(detail: str, *, title: str = "Bad Request") -> ApiError:
    """A 400 validation failure."""
    return ApiError(400, title, detail)


def invalid_type(expected: str, given: object) -> ApiError:
    """The 400 that Elastic Path returns for a field of the wrong JSON type."""
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
             dict: "object", type(None): "null"}
    return ApiError(
        400, "invalid_type",
        f"Invalid type. Expected: {expected}, given: {names.get(type(given), 'number')}",
    )


def item_not_found(item_id: str) -> ApiError:
    """A cart item id that is not in the cart."""
    return ApiError(404, "Not Found", "Item was not found in the cart", meta={"id": item_id})


def product_not_found(ref: str) -> ApiError:
    """A product id or sku that is not in the catalog."""
    return ApiError(404, "Product not found", "The requested product could not be found",
                    meta={"id": ref})


def parent_product(ref: str) -> ApiError:
    """A parent product: only its child products can be bought. The cart spec documents no
    answer for it; the sandbox refuses it as invalid input, naming the product.
    """
    return ApiError(400, "Parent product", "A parent product cannot be added to a cart; "
                    "add one of its child products", meta={"id": ref})


def promotion_not_found(code: str) -> ApiError:
    """A promotion code that unlocks nothing."""
    return ApiError(404, "Not Found", "No promotion could be found with the given code.",
                    meta={"code": code})


def both_discount_settings() -> ApiError:
    """Custom discounts and rule promotions cannot both be on."""
    return ApiError(422, "Cannot use both discounts together",
                    "Only one discount setting can be set to true at a time.")


def _fault_body(status: int, title: str, detail: str) -> object:
    return {"errors": [ApiError(status, title, detail).body()]}


ERROR_STYLE = ErrorStyle(
    body=_fault_body,
    rate_limit_headers={},  # Elastic Path sends Retry-After only when the plan says so
    required_fields=frozenset({"id", "meta", "unit_price", "value"}),
)
