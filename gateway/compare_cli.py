"""`cartgate compare CART.json [--json]`: the cartCompare mutation, printed for a terminal.

CART.json is a CartCreateInput as JSON (``{"currencyCode": "USD", "lines": [...],
"discountCodes": [...]}``), with an optional ``"backends": ["BIGCOMMERCE", ...]``. The
comparison runs through the gateway's own GraphQL schema, in process.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx
from pydantic import SecretStr

from gateway.app import create_app
from gateway.settings import Settings

MONEY = "{ amount currencyCode }"
QUERY = f"""mutation($input: CartCreateInput!, $backends: [Backend!]) {{
  cartCompare(input: $input, backends: $backends) {{
    results {{
      backend
      cart {{ currencyCode totalQuantity
              cost {{ subtotalAmount {MONEY} totalDiscountAmount {MONEY}
                      totalTaxAmount {MONEY} totalAmount {MONEY} }}
              lines {{ sku name quantity }} }}
      userErrors {{ code field message }}
    }}
    differences {{ path values {{ backend value }} }}
  }}
}}"""

ROWS = [("subtotal", "subtotalAmount"), ("discount", "totalDiscountAmount"),
        ("tax", "totalTaxAmount"), ("total", "totalAmount")]


async def run_comparison(cart_input: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The cartCompare payload for one CartCreateInput."""
    cart_input = dict(cart_input)
    backends = cart_input.pop("backends", None)
    # cartCompare is for trusted server callers: this in-process app trusts a token made
    # for this one run, whatever CARTGATE_SERVER_TOKENS says.
    token = secrets.token_urlsafe(32)
    app = create_app(settings.model_copy(update={"server_tokens": SecretStr(token)}))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://cartgate",
                                     headers={"authorization": f"Bearer {token}"}) as http:
            response = await http.post("/graphql", json={
                "query": QUERY, "variables": {"input": cart_input, "backends": backends},
            })
    body = response.json()
    if body.get("errors"):
        raise SystemExit("cartgate compare: " + "; ".join(e["message"] for e in body["errors"]))
    payload: dict[str, Any] = body["data"]["cartCompare"]
    return payload


def _grid(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             .rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def render(payload: dict[str, Any]) -> str:
    """The comparison as two tables: totals per vendor, then every difference by path."""
    results = payload["results"]
    names = [r["backend"] for r in results]
    rows = [["", *names]]
    for label, key in ROWS:
        row = [label]
        for result in results:
            cart = result["cart"]
            money = cart["cost"][key] if cart else None
            row.append(f"{money['amount']} {money['currencyCode']}" if money else "-")
        rows.append(row)
    rows.append(["lines / items", *[
        f"{len(r['cart']['lines'])} / {r['cart']['totalQuantity']}" if r["cart"] else "-"
        for r in results
    ]])
    out = [_grid(rows)]
    for result in results:
        for error in result["userErrors"]:
            field = ".".join(error["field"] or [])
            out.append(f"{result['backend']}: {error['code']} {field} {error['message']}")
    differences = payload["differences"]
    out.append("")
    if not differences:
        out.append("No differences.")
        return "\n".join(out)
    out.append(f"Differences ({len(differences)}):")
    table = [["path", *names]]
    for difference in differences:
        by_backend = {v["backend"]: v["value"] for v in difference["values"]}
        table.append([difference["path"],
                      *[str(by_backend.get(name) if by_backend.get(name) is not None
                            else "-") for name in names]])
    out.append(_grid(table))
    return "\n".join(out)


def to_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False)
