"""`cartgate compare CART.json [--json]`: the cartCompare mutation, printed for a terminal.

CART.json is a CartCreateInput as JSON (``{"currencyCode": "USD", "lines": [...],
"discountCodes": [...]}``), with an optional ``"backends": ["BIGCOMMERCE", ...]``. The
comparison runs through the gateway's own GraphQL schema, in process.

Exit codes, for scripts: 0 every vendor priced the cart and they agree; 1 they differ;
2 the command or CART.json is wrong (missing, not JSON, not a CartCreateInput); 3 a
vendor could not price the cart (every vendor, or some: the output says which).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
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
                      totalShippingAmount {MONEY} totalTaxAmount {MONEY}
                      totalAmount {MONEY} }}
              lines {{ sku name quantity }} }}
      userErrors {{ code field message }}
    }}
    differences {{ path values {{ backend value }} }}
  }}
}}"""

SAME, DIFFERENT, BAD_INPUT, VENDOR_FAILED = 0, 1, 2, 3


class CompareInputError(Exception):
    """CART.json cannot be compared: the message is one line for the terminal."""


def load_cart(path: str) -> dict[str, Any]:
    """The CartCreateInput in ``path``, or a CompareInputError saying what is wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CompareInputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise CompareInputError(f"{path} is not JSON: not UTF-8 text") from None
    except OSError as error:
        raise CompareInputError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        cart = json.loads(text)
    except json.JSONDecodeError as error:
        raise CompareInputError(f"{path} is not JSON: {error}") from None
    if not isinstance(cart, dict):
        raise CompareInputError(
            f"{path} must hold a JSON object, a CartCreateInput such as "
            '{"currencyCode": "USD", "lines": [{"sku": "MUG-ORBIT", "quantity": 1}]}')
    return cart


def exit_code(payload: dict[str, Any]) -> int:
    """What the comparison means to a script (see the module docstring)."""
    if any(result["cart"] is None for result in payload["results"]):
        return VENDOR_FAILED
    return DIFFERENT if payload["differences"] else SAME


ROWS = [("subtotal", "subtotalAmount"), ("discount", "totalDiscountAmount"),
        ("shipping", "totalShippingAmount"), ("tax", "totalTaxAmount"),
        ("total", "totalAmount")]


async def run_comparison(cart_input: dict[str, Any], settings: Settings,
                         *, source: str = "the cart") -> dict[str, Any]:
    """The cartCompare payload for one CartCreateInput (``source`` names it in errors)."""
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
        # Only the input can be refused here: vendor failures are userErrors per result.
        raise CompareInputError(f"{source} is not a CartCreateInput: " + "; ".join(
            " ".join(e["message"].split()) for e in body["errors"]))
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
    failed = [r["backend"] for r in results if r["cart"] is None]
    if failed and len(failed) == len(results):
        out.append("Every vendor failed: no cart was priced, nothing was compared.")
        return "\n".join(out)
    if failed:
        out.append(f"Not priced by {', '.join(failed)}: compared without it.")
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
