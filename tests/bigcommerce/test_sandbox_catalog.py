"""The BigCommerce sandbox's Catalog API variants and cart settings."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tests.support import decoded

VARIANTS = "/stores/sandbox/v3/catalog/variants"
SETTINGS = "/stores/sandbox/v3/carts/settings"


@pytest.mark.anyio
async def test_variant_by_sku(client: httpx.AsyncClient) -> None:
    response = await client.get(VARIANTS, params={"sku": "TEE-TRAIL-L"})

    assert response.status_code == 200
    assert decoded(response) == {
        "data": [
            {
                "id": 213,
                "product_id": 112,
                "sku": "TEE-TRAIL-L",
                "price": Decimal("21.99"),
                "calculated_price": Decimal("21.99"),
                # No sale price: left out, as the spec types it a number, never null.
                "option_values": [
                    {"id": 503, "label": "L", "option_id": 41, "option_display_name": "Size"}
                ],
            }
        ],
        "meta": {
            "pagination": {
                "total": 1,
                "count": 1,
                "per_page": 50,
                "current_page": 1,
                "total_pages": 1,
                "links": {"current": "?page=1&limit=50"},
            }
        },
    }


@pytest.mark.anyio
async def test_variant_without_options_inherits_the_product_price(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(VARIANTS, params={"sku": "PENCIL-HB"})

    [variant] = decoded(response)["data"]
    assert (variant["id"], variant["product_id"], str(variant["price"])) == (221, 113, "0.10")
    assert variant["option_values"] == []


@pytest.mark.anyio
async def test_unknown_sku_is_an_empty_page(client: httpx.AsyncClient) -> None:
    response = await client.get(VARIANTS, params={"sku": "NOPE"})

    assert response.status_code == 200
    body = response.json()
    assert body["data"] == []
    assert (body["meta"]["pagination"]["total"], body["meta"]["pagination"]["count"]) == (0, 0)


@pytest.mark.anyio
async def test_variants_paginate(client: httpx.AsyncClient) -> None:
    response = await client.get(VARIANTS, params={"product_id": "112,116", "limit": 2, "page": 2})

    body = response.json()
    assert [v["sku"] for v in body["data"]] == ["TEE-TRAIL-L", "SOCKS-WOOL-GRY"]
    assert body["meta"]["pagination"] == {
        "total": 5,
        "count": 2,
        "per_page": 2,
        "current_page": 2,
        "total_pages": 3,
        "links": {
            "current": "?page=2&limit=2",
            "previous": "?page=1&limit=2",
            "next": "?page=3&limit=2",
        },
    }


@pytest.mark.anyio
async def test_cart_settings_read_and_write(client: httpx.AsyncClient) -> None:
    initial = await client.get(SETTINGS)
    updated = await client.put(SETTINGS, json={"allow_purchasing": False})
    channel = await client.put(f"{SETTINGS}/channels/2", json={"allow_purchasing": True})
    unset = await client.get(f"{SETTINGS}/channels/3")
    invalid = await client.put(SETTINGS, json={"allow_purchasing": "yes"})

    assert initial.json() == {"data": {"allow_purchasing": True}, "meta": {}}
    assert updated.json() == {"data": {"allow_purchasing": False}, "meta": {}}
    assert (await client.get(SETTINGS)).json()["data"] == {"allow_purchasing": False}
    assert channel.json() == {"data": {"allow_purchasing": True}, "meta": {}}
    assert unset.json() == {"data": {"allow_purchasing": None}, "meta": {}}
    assert invalid.status_code == 422
