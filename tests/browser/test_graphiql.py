"""GraphiQL at /graphql, offline: the gateway serves every asset; a run returns a cart."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from gateway.http.static_assets import CONTENT_SECURITY_POLICY

QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
VARIABLES_EDITOR = ".graphiql-editor-tool .CodeMirror"
RESULT = ".result-window .CodeMirror"


def _text(page: Page, selector: str) -> str:
    value: str = page.eval_on_selector(selector, "element => element.CodeMirror.getValue()")
    return value


def _run(page: Page, operation: str) -> dict[str, Any]:
    """Runs one operation of the document (the run button asks which) and reads its answer."""
    before = _text(page, RESULT)
    page.click(".graphiql-execute-button")
    page.get_by_role("menuitem", name=operation, exact=True).click()
    page.wait_for_function(
        "([selector, before]) => { const text = document.querySelector(selector)"
        ".CodeMirror.getValue(); return text && text !== before; }",
        arg=[RESULT, before])
    answer: dict[str, Any] = json.loads(_text(page, RESULT))
    return answer


def test_page_is_served_with_its_own_assets(gateway_url: str) -> None:
    page = httpx.get(f"{gateway_url}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "unpkg" not in page.text and "https://" not in page.text
    assert 'integrity="sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"' \
        in page.text  # graphiql.min.js 3.8.3, the bytes strawberry's page pins on unpkg
    script = page.text.split('<script src="')[3].split('"')[0]
    asset = httpx.get(gateway_url + script)
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-type"] == "text/javascript; charset=utf-8"
    stale = script.replace(script.split("/")[2], "0" * 16)
    assert httpx.get(gateway_url + stale).status_code == 404


def test_graphiql_runs_the_example_offline(
    page: Page, gateway_url: str, screenshot: Callable[..., Path],
) -> None:
    page.goto(f"{gateway_url}/graphql")
    expect(page.locator(QUERY_EDITOR)).to_be_visible(timeout=30_000)
    assert "mutation CreateCart" in _text(page, QUERY_EDITOR)
    assert "query ReadCart($cartId: ID!)" in _text(page, QUERY_EDITOR)

    created = _run(page, "CreateCart")
    cart = created["data"]["cartCreate"]["cart"]
    assert cart["id"].startswith("gid://bigcommerce/Cart/")
    assert cart["totalQuantity"] == 5
    # The start script put the new cart's id into the variables for the next operation.
    page.wait_for_function(
        "selector => document.querySelector(selector).CodeMirror.getValue().includes('cartId')",
        arg=VARIABLES_EDITOR)
    assert json.loads(_text(page, VARIABLES_EDITOR)) == {"cartId": cart["id"]}

    read = _run(page, "ReadCart")
    assert "errors" not in read
    read_cart = read["data"]["cart"]
    assert read_cart["id"] == cart["id"]
    assert read_cart["version"] == cart["version"]
    assert [(line["sku"], line["quantity"]) for line in read_cart["lines"]] == [
        ("MUG-ORBIT", 2), ("PENCIL-HB", 3)]
    screenshot(page, "graphiql.png")
