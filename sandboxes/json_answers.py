"""The JSON answers of both sandboxes: Decimals as exact JSON numbers, as a vendor sends them.

Request bodies are parsed with ``parse_float=Decimal``, so a float a client sent (in
Elastic Path's ``custom_attributes`` or ``custom_inputs``, say) is stored as a Decimal
and must be answered as the same number, never refused by the encoder.
"""

from __future__ import annotations

from typing import Any

import simplejson
from starlette.responses import Response


class JSONResponse(Response):
    """Compact JSON, as the vendors send it, rendered by simplejson so Decimal amounts
    become numbers without a float.
    """

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Encode the content, Decimals as exact JSON numbers."""
        text: str = simplejson.dumps(content, use_decimal=True, ensure_ascii=False,
                                    separators=(",", ":"))
        return text.encode("utf-8")
