"""/compare in headless chromium, offline: both vendors side by side, differences marked."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from gateway.services.compare_cli import QUERY

ROOT = Path(__file__).resolve().parents[2]
FIVE_LINES = json.loads((ROOT / "examples" / "compare-cart.json").read_text())


def _row(page: Page, path: str) -> list[str]:
    return page.locator(f'#side-by-side tr[data-path="{path}"] td').all_inner_texts()


def test_a_pasted_cart_side_by_side(
    page: Page, gateway_url: str, screenshot: Callable[..., Path],
) -> None:
    page.goto(f"{gateway_url}/compare")
    page.fill("#cart-json", json.dumps(FIVE_LINES, indent=2))
    page.click("#compare")
    expect(page.locator("#results")).to_be_visible(timeout=30_000)

    assert page.locator("#side-by-side th").all_inner_texts()[1:3] == [
        "BIGCOMMERCE", "ELASTIC_PATH"]
    # BigCommerce rounds the 10% per line, Elastic Path once on the subtotal.
    assert _row(page, "cost.totalDiscountAmount") == ["12.81", "12.80"]
    assert _row(page, "cost.totalAmount") == ["115.20", "115.21"]
    assert _row(page, "cost.subtotalAmount") == ["128.01", "128.01"]
    total = page.locator('#side-by-side tr[data-path="cost.totalAmount"]')
    expect(total).to_have_class("differs")
    expect(page.locator('#side-by-side tr[data-path="cost.subtotalAmount"]')).not_to_have_class(
        "differs")

    # Every difference the gateway reports is listed, and marked.
    answer = httpx.post(f"{gateway_url}/graphql", timeout=30,
                        json={"query": QUERY, "variables": {"input": FIVE_LINES}}).json()
    reported = [d["path"] for d in answer["data"]["cartCompare"]["differences"]]
    listed = page.locator("#differences tr.differs td:first-child").all_inner_texts()
    assert listed == reported
    expect(page.locator("#differences-title")).to_have_text(f"Differences ({len(reported)})")

    # The GraphQL it ran, with the cart as its variables.
    assert "cartCompare(input: $input, backends: $backends)" in page.inner_text(
        "#graphql-query")
    assert json.loads(page.inner_text("#graphql-variables")) == {
        "input": FIVE_LINES, "backends": None}
    screenshot(page, "compare.png", full_page=True)


def test_a_built_cart_no_vendor_can_price(page: Page, gateway_url: str) -> None:
    page.goto(f"{gateway_url}/compare")
    page.select_option("#currency", "EUR")
    page.locator("#lines tbody tr").nth(1).get_by_role("button", name="Remove").click()
    page.click("#add-line")
    page.locator("#lines tbody tr .sku").nth(1).fill("NO-SUCH-SKU")
    page.locator("#lines tbody tr .quantity").nth(1).fill("4")
    page.fill("#codes", "")
    page.click("#to-json")
    assert json.loads(page.input_value("#cart-json")) == {
        "currencyCode": "EUR",
        "lines": [{"sku": "MUG-ORBIT", "quantity": 2}, {"sku": "NO-SUCH-SKU", "quantity": 4}],
    }
    page.click("#compare")
    expect(page.locator("#results")).to_be_visible(timeout=30_000)
    errors = page.locator("#vendor-errors li").all_inner_texts()
    assert "BIGCOMMERCE could not price the cart" in errors
    assert "ELASTIC_PATH could not price the cart" in errors
    assert any(e.startswith("BIGCOMMERCE: MERCHANDISE_NOT_FOUND input.lines.1.sku")
               for e in errors)
    expect(page.locator("#differences-title")).to_have_text("No differences")


def test_json_that_is_not_a_cart_is_an_error_on_the_page(page: Page, gateway_url: str) -> None:
    page.goto(f"{gateway_url}/compare")
    page.fill("#cart-json", "{not json")
    page.click("#compare")
    expect(page.locator("#error")).to_contain_text("The cart is not JSON")
    page.fill("#cart-json", '{"lines": [{"sku": "MUG-ORBIT", "qty": 1}]}')
    page.click("#compare")
    expect(page.locator("#error")).to_contain_text("not to include unknown field 'qty'")
    expect(page.locator("#results")).to_be_hidden()
