"""The BigCommerce sandbox's cart metafields: create, list, update, delete, refusals."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support import decoded

pytestmark = pytest.mark.anyio

CARTS = "/stores/sandbox/v3/carts"
GIFT = {"permission_set": "read_and_sf_access", "namespace": "cartgate", "key": "gift",
        "value": "Happy birthday"}


async def new_cart(client: httpx.AsyncClient) -> str:
    response = await client.post(CARTS, json={"line_items": [{"product_id": 111,
                                                               "quantity": 1}]})
    assert response.status_code == 201, response.text
    cart_id: str = decoded(response)["data"]["id"]
    return cart_id


async def metafields(client: httpx.AsyncClient, cart_id: str, **params: str) -> Any:
    response = await client.get(f"{CARTS}/{cart_id}/metafields", params=params)
    assert response.status_code == 200, response.text
    return decoded(response)


async def test_create_list_update_delete(client: httpx.AsyncClient) -> None:
    cart_id = await new_cart(client)
    created = await client.post(f"{CARTS}/{cart_id}/metafields", json=GIFT)
    assert created.status_code == 200
    field = decoded(created)["data"]
    assert {k: field[k] for k in ("key", "value", "namespace", "permission_set",
                                  "resource_type", "resource_id")} == {
        **GIFT, "resource_type": "cart", "resource_id": cart_id}
    assert isinstance(field["id"], str) and field["id"].isdigit()
    await client.post(f"{CARTS}/{cart_id}/metafields",
                      json={**GIFT, "namespace": "other", "key": "x"})

    listed = await metafields(client, cart_id, namespace="cartgate")
    assert [f["key"] for f in listed["data"]] == ["gift"]
    assert listed["meta"]["pagination"]["total"] == 1

    partial = await client.put(f"{CARTS}/{cart_id}/metafields/{field['id']}",
                               json={"value": "Happy birthday!"})
    assert partial.status_code == 422  # PUT takes the whole MetafieldBase_Post
    changed = await client.put(f"{CARTS}/{cart_id}/metafields/{field['id']}",
                               json={**GIFT, "value": "Happy birthday!"})
    assert changed.status_code == 200 and decoded(changed)["data"]["value"] == "Happy birthday!"
    gone = await client.delete(f"{CARTS}/{cart_id}/metafields/{field['id']}")
    assert gone.status_code == 204
    assert (await metafields(client, cart_id, namespace="cartgate"))["data"] == []
    again = await client.delete(f"{CARTS}/{cart_id}/metafields/{field['id']}")
    assert again.status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({k: v for k, v in GIFT.items() if k != "key"}, "key"),
    ({**GIFT, "key": "k" * 65}, "key"),
    ({**GIFT, "value": ""}, "value"),
    ({**GIFT, "permission_set": "everyone"}, "permission_set"),
    ({**GIFT, "value": 3}, "value"),
])
async def test_invalid_metafields_are_422_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    cart_id = await new_cart(client)
    response = await client.post(f"{CARTS}/{cart_id}/metafields", json=body)
    assert response.status_code == 422
    assert list(decoded(response)["errors"]) == [field]
    assert (await metafields(client, cart_id))["data"] == []


async def test_the_same_namespace_and_key_twice_is_a_conflict(client: httpx.AsyncClient) -> None:
    cart_id = await new_cart(client)
    assert (await client.post(f"{CARTS}/{cart_id}/metafields", json=GIFT)).status_code == 200
    second = await client.post(f"{CARTS}/{cart_id}/metafields", json={**GIFT, "value": "x"})
    assert second.status_code == 409
    assert [f["value"] for f in (await metafields(client, cart_id))["data"]] == [GIFT["value"]]


async def test_a_missing_cart_takes_no_metafield(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{CARTS}/no-such-cart/metafields", json=GIFT)
    assert response.status_code == 404


async def test_metafields_outlive_their_cart(client: httpx.AsyncClient) -> None:
    cart_id = await new_cart(client)
    await client.post(f"{CARTS}/{cart_id}/metafields", json=GIFT)
    assert (await client.delete(f"{CARTS}/{cart_id}")).status_code == 204
    assert [f["key"] for f in (await metafields(client, cart_id))["data"]] == ["gift"]


async def test_pages(client: httpx.AsyncClient) -> None:
    cart_id = await new_cart(client)
    for key in ("a", "b", "c"):
        await client.post(f"{CARTS}/{cart_id}/metafields", json={**GIFT, "key": key})
    second = await metafields(client, cart_id, limit="2", page="2")
    assert [f["key"] for f in second["data"]] == ["c"]
    assert second["meta"]["pagination"]["total_pages"] == 2
    bad = await client.get(f"{CARTS}/{cart_id}/metafields", params={"limit": "0"})
    assert bad.status_code == 422
