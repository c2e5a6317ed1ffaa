"""The id of the request being served, so every vendor call made for it carries it.

The gateway sets it once per incoming request; ``adapters/http.py`` sends it to the
vendors as ``X-Request-ID``, and log lines carry it, so one id follows a request from
the storefront through the gateway's logs to the vendor's.
"""

from __future__ import annotations

from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"

# None outside a request (readiness probes from a lifespan, tests calling adapters).
request_id: ContextVar[str | None] = ContextVar("cartgate_request_id", default=None)

# Whether the operation being served shows the cart's attributes or note. A vendor that
# keeps them apart from the cart (BigCommerce's metafields) reads them only then, so an
# operation that does not select them costs no extra vendor call. True outside a request.
attributes_wanted: ContextVar[bool] = ContextVar("cartgate_attributes_wanted", default=True)
