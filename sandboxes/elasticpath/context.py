"""What every route shares: the sandbox's state, request bodies and priced cart views."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.requests import Request

from .auth import TokenIssuer
from .catalog import Catalog
from .currencies import CURRENCIES, DEFAULT_CURRENCY
from .errors import ApiError, bad_request
from .pricing import PricedCart, price_cart
from .store import Cart, CartSettings, CartStore, new_cart


@dataclass(slots=True)
class SandboxState:
    """One sandbox store: catalog, carts, cart settings, tokens and the clock."""

    catalog: Catalog
    carts: CartStore
    settings: CartSettings
    tokens: TokenIssuer
    clock: Callable[[], datetime]


def sandbox(request: Request) -> SandboxState:
    """The state of the app serving this request."""
    state: SandboxState = request.app.state.sandbox
    return state


def base_url(request: Request) -> str:
    """Scheme and host the client used, for `links`."""
    return str(request.base_url).rstrip("/")


async def read_json(request: Request) -> dict[str, Any]:
    """The JSON object body (empty when there is none); floats stay Decimal, never float."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_float=Decimal)
    except ValueError as exc:
        raise bad_request("The request body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    return body


def data_of(body: dict[str, Any]) -> Any:
    """The body's `data` member, which these endpoints require."""
    if "data" not in body:
        raise bad_request("data is required", title="required")
    return body["data"]


def price(state: SandboxState, cart: Cart, *, currency_header: str | None = None) -> PricedCart:
    """Price a cart in its currency (an empty cart in the requested or default one)."""
    currency = cart.currency
    if currency is None:
        wanted = (currency_header or "").upper()
        currency = wanted if wanted in CURRENCIES else DEFAULT_CURRENCY.code
    return price_cart(cart, catalog=state.catalog, currency=currency)


def existing_or_empty(state: SandboxState, cart_id: str) -> Cart:
    """The live cart, or a new empty one that is only saved if a write succeeds."""
    now = state.clock()
    cart = state.carts.get(cart_id, now)
    if cart is None:
        cart = new_cart(cart_id, settings=state.settings, now=now)
    return cart


def existing(state: SandboxState, cart_id: str) -> Cart:
    """The live cart, or a 404 for writes that need one to exist."""
    cart = state.carts.get(cart_id, state.clock())
    if cart is None:
        raise ApiError(404, "Not Found", "The cart could not be found", meta={"cart_id": cart_id})
    return cart


def includes(request: Request) -> set[str]:
    """The `include` query values, comma-separated or repeated."""
    values = request.query_params.getlist("include")
    return {part.strip() for v in values for part in v.split(",") if part.strip()}
