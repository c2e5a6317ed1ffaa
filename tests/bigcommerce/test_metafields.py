"""BigCommerce cart metafields -> the cart's attributes and note, and the changes to send."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.bigcommerce.metafields import NAMESPACE, stored, wanted_fields
from adapters.errors import ServiceUnavailable
from adapters.model import Attribute, CartAttributes


def field(key: str, value: Any, number: Any = "7", namespace: str = NAMESPACE) -> dict[str, Any]:
    return {"id": number, "key": key, "value": value, "namespace": namespace,
            "permission_set": "read_and_sf_access", "resource_type": "cart"}


def test_pairs_in_key_order_the_note_apart_and_other_namespaces_ignored() -> None:
    found = stored([field("wrap", "blue", "3"), field("cartgate_note", "Ring twice", "4"),
                    field("gift", "Yes", "5"), field("gift", "other app's", "6", "shop")])
    assert found.attributes == (Attribute("gift", "Yes"), Attribute("wrap", "blue"))
    assert found.note == "Ring twice"
    assert found.fields["wrap"] == ("3", "blue")


@pytest.mark.parametrize("data", [
    {"id": "1"},
    [field("gift", 3)],
    [field("gift", "Yes", number="../../carts")],
    [field("gift", "Yes", number=None)],
])
def test_a_malformed_listing_is_the_vendors_fault(data: Any) -> None:
    with pytest.raises(ServiceUnavailable):
        stored(data)


def test_wanted_fields_replace_the_set_and_keep_what_is_not_given() -> None:
    now = stored([field("gift", "Yes", "1"), field("cartgate_note", "Ring", "2")])
    assert wanted_fields(now, CartAttributes(name="x")) is None
    assert wanted_fields(now, CartAttributes(note="Ring")) is None
    assert wanted_fields(now, CartAttributes(attributes=(Attribute("wrap", "red"),))) == {
        "wrap": "red", "cartgate_note": "Ring"}
    assert wanted_fields(now, CartAttributes(attributes=(), note="")) == {}
