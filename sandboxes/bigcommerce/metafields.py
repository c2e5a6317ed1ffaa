"""Where a sandbox store keeps its cart metafields: by id, unique by (namespace, key) a cart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .errors import ApiError


@dataclass(slots=True)
class Metafield:
    """One stored metafield of a cart."""

    id: int
    cart_id: str
    permission_set: str
    namespace: str
    key: str
    value: str
    description: str
    created: datetime
    modified: datetime


class Metafields:
    """Every metafield of one sandbox store, numbered from 1 in the order they were made."""

    def __init__(self) -> None:
        self._kept: dict[int, Metafield] = {}
        self._next_id = 1

    def of_cart(self, cart_id: str) -> list[Metafield]:
        """The cart's metafields, oldest first."""
        return [f for f in self._kept.values() if f.cart_id == cart_id]

    def get(self, metafield_id: int | None, cart_id: str) -> Metafield | None:
        """The metafield with this id when it belongs to this cart."""
        found = self._kept.get(metafield_id) if metafield_id is not None else None
        return found if found is not None and found.cart_id == cart_id else None

    def refuse_duplicate(self, cart_id: str, namespace: str, key: str, *,
                         other_than: int) -> None:
        """A 409 when another metafield of the cart has this namespace and key."""
        if any(f.namespace == namespace and f.key == key and f.id != other_than
               for f in self.of_cart(cart_id)):
            raise ApiError(409, "Metafield with the same namespace and key already exists",
                           errors={"key": f"{namespace}/{key} exists on this cart"})

    def add(self, *, cart_id: str, values: dict[str, str], now: datetime) -> Metafield:
        """Keep a new metafield made of checked `values`, numbered next."""
        made = Metafield(id=self._next_id, cart_id=cart_id,
                         description=values.get("description", ""),
                         permission_set=values["permission_set"],
                         namespace=values["namespace"], key=values["key"],
                         value=values["value"], created=now, modified=now)
        self._next_id += 1
        self._kept[made.id] = made
        return made

    def delete(self, metafield_id: int) -> None:
        """Forget a metafield."""
        del self._kept[metafield_id]
