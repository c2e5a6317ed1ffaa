"""CartPayload building: a mutation's cart, its userErrors and its warnings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from adapters import model
from adapters.errors import CartgateError
from gateway.graphql import types
from gateway.graphql.context import GatewayContext
from gateway.graphql.error_answers import user_error


def cart_warnings(cart: model.Cart | None, *, deleted_ok: bool) -> list[types.CartWarning]:
    warnings = []
    if cart is None and deleted_ok:
        warnings.append(types.CartWarning(
            code=types.CartWarningCode.CART_DELETED,
            message="the backend deleted the cart when its last line was removed",
        ))
    for code in cart.discount_codes if cart else ():
        if not code.applicable:
            warnings.append(types.CartWarning(
                code=types.CartWarningCode.DISCOUNT_NOT_APPLICABLE,
                message=f"the discount code {code.code} does not apply to this cart",
            ))
    return warnings


async def cart_payload(
    ctx: GatewayContext, action: Callable[[], Awaitable[model.Cart | None]]
) -> types.CartPayload:
    """Run one cart mutation; domain errors become userErrors, never exceptions."""
    try:
        cart = await action()
    except CartgateError as error:
        # A conflict, or a change that failed part-way, shows the cart as it is now.
        current = (types.cart(error.current, ctx.default_locale, ctx.line_sets)
                   if error.current else None)
        return types.CartPayload(cart=current, user_errors=[user_error(error)], warnings=[])
    return types.CartPayload(
        cart=types.cart(cart, ctx.default_locale, ctx.line_sets) if cart else None,
        user_errors=[],
        warnings=cart_warnings(cart, deleted_ok=True),
    )
