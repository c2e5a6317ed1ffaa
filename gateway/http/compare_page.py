"""``/compare`` (development only): one cart priced on every vendor, side by side.

A static page: its script sends the gateway's own ``cartCompare`` to ``/graphql`` and shows
the answer, the differences highlighted, and the operation it ran.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse

from gateway.http.static_assets import PAGE_HEADERS, page, script_tag, stylesheet_tag

BODY = """\
<main class="compare">
  <h1>Compare vendors</h1>
  <p>Build a cart or paste a <code>CartCreateInput</code> as JSON, then compare: the cart is
  priced on every vendor with temporary carts, deleted afterwards.</p>
  <section class="builder" aria-label="Build a cart">
    <label>Currency <select id="currency">
      <option>USD</option><option>EUR</option><option>JPY</option><option>JOD</option>
    </select></label>
    <table id="lines"><thead><tr><th>SKU</th><th>Quantity</th><th></th></tr></thead>
      <tbody></tbody></table>
    <button type="button" id="add-line">Add line</button>
    <label>Discount codes <input id="codes" placeholder="SAVE10, FIVEOFF"></label>
    <button type="button" id="to-json">Put in the JSON</button>
    <datalist id="skus"></datalist>
  </section>
  <section aria-label="The cart as JSON">
    <label for="cart-json">Cart (CartCreateInput JSON)</label>
    <textarea id="cart-json" rows="10" spellcheck="false"></textarea>
    <button type="button" id="compare">Compare</button>
    <p id="error" role="alert" hidden></p>
  </section>
  <section id="results" aria-label="Results" hidden>
    <h2>Side by side</h2>
    <table id="side-by-side"></table>
    <ul id="vendor-errors"></ul>
    <h2 id="differences-title">Differences</h2>
    <table id="differences"></table>
  </section>
  <details id="graphql" hidden open>
    <summary>The GraphQL it ran</summary>
    <pre id="graphql-query"></pre>
    <pre id="graphql-variables"></pre>
  </details>
</main>
"""


def compare_html() -> str:
    return page(title="cartgate: compare vendors",
                head=[stylesheet_tag("pages.css")], body=BODY + script_tag("compare.js"))


async def compare_page(request: Request) -> HTMLResponse:
    return HTMLResponse(compare_html(), headers=PAGE_HEADERS)
