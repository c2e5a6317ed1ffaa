"""cartTransfer and cartCompare: swapping vendors and comparing them on the same cart."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from adapters import model
from adapters.errors import CartgateError
from gateway.access.trusted_only import TRUSTED_ONLY
from gateway.graphql import inputs, types
from gateway.graphql.context import gateway_context
from gateway.graphql.error_answers import user_error
from gateway.services.compare import compare, differences
from gateway.services.price_changes import price_changes
from gateway.services.transfer import transfer


def _transfer_warnings(carried_fields: list[str], refused: list[str],
                       source_deleted: bool, prices: list[str],
                       source_changed: bool = False) -> list[types.CartWarning]:
    warnings = [
        types.CartWarning(code=types.CartWarningCode.PRICE_CHANGED, message=message)
        for message in prices
    ]
    warnings += [
        types.CartWarning(code=types.CartWarningCode.NOT_CARRIED,
                          message=f"{name} could not be carried to the other vendor")
        for name in carried_fields
    ]
    warnings.extend(
        types.CartWarning(code=types.CartWarningCode.DISCOUNT_NOT_APPLICABLE,
                          message=f"the other vendor refused the discount code {code}")
        for code in refused
    )
    if source_deleted:
        warnings.append(types.CartWarning(code=types.CartWarningCode.CART_DELETED,
                                          message="the source cart was deleted"))
    if source_changed:
        warnings.append(types.CartWarning(
            code=types.CartWarningCode.SOURCE_CHANGED,
            message="the source cart changed while it was carried, so it was kept"))
    return warnings


@strawberry.type
class VendorMutations:
    """Move a cart between vendors, or price one cart on several."""

    @strawberry.mutation(description="Rebuild the cart on another vendor by SKU",
                         directives=TRUSTED_ONLY)
    async def cart_transfer(
        self, info: Info, cart_id: strawberry.ID, to: types.Backend,
        delete_source: bool | None = False,
    ) -> types.CartTransferPayload:
        ctx = gateway_context(info)
        try:
            source_backend, native = ctx.cart_backend(cart_id, field=("cartId",))
            target = ctx.backend(to, field=("to",))
            if target is source_backend:
                raise inputs.InvalidInput("the cart already lives on that backend",
                                          field=("to",))
            source, carried = await transfer(source_backend, native, target,
                                             delete_source=bool(delete_source))
        except CartgateError as error:
            return types.CartTransferPayload(cart=None, source_cart=None, unmatched_lines=[],
                                             user_errors=[user_error(error)], warnings=[])
        locale = ctx.default_locale
        assert carried.cart is not None
        # Against the source as it was read, also when it has since been deleted.
        prices = list(price_changes(carried.source, carried.cart)) if carried.source else []
        return types.CartTransferPayload(
            cart=types.cart(carried.cart, locale, ctx.line_sets),
            source_cart=types.cart(source, locale, ctx.line_sets) if source else None,
            unmatched_lines=[types.line(line, source_backend.backend, locale)
                             for line in carried.unmatched],
            user_errors=[],
            warnings=_transfer_warnings(carried.not_carried, carried.refused_codes,
                                        source_deleted=source is None, prices=prices,
                                        source_changed=carried.source_changed),
        )

    @strawberry.mutation(description="Price the same cart on each vendor with temporary carts",
                         directives=TRUSTED_ONLY)
    async def cart_compare(
        self, info: Info, input: inputs.CartCreateInput,
        backends: list[types.Backend] | None = None,
    ) -> types.CartComparisonPayload:
        ctx = gateway_context(info)
        chosen: list[model.Backend] = list(dict.fromkeys(backends or list(ctx.backends)))
        try:
            new = inputs.new_cart_command(input, ctx.customer_tokens)
            targets = [ctx.backend(b, field=("backends", str(i))) for i, b in enumerate(chosen)]
        except CartgateError as error:
            return types.CartComparisonPayload(
                results=[types.CartComparisonResult(backend=b, cart=None,
                                                    user_errors=[user_error(error)])
                         for b in chosen],
                differences=[],
            )
        priced = await compare(targets, new)
        locale = ctx.default_locale
        return types.CartComparisonPayload(
            results=[
                types.CartComparisonResult(
                    backend=p.backend,
                    cart=types.cart(p.cart, locale, ctx.line_sets) if p.cart else None,
                    user_errors=[user_error(e) for e in p.errors],
                )
                for p in priced
            ],
            differences=[
                types.CartDifference(path=d.path, values=[
                    types.CartDifferenceValue(backend=b, value=v) for b, v in d.values.items()
                ])
                for d in differences(priced)
            ],
        )
