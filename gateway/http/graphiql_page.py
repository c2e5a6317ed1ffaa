"""GraphiQL at ``/graphql`` in a browser (development only), from the gateway's own assets.

It opens on an example that runs against the sandboxes: create a cart, then read it.
"""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse

from gateway.http.static_assets import PAGE_HEADERS, page, script_tag, stylesheet_tag

EXAMPLE_OPERATION = """\
# Run CreateCart, then ReadCart: the run button asks which.
# The variables keep the last cart's id as cartId.

mutation CreateCart {
  cartCreate(input: {
    backend: BIGCOMMERCE, currencyCode: "USD",
    lines: [{ sku: "MUG-ORBIT", quantity: 2 }, { sku: "PENCIL-HB", quantity: 3 }]
  }) {
    cart { id version totalQuantity cost { totalAmount { amount formatted } } }
    userErrors { code field message }
  }
}

query ReadCart($cartId: ID!) {
  cart(id: $cartId) {
    id version
    lines { sku name quantity cost { totalAmount { formatted } } }
    cost { subtotalAmount { formatted } totalAmount { formatted } }
  }
}
"""


def graphiql_html() -> str:
    return page(
        title="cartgate GraphiQL",
        head=[
            stylesheet_tag("graphiql-3.8.3.min.css"),
            stylesheet_tag("graphiql-plugin-explorer-1.0.2.css"),
            stylesheet_tag("pages.css"),
            script_tag("react-18.2.0.production.min.js"),
            script_tag("react-dom-18.2.0.production.min.js"),
            script_tag("graphiql-3.8.3.min.js"),
            script_tag("graphiql-plugin-explorer-1.0.2.umd.js"),
        ],
        body=(f'<div id="graphiql" data-example="{escape(EXAMPLE_OPERATION)}">Loading...</div>\n'
              + script_tag("graphiql-start.js")),
    )


def graphiql_response() -> HTMLResponse:
    return HTMLResponse(graphiql_html(), headers=PAGE_HEADERS)
