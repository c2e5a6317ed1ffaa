"""BigCommerce error bodies, raised as ApiError and rendered by the app.

Shapes follow the specs' ErrorResponse (status, title, type, plus `errors` for
validation failures and `detail` for malformed input):

- 400 malformed JSON or a body that is not an object (the spec's "Input is invalid"
  example), an unsupported currency (the carts spec: "Passing a non-transactional
  display currency will result in a `400` error") and a coupon code the store does
  not have or that gives nothing on this cart. The checkouts spec documents no error
  response for coupons at all; BigCommerce answers an invalid coupon with 400, so
  the sandbox does too.
- 401 missing or wrong X-Auth-Token, or a store hash the token does not belong to.
- 404 unknown or expired cart, unknown line item, unknown route.
- 409 the body's `version` differs from the cart's (CartConflictErrorResponse).
- 422 well-formed JSON that fails validation, or names a product, variant or option
  the catalog does not have.
"""

from __future__ import annotations

from typing import Any

from sandboxes.faults import ErrorStyle

STATUS_CODES_URL = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
CONFLICT_TITLE = (
    "The request cannot be processed due to a possible conflict. "
    "Please review the changes and try again."
)


class ApiError(Exception):
    """An error answer: its HTTP status and BigCommerce error body."""

    def __init__(
        self,
        status: int,
        title: str,
        *,
        detail: str | None = None,
        errors: dict[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """The JSON body BigCommerce sends with this status."""
        body: dict[str, Any] = {"status": self.status, "title": self.title}
        body["type"] = STATUS_CODES_URL
        if self.detail is not None:
            body["detail"] = self.detail
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def bad_request(detail: str, title: str = "Input is invalid") -> ApiError:
    """A 400 for a body that cannot be read at all."""
    return ApiError(400, title, detail=detail)


def unauthorized() -> ApiError:
    """A 401 for missing or invalid credentials."""
    return ApiError(401, "No valid credentials were found in this request.")


def not_found(title: str) -> ApiError:
    """A 404 for a resource that does not exist (NotFound schema)."""
    return ApiError(404, title)


def conflict() -> ApiError:
    """A 409 for a stale `version` (CartConflictErrorResponse)."""
    return ApiError(409, CONFLICT_TITLE)


def unprocessable(field: str, message: str) -> ApiError:
    """A 422 naming the offending field of the request body."""
    return ApiError(422, message, errors={field: message})


def _fault_body(status: int, title: str, detail: str) -> object:
    return ApiError(status, title).body()


ERROR_STYLE = ErrorStyle(
    body=_fault_body,
    # The Plus and Standard plans' quota: 150 requests a 30-second window, none left.
    rate_limit_headers={
        "X-Rate-Limit-Time-Reset-Ms": "1500",
        "X-Rate-Limit-Time-Window-Ms": "30000",
        "X-Rate-Limit-Requests-Left": "0",
        "X-Rate-Limit-Requests-Quota": "150",
    },
    required_fields=frozenset({"id", "currency", "base_amount", "discount_amount",
                               "cart_amount"}),
)
