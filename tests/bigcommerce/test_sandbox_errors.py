"""The BigCommerce sandbox's refusals: auth, unknown carts, stale versions, bad bodies."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

from sandboxes.bigcommerce import SANDBOX_ACCESS_TOKEN, create_sandbox_app
from tests.support import decoded

CARTS = "/stores/sandbox/v3/carts"
STATUS_CODES = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
UNAUTHORIZED = {
    "status": 401,
    "title": "No valid credentials were found in this request.",
    "type": STATUS_CODES,
}
CONFLICT = {
    "status": 409,
    "title": "The request cannot be processed due to a possible conflict. "
    "Please review the changes and try again.",
    "type": STATUS_CODES,
}
CART_NOT_FOUND = {"status": 404, "title": "Cart not found", "type": STATUS_CODES}
MISSING = "00000000-0000-4000-8000-000000000000"


async def tee_cart(client: httpx.AsyncClient) -> Any:
    body = {"line_items": [{"product_id": 112, "variant_id": 212, "quantity": 3}]}
    response = await client.post(CARTS, json=body)
    assert response.status_code == 201
    return decoded(response)["data"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (f"{CARTS}/{MISSING}", {}),
        (f"{CARTS}/{MISSING}", {"X-Auth-Token": "wrong"}),
        (f"/stores/other/v3/carts/{MISSING}", {"X-Auth-Token": SANDBOX_ACCESS_TOKEN}),
        ("/stores/sandbox/v3/catalog/variants?sku=MUG-ORBIT", {}),
        ("/stores/sandbox/v3/nowhere", {}),
    ],
)
async def test_every_route_needs_the_stores_token(path: str, headers: dict[str, str]) -> None:
    transport = httpx.ASGITransport(app=create_sandbox_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        response = await client.get(path, headers=headers)

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


@pytest.mark.anyio
async def test_health_needs_no_token() -> None:
    transport = httpx.ASGITransport(app=create_sandbox_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        response = await client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.anyio
async def test_custom_store_hash_and_token() -> None:
    app = create_sandbox_app(store_hash="abc123", access_token="secret")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox", headers={"X-Auth-Token": "secret"}
    ) as client:
        ok = await client.get("/stores/abc123/v3/carts/" + MISSING)
        wrong_store = await client.get(f"{CARTS}/{MISSING}")

    assert (ok.status_code, ok.json()) == (404, CART_NOT_FOUND)
    assert wrong_store.status_code == 401


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PUT", "", {"customer_id": 1}),
        ("DELETE", "", None),
        ("POST", "/items", {"line_items": [{"product_id": 111, "quantity": 1}]}),
        ("PUT", "/items/x", {"line_item": {"product_id": 111, "quantity": 1}}),
        ("DELETE", "/items/x", None),
        ("POST", "/redirect_urls", {}),
    ],
)
async def test_unknown_cart_is_a_404(
    client: httpx.AsyncClient, method: str, suffix: str, body: Any
) -> None:
    response = await client.request(method, f"{CARTS}/{MISSING}{suffix}", json=body)

    assert response.status_code == 404
    assert response.json() == CART_NOT_FOUND


@pytest.mark.anyio
async def test_unknown_checkout_is_a_404(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"/stores/sandbox/v3/checkouts/{MISSING}/coupons", json={"coupon_code": "SAVE10"}
    )

    assert (response.status_code, response.json()) == (404, CART_NOT_FOUND)


@pytest.mark.anyio
async def test_unknown_line_item_is_a_404(client: httpx.AsyncClient) -> None:
    cart = await tee_cart(client)

    response = await client.delete(f"{CARTS}/{cart['id']}/items/{MISSING}")

    assert response.status_code == 404
    assert response.json() == {"status": 404, "title": "Line item not found", "type": STATUS_CODES}


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("PUT", "", {"customer_id": 1, "version": 2}),
        ("POST", "/items", {"line_items": [{"product_id": 111, "quantity": 1}], "version": 0}),
        ("PUT", "/items/{item}", {"line_item": {"product_id": 112, "quantity": 1}, "version": 7}),
        ("DELETE", "/items/{item}", {"version": 2}),
    ],
)
async def test_stale_version_is_a_409_and_changes_nothing(
    client: httpx.AsyncClient, method: str, suffix: str, body: dict[str, Any]
) -> None:
    cart = await tee_cart(client)
    item_id = cart["line_items"]["physical_items"][0]["id"]
    url = f"{CARTS}/{cart['id']}{suffix.format(item=item_id)}"

    response = await client.request(method, url, json=body)

    assert response.status_code == 409
    assert response.json() == CONFLICT
    assert decoded(await client.get(f"{CARTS}/{cart['id']}"))["data"] == cart


@pytest.mark.anyio
async def test_stale_version_on_coupons_is_a_409(client: httpx.AsyncClient) -> None:
    cart = await tee_cart(client)
    coupons = f"/stores/sandbox/v3/checkouts/{cart['id']}/coupons"

    added = await client.post(coupons, json={"coupon_code": "SAVE10", "version": 5})
    matching = await client.post(coupons, json={"coupon_code": "SAVE10", "version": 1})
    removed = await client.request("DELETE", f"{coupons}/SAVE10", json={"version": 1})

    assert (added.status_code, added.json()) == (409, CONFLICT)
    assert matching.status_code == 200
    assert (removed.status_code, removed.json()) == (409, CONFLICT)


@pytest.mark.anyio
async def test_concurrent_writes_with_one_version_let_exactly_one_through(
    client: httpx.AsyncClient,
) -> None:
    cart = await tee_cart(client)
    statuses: list[int] = []

    async def add_mug() -> None:
        body = {"line_items": [{"product_id": 111, "quantity": 1}], "version": 1}
        response = await client.post(f"{CARTS}/{cart['id']}/items", json=body)
        statuses.append(response.status_code)

    async with anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(add_mug)

    assert sorted(statuses) == [201, 409, 409, 409, 409]
    final = decoded(await client.get(f"{CARTS}/{cart['id']}"))["data"]
    assert final["version"] == 2
    assert [i["quantity"] for i in final["line_items"]["physical_items"]] == [3, 1]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("line_item", "field", "title"),
    [
        (
            {"product_id": 999, "quantity": 1},
            "line_items.0.product_id",
            "Product with id 999 not found",
        ),
        (
            {"product_id": 112, "variant_id": 201, "quantity": 1},
            "line_items.0.variant_id",
            "Product 112 has no variant 201",
        ),
        (
            {"product_id": 112, "quantity": 1},
            "line_items.0.variant_id",
            "Product 112 needs a variant_id or a value for every option",
        ),
        (
            {
                "product_id": 112,
                "quantity": 1,
                "option_selections": [{"option_id": 41, "option_value": 511}],
            },
            "line_items.0.option_selections.0.option_value",
            "Option 41 has no value 511",
        ),
        (
            {
                "product_id": 111,
                "quantity": 1,
                "option_selections": [{"option_id": 41, "option_value": 501}],
            },
            "line_items.0.option_selections.0.option_id",
            "Product 111 has no option 41",
        ),
        (
            {
                "product_id": 112,
                "variant_id": 211,
                "quantity": 1,
                "option_selections": [{"option_id": 41, "option_value": 502}],
            },
            "line_items.0.option_selections",
            "option_selections do not match variant 211",
        ),
        (
            {"product_id": 111, "quantity": 0},
            "line_items.0.quantity",
            "line_items.0.quantity must be at least 1",
        ),
        ({"product_id": 111}, "line_items.0.quantity", "line_items.0.quantity is required"),
        (
            {"product_id": "111", "quantity": 1},
            "line_items.0.product_id",
            "line_items.0.product_id must be an integer",
        ),
        (
            {"product_id": 111, "quantity": 1, "list_price": -1},
            "line_items.0.list_price",
            "line_items.0.list_price must be a non-negative number",
        ),
    ],
)
async def test_invalid_line_items_are_422_with_the_field_named(
    client: httpx.AsyncClient, line_item: dict[str, Any], field: str, title: str
) -> None:
    response = await client.post(CARTS, json={"line_items": [line_item]})

    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": title,
        "type": STATUS_CODES,
        "errors": {field: title},
    }


@pytest.mark.anyio
async def test_a_bad_item_in_a_batch_adds_nothing(client: httpx.AsyncClient) -> None:
    cart = await tee_cart(client)
    body = {"line_items": [{"product_id": 111, "quantity": 1}, {"product_id": 999, "quantity": 1}]}

    response = await client.post(f"{CARTS}/{cart['id']}/items", json=body)

    assert response.status_code == 422
    assert decoded(await client.get(f"{CARTS}/{cart['id']}"))["data"] == cart


@pytest.mark.anyio
async def test_malformed_json_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        CARTS, content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "title": "Input is invalid",
        "type": STATUS_CODES,
        "detail": "Syntax error",
    }


@pytest.mark.anyio
async def test_unknown_currency_is_a_400(client: httpx.AsyncClient) -> None:
    body = {"line_items": [{"product_id": 111, "quantity": 1}], "currency": {"code": "GBP"}}

    response = await client.post(CARTS, json=body)

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "title": "Currency GBP is not a transactional currency",
        "type": STATUS_CODES,
    }


@pytest.mark.anyio
async def test_cart_without_items_is_a_422(client: httpx.AsyncClient) -> None:
    response = await client.post(CARTS, json={"line_items": []})

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "line_items": "A cart needs at least one line item, custom item or gift certificate"
    }


@pytest.mark.anyio
async def test_custom_items_cannot_be_updated(client: httpx.AsyncClient) -> None:
    custom = {"sku": "X", "name": "Engraving", "quantity": 1, "list_price": 5}
    response = await client.post(CARTS, json={"custom_items": [custom]})
    cart = decoded(response)["data"]
    item_id = cart["line_items"]["custom_items"][0]["id"]

    update = await client.put(
        f"{CARTS}/{cart['id']}/items/{item_id}",
        json={"line_item": {"product_id": 111, "quantity": 2}},
    )

    assert update.status_code == 422
    assert update.json()["title"] == "Custom items and gift certificates cannot be updated"


@pytest.mark.anyio
async def test_gift_certificate_theme_and_amount_are_checked(client: httpx.AsyncClient) -> None:
    gift = {
        "name": "G",
        "theme": "Halloween",
        "amount": 10,
        "quantity": 1,
        "sender": {"name": "A", "email": "a@example.com"},
        "recipient": {"name": "B", "email": "b@example.com"},
    }

    bad_theme = await client.post(CARTS, json={"gift_certificates": [gift]})
    bad_amount = await client.post(
        CARTS, json={"gift_certificates": [{**gift, "theme": "General", "amount": 1001}]}
    )

    assert bad_theme.status_code == bad_amount.status_code == 422
    assert list(bad_theme.json()["errors"]) == ["gift_certificates.0.theme"]
    assert bad_amount.json()["errors"] == {
        "gift_certificates.0.amount": "gift_certificates.0.amount must be between 1 and 1000"
    }
