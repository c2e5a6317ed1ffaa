"""A BigCommerce cart read, mapped once per distinct answer.

BigCommerce answers every read that includes ``redirect_urls`` with fresh single-use
links (a new token each time), so two reads of an unchanged cart differ in those bytes
alone. The cart is remembered by the answer without its ``redirect_urls`` object, and
the links are taken from each answer: a read never shows another read's checkout link.
"""

from __future__ import annotations

import dataclasses
import json
import re

import httpx

from adapters.answer_memo import AnswerMemo
from adapters.bigcommerce.client import data_of
from adapters.bigcommerce.mapping import to_cart
from adapters.errors import ServiceUnavailable
from adapters.model import Cart

# The object holds only URL strings, so it has no braces inside. JSON escapes every quote
# inside a string, so this can only match the key itself.
_REDIRECT_URLS = re.compile(rb'"redirect_urls"\s*:\s*(\{[^{}]*\})')


def read_cart(answer: httpx.Response, memo: AnswerMemo[Cart]) -> Cart:
    """The cart of a read's answer, built afresh only when its content is new."""
    body = answer.content
    matches = list(_REDIRECT_URLS.finditer(body))
    if len(matches) != 1:
        return memo.recall(body, lambda: to_cart(data_of(answer), memo.lines))
    match = matches[0]
    try:
        links = json.loads(match.group(1))
    except ValueError:
        links = None
    if not isinstance(links, dict):
        return to_cart(data_of(answer), memo.lines)
    content = body[: match.start()] + body[match.end():]
    cart = memo.recall(content, lambda: to_cart(data_of(answer), memo.lines))
    checkout_url = links.get("checkout_url")
    if not isinstance(checkout_url, str | None):
        raise ServiceUnavailable("BigCommerce answered with a checkout link that is not text")
    if cart.checkout_url == checkout_url:
        return cart
    # The same lines and amounts, this answer's link.
    return dataclasses.replace(cart, checkout_url=checkout_url)
