"""The BigCommerce sandbox's carts and line items: shapes, versions, merging, item kinds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.support import decoded

CARTS = "/stores/sandbox/v3/carts"
OPTIONS = "include=line_items.physical_items.options,line_items.digital_items.options"


async def create(client: httpx.AsyncClient, body: dict[str, Any], query: str = "") -> Any:
    response = await client.post(f"{CARTS}?{query}", json=body)
    assert response.status_code == 201, response.text
    return decoded(response)["data"]


def tee(quantity: int = 3) -> dict[str, Any]:
    return {"product_id": 112, "variant_id": 212, "quantity": quantity}


@pytest.mark.anyio
async def test_create_answers_the_cart_full_envelope(client: httpx.AsyncClient) -> None:
    response = await client.post(CARTS, json={"line_items": [tee()]})

    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    body = decoded(response)
    assert set(body) == {"data", "meta"}
    assert body["meta"] == {}
    cart = body["data"]
    assert list(cart) == [
        "id",
        "customer_id",
        "channel_id",
        "email",
        "currency",
        "tax_included",
        "base_amount",
        "discount_amount",
        "manual_discount_amount",
        "cart_amount",
        "coupons",
        "discounts",
        "line_items",
        "created_time",
        "updated_time",
        "locale",
        "version",
    ]
    assert (cart["customer_id"], cart["channel_id"], cart["email"]) == (0, 1, "")
    assert cart["currency"] == {"code": "USD"}
    assert cart["tax_included"] is False
    assert cart["version"] == 1
    assert (cart["coupons"], cart["discounts"]) == ([], [])
    assert str(cart["base_amount"]) == "59.97"
    assert str(cart["cart_amount"]) == "59.97"
    assert str(cart["discount_amount"]) == "0.00"
    items = cart["line_items"]
    assert (items["digital_items"], items["gift_certificates"], items["custom_items"]) == (
        [],
        [],
        [],
    )
    [item] = items["physical_items"]
    assert isinstance(item["id"], str) and item["id"] != cart["id"]
    assert {k: v for k, v in item.items() if k != "id"} == {
        "parent_id": None,
        "variant_id": 212,
        "product_id": 112,
        "sku": "TEE-TRAIL-M",
        "name": "Trail T-Shirt",
        "url": "https://sandbox.example/trail-t-shirt/",
        "quantity": 3,
        "taxable": True,
        "is_taxable": True,
        "image_url": "https://cdn.sandbox.example/tee-trail.jpg",
        "discounts": [],
        "coupons": [],
        "discount_amount": Decimal("0.00"),
        "coupon_amount": Decimal("0.00"),
        "original_price": Decimal("19.99"),
        "list_price": Decimal("19.99"),
        "sale_price": Decimal("19.99"),
        "extended_list_price": Decimal("59.97"),
        "extended_sale_price": Decimal("59.97"),
        "is_require_shipping": True,
        "is_mutable": True,
        "added_by_promotion": False,
        "gift_wrapping": None,
    }
    assert "options" not in item  # only with include=line_items.physical_items.options


@pytest.mark.anyio
async def test_get_returns_the_same_cart_without_changing_its_version(
    client: httpx.AsyncClient,
) -> None:
    created = await create(client, {"line_items": [tee()], "customer_id": 5, "locale": "fr-FR"})

    response = await client.get(f"{CARTS}/{created['id']}")

    assert response.status_code == 200
    assert decoded(response) == {"data": created, "meta": {}}


@pytest.mark.anyio
async def test_pencils_cost_exactly_thirty_cents(client: httpx.AsyncClient) -> None:
    cart = await create(client, {"line_items": [{"product_id": 113, "quantity": 3}]})

    [item] = cart["line_items"]["physical_items"]
    assert str(item["extended_sale_price"]) == "0.30"
    assert str(cart["base_amount"]) == "0.30"
    assert str(cart["cart_amount"]) == "0.30"


@pytest.mark.anyio
async def test_options_appear_only_when_included(client: httpx.AsyncClient) -> None:
    body = {
        "line_items": [
            {
                "product_id": 116,
                "quantity": 1,
                "option_selections": [{"option_id": 42, "option_value": 512}],
            },
            {"product_id": 115, "quantity": 1},
        ]
    }
    cart = await create(client, body, OPTIONS)

    [socks] = cart["line_items"]["physical_items"]
    [ebook] = cart["line_items"]["digital_items"]
    assert (socks["variant_id"], socks["sku"]) == (252, "SOCKS-WOOL-NVY")
    assert socks["options"] == [{"name": "Color", "nameId": 42, "value": "Navy", "valueId": 512}]
    assert ebook["options"] == []
    assert ebook["is_require_shipping"] is False
    assert (ebook["download_file_urls"], ebook["sku"]) == ([], "EBOOK-FIELD")
    assert "gift_wrapping" not in ebook
    plain = decoded(await client.get(f"{CARTS}/{cart['id']}"))["data"]
    assert "options" not in plain["line_items"]["physical_items"][0]
    assert "options" not in plain["line_items"]["digital_items"][0]
    physical_only = await client.get(
        f"{CARTS}/{cart['id']}?include=line_items.physical_items.options"
    )
    data = decoded(physical_only)["data"]["line_items"]
    assert "options" in data["physical_items"][0]
    assert "options" not in data["digital_items"][0]


@pytest.mark.anyio
async def test_option_selection_names_can_be_overridden(client: httpx.AsyncClient) -> None:
    selection = {"option_id": 41, "option_value": "503", "name": "Taille", "value": "Grand"}
    body = {"line_items": [{"product_id": 112, "quantity": 1, "option_selections": [selection]}]}

    cart = await create(client, body, OPTIONS)

    [item] = cart["line_items"]["physical_items"]
    assert item["options"] == [{"name": "Taille", "nameId": 41, "value": "Grand", "valueId": 503}]
    # TEE-TRAIL-L has its own price, which beats the product's.
    assert (item["sku"], str(item["list_price"]), str(item["original_price"])) == (
        "TEE-TRAIL-L",
        "21.99",
        "21.99",
    )


@pytest.mark.anyio
async def test_adding_the_same_variant_again_merges_quantity(client: httpx.AsyncClient) -> None:
    cart = await create(client, {"line_items": [tee(3)]})
    by_options = {
        "product_id": 112,
        "quantity": 2,
        "option_selections": [{"option_id": 41, "option_value": 502}],
    }

    response = await client.post(
        f"{CARTS}/{cart['id']}/items", json={"line_items": [tee(1), by_options]}
    )

    assert response.status_code == 201
    merged = decoded(response)["data"]
    [item] = merged["line_items"]["physical_items"]
    assert item["id"] == cart["line_items"]["physical_items"][0]["id"]
    assert item["quantity"] == 6
    assert str(item["extended_sale_price"]) == "119.94"
    assert merged["version"] == 2


@pytest.mark.anyio
async def test_list_price_override_sets_list_and_sale_but_not_original(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "line_items": [
            {"product_id": 111, "quantity": 2, "list_price": 10},
            {"product_id": 111, "quantity": 1},
        ]
    }

    cart = await create(client, body)

    overridden, catalog_priced = cart["line_items"]["physical_items"]
    assert [str(overridden[k]) for k in ("original_price", "list_price", "sale_price")] == [
        "12.50",
        "10.00",
        "10.00",
    ]
    assert str(overridden["extended_list_price"]) == "20.00"
    assert (catalog_priced["quantity"], str(catalog_priced["list_price"])) == (1, "12.50")
    assert str(cart["base_amount"]) == "32.50"


@pytest.mark.anyio
async def test_custom_items_send_quantity_and_list_price_as_strings(
    client: httpx.AsyncClient,
) -> None:
    custom = {"sku": "WRAP-1", "name": "Gift wrap", "quantity": 2, "list_price": 3.5}

    response = await client.post(CARTS, json={"line_items": [tee(1)], "custom_items": [custom]})

    assert '"quantity":"2","list_price":"3.50","extended_list_price":7.00' in response.text
    cart = decoded(response)["data"]
    [item] = cart["line_items"]["custom_items"]
    assert {k: v for k, v in item.items() if k != "id"} == {
        "sku": "WRAP-1",
        "name": "Gift wrap",
        "quantity": "2",
        "list_price": "3.50",
        "extended_list_price": Decimal("7.00"),
    }
    assert str(cart["base_amount"]) == "26.99"


@pytest.mark.anyio
async def test_gift_certificates_count_into_the_base_amount(client: httpx.AsyncClient) -> None:
    gift = {
        "name": "For Tobi",
        "theme": "Birthday",
        "amount": 25,
        "quantity": 2,
        "sender": {"name": "Brandi", "email": "brandi@example.com"},
        "recipient": {"name": "Tobi", "email": "tobi@example.com"},
        "message": "Happy Birthday",
    }

    cart = await create(client, {"gift_certificates": [gift]})

    [item] = cart["line_items"]["gift_certificates"]
    assert {k: v for k, v in item.items() if k != "id"} == {
        "name": "For Tobi",
        "theme": "Birthday",
        "amount": Decimal("25.00"),
        "quantity": 2,
        "taxable": False,
        "sender": {"name": "Brandi", "email": "brandi@example.com"},
        "recipient": {"name": "Tobi", "email": "tobi@example.com"},
        "message": "Happy Birthday",
    }
    assert (str(cart["base_amount"]), str(cart["cart_amount"])) == ("50.00", "50.00")


@pytest.mark.anyio
async def test_every_change_increments_the_version(client: httpx.AsyncClient) -> None:
    cart = await create(client, {"line_items": [tee(1), {"product_id": 111, "quantity": 1}]})
    cart_url = f"{CARTS}/{cart['id']}"
    tee_id, mug_id = (i["id"] for i in cart["line_items"]["physical_items"])

    added = await client.post(
        f"{cart_url}/items", json={"line_items": [{"product_id": 113, "quantity": 1}]}
    )
    updated = await client.put(
        f"{cart_url}/items/{tee_id}", json={"line_item": {"product_id": 112, "quantity": 4}}
    )
    removed = await client.request("DELETE", f"{cart_url}/items/{mug_id}")
    customer = await client.put(cart_url, json={"customer_id": 9})

    assert [r.status_code for r in (added, updated, removed, customer)] == [201, 200, 200, 201]
    assert [decoded(r)["data"]["version"] for r in (added, updated, removed, customer)] == [
        2,
        3,
        4,
        5,
    ]
    final = decoded(customer)["data"]
    assert final["customer_id"] == 9
    assert [(i["sku"], i["quantity"]) for i in final["line_items"]["physical_items"]] == [
        ("TEE-TRAIL-M", 4),
        ("PENCIL-HB", 1),
    ]
    assert str(final["base_amount"]) == "80.06"


@pytest.mark.anyio
async def test_removing_the_last_item_deletes_the_cart(client: httpx.AsyncClient) -> None:
    cart = await create(client, {"line_items": [tee()]})
    item_id = cart["line_items"]["physical_items"][0]["id"]

    response = await client.request(
        "DELETE", f"{CARTS}/{cart['id']}/items/{item_id}", json={"version": 1}
    )

    assert (response.status_code, response.content) == (204, b"")
    assert (await client.get(f"{CARTS}/{cart['id']}")).status_code == 404


@pytest.mark.anyio
async def test_delete_cart_answers_204_and_forgets_it(client: httpx.AsyncClient) -> None:
    cart = await create(client, {"line_items": [tee()]})

    response = await client.delete(f"{CARTS}/{cart['id']}")

    assert (response.status_code, response.content) == (204, b"")
    assert (await client.get(f"{CARTS}/{cart['id']}")).status_code == 404


@pytest.mark.anyio
async def test_redirect_urls_point_at_the_cart(client: httpx.AsyncClient) -> None:
    cart = await create(client, {"line_items": [tee()]}, "include=redirect_urls,promotions.banners")
    created_urls = cart["redirect_urls"]
    assert cart["promotions"] == {"banners": []}

    response = await client.post(
        f"{CARTS}/{cart['id']}/redirect_urls", json={"query_params": {"utm_source": "mail"}}
    )

    assert response.status_code == 201
    body = decoded(response)
    assert body["meta"] == {}
    urls = body["data"]
    assert set(urls) == set(created_urls) == {"cart_url", "checkout_url", "embedded_checkout_url"}
    prefix = "https://sandbox.example/cart.php?"
    assert urls["cart_url"].startswith(f"{prefix}action=load&id={cart['id']}&token=")
    assert urls["checkout_url"].startswith(f"{prefix}action=loadInCheckout&id={cart['id']}&")
    assert urls["embedded_checkout_url"].startswith(f"{prefix}embedded=1&action=loadInCheckout")
    assert all(url.endswith("&utm_source=mail") for url in urls.values())
    assert urls["cart_url"] != created_urls["cart_url"]  # every URL is single-use
    unchanged = decoded(await client.get(f"{CARTS}/{cart['id']}"))["data"]
    assert unchanged["version"] == 1 and "redirect_urls" not in unchanged


@pytest.mark.anyio
async def test_currency_code_sets_prices_and_is_case_insensitive(
    client: httpx.AsyncClient,
) -> None:
    cart = await create(client, {"line_items": [tee(1)], "currency": {"code": "eur"}})

    assert cart["currency"] == {"code": "EUR"}
    assert str(cart["line_items"]["physical_items"][0]["list_price"]) == "18.50"
