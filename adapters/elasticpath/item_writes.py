"""Item writes of several steps: adding entries (naming the one refused) and replacing
a cart's promotion codes (undoing this change's own codes when one is refused).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from typing import Any

from adapters import user_messages as messages
from adapters.elasticpath.bodies import Entry, Path, locate
from adapters.elasticpath.client import ElasticPathClient
from adapters.errors import (
    BackendError,
    CartgateError,
    CartUserError,
    InvalidDiscountCode,
    VersionConflict,
)

# Tells a located refusal in the gateway's words (a product that needs options names them).
Teller = Callable[[CartUserError, Entry], Awaitable[CartUserError]]


async def _as_is(error: CartUserError, entry: Entry) -> CartUserError:
    return error


async def add_entries(
    client: ElasticPathClient, cart_id: str, entries: list[Entry], *, currency: str | None,
    tell: Teller = _as_is,
) -> Any:
    """The items answer of the add; None when there was nothing to add."""
    if not entries:
        return None
    try:
        return await client.add_items(cart_id, [e for e, _, _ in entries], currency=currency)
    except VersionConflict:
        raise
    except CartUserError as error:
        if len(entries) == 1:
            raise await tell(locate(error, entries[0]), entries[0]) from None
        found = await first_refused(client, [e for e, _, _ in entries], currency=currency)
        if found is None:
            error.field = (*entries[0][1][:-2], "lines")
            raise error from None
        index, refusal = found
        raise await tell(locate(refusal, entries[index]), entries[index]) from None


async def first_refused(
    client: ElasticPathClient, entries: list[Mapping[str, Any]], *, currency: str | None
) -> tuple[int, CartUserError] | None:
    """The first entry a scratch cart refuses and why; None when none is refused.

    Elastic Path refuses an all-or-nothing bulk add as a whole. The entries are
    bisected on a temporary cart (deleted again): a half it accepts stays there and
    the search goes on past it, a half it refuses holds the first refused entry. About
    log2(n) + 3 calls name it, not one per entry, and the shopper's cart is untouched.
    """
    try:
        scratch = await client.create_cart(
            {"name": "cartgate-check", "description": "temporary; deleted at once"})
        scratch_id = str(scratch["data"]["id"])
    except CartgateError:
        return None
    # entries[:low] are on the scratch cart; the first refused one is in [low, high).
    low, high = 0, len(entries)
    refusal: tuple[int, CartUserError] | None = None  # (entries it covered, why)
    try:
        while high > low and (refusal is None or refusal[0] > 1):
            middle = max(low + 1, (low + high) // 2)
            try:
                await client.add_items(scratch_id, list(entries[low:middle]),
                                     currency=currency)
            except CartUserError as error:
                high, refusal = middle, (middle - low, error)
                continue
            low = middle
            if refusal is not None and high == low + 1:
                refusal = None  # found by elimination: ask for its own reason
    except BackendError:
        return None
    finally:
        with suppress(CartgateError):
            await client.delete_cart(scratch_id)
    return (low, refusal[1]) if refusal is not None else None


async def replace_codes(
    client: ElasticPathClient, cart_id: str, present: Sequence[str], codes: Sequence[str],
    prefix: Path,
) -> bool:
    """Add the missing codes, then drop the stale ones; whether anything was written."""
    have = {code.upper() for code in present}
    added: list[str] = []
    for index, code in enumerate(codes):
        if code.upper() in have:
            continue
        try:
            await client.add_items(
                cart_id, [{"type": "promotion_item", "code": code}], about="promotion")
        except VersionConflict:
            raise
        except CartUserError:
            for done in added:
                with suppress(CartgateError):
                    await client.delete_promotion_code(cart_id, done)
            raise InvalidDiscountCode(messages.code_refused(code),
                                      field=(*prefix, "discountCodes", str(index))) from None
        added.append(code)
        have.add(code.upper())
    wanted = {code.upper() for code in codes}
    stale = [code for code in present if code.upper() not in wanted]
    for code in stale:
        await client.delete_promotion_code(cart_id, code)
    return bool(added or stale)
