"""Gift certificate lines: the ``gift_certificates`` of a BigCommerce cart write, checked
before any call as carts.v3.yml bounds them, and the card of a gift certificate item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from adapters.errors import InvalidInput
from adapters.model import Contact, GiftCertificate, GiftCertificateToAdd

# LineItemGiftCertificateRequestData: the theme enum and the amount's bounds (in the
# store's default currency).
THEMES = ("Birthday", "Boy", "Celebration", "Christmas", "General", "Girl")
LOWEST, HIGHEST = Decimal(1), Decimal(1000)


def gift_certificate_bodies(
    certificates: Sequence[GiftCertificateToAdd], prefix: tuple[str, ...]
) -> dict[str, Any]:
    """``{"gift_certificates": [...]}`` for a cart write, or {} when there are none."""
    bodies = []
    for index, certificate in enumerate(certificates):
        at = (*prefix, "giftCertificates", str(index))
        card = certificate.card
        if card.theme not in THEMES:
            raise InvalidInput(f"a BigCommerce gift certificate theme is one of "
                               f"{', '.join(THEMES)}", field=(*at, "theme"))
        if not LOWEST <= certificate.amount <= HIGHEST:
            raise InvalidInput(f"a BigCommerce gift certificate is worth {LOWEST} to {HIGHEST}",
                               field=(*at, "amount"))
        body: dict[str, Any] = {
            "name": certificate.name, "theme": card.theme, "amount": certificate.amount,
            "quantity": certificate.quantity,
            "sender": {"name": card.sender.name, "email": card.sender.email},
            "recipient": {"name": card.recipient.name, "email": card.recipient.email},
        }
        if card.message:
            body["message"] = card.message
        bodies.append(body)
    return {"gift_certificates": bodies} if bodies else {}


def _contact(raw: Any) -> Contact:
    raw = raw if isinstance(raw, Mapping) else {}
    return Contact(name=str(raw.get("name") or ""), email=str(raw.get("email") or ""))


def card_of(item: Mapping[str, Any]) -> GiftCertificate:
    """The card of an ``ItemGiftCertificateGet``."""
    # Theme and message as answered (null and "" read as none): checked_line refuses
    # either when it is not text.
    theme, message = item.get("theme"), item.get("message")
    return GiftCertificate(sender=_contact(item.get("sender")),
                           recipient=_contact(item.get("recipient")),
                           theme="" if theme is None else theme,
                           message=None if message in (None, "") else message)
