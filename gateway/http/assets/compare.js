// /compare: builds a CartCreateInput, runs cartCompare on /graphql, shows vendors side by side.
"use strict";
(function () {
  const MONEY = "{ amount currencyCode }";
  const QUERY = `mutation CompareVendors($input: CartCreateInput!, $backends: [Backend!]) {
  cartCompare(input: $input, backends: $backends) {
    results {
      backend
      cart {
        currencyCode totalQuantity
        cost { subtotalAmount ${MONEY} totalDiscountAmount ${MONEY}
               totalTaxAmount ${MONEY} totalAmount ${MONEY} }
        lines { sku name quantity
                cost { amountPerQuantity ${MONEY} totalAmount ${MONEY} } }
      }
      userErrors { code field message }
    }
    differences { path values { backend value } }
  }
}`;
  // The sandbox catalog's SKUs, offered as suggestions; any SKU may be typed.
  const SKUS = ["MUG-ORBIT", "TEE-TRAIL-S", "TEE-TRAIL-M", "TEE-TRAIL-L", "PENCIL-HB",
    "TOTE-CANVAS", "EBOOK-FIELD", "SOCKS-WOOL-GRY", "SOCKS-WOOL-NVY", "BEANS-ESP-1KG",
    "LAMP-DESK"];
  const START = {
    currencyCode: "USD",
    lines: [{ sku: "MUG-ORBIT", quantity: 2 }, { sku: "TEE-TRAIL-M", quantity: 1 }],
    discountCodes: ["SAVE10"],
  };
  const TOTALS = [["Subtotal", "cost.subtotalAmount"], ["Discount", "cost.totalDiscountAmount"],
    ["Tax", "cost.totalTaxAmount"], ["Total", "cost.totalAmount"]];

  const $ = (id) => document.getElementById(id);
  const cell = (tag, text, className) => {
    const element = document.createElement(tag);
    element.textContent = text;
    if (className) element.className = className;
    return element;
  };

  function addLine(sku, quantity) {
    const row = document.createElement("tr");
    const skuInput = Object.assign(document.createElement("input"),
      { className: "sku", value: sku || "" });
    skuInput.setAttribute("list", "skus");
    const quantityInput = Object.assign(document.createElement("input"),
      { className: "quantity", type: "number", min: "1", value: String(quantity || 1) });
    const remove = cell("button", "Remove");
    remove.type = "button";
    remove.addEventListener("click", () => row.remove());
    for (const element of [skuInput, quantityInput, remove]) {
      const td = document.createElement("td");
      td.append(element);
      row.append(td);
    }
    $("lines").tBodies[0].append(row);
  }

  function fromBuilder() {
    const lines = Array.from($("lines").tBodies[0].rows).map((row) => ({
      sku: row.querySelector(".sku").value.trim(),
      quantity: Number(row.querySelector(".quantity").value),
    })).filter((line) => line.sku);
    const codes = $("codes").value.split(",").map((code) => code.trim()).filter(Boolean);
    const input = { currencyCode: $("currency").value, lines };
    if (codes.length) input.discountCodes = codes;
    return input;
  }

  function toBuilder(input) {
    $("currency").value = input.currencyCode || "USD";
    $("lines").tBodies[0].replaceChildren();
    for (const line of input.lines || []) addLine(line.sku, line.quantity);
    $("codes").value = (input.discountCodes || []).join(", ");
  }

  function showError(message) {
    $("error").textContent = message;
    $("error").hidden = !message;
  }

  // A value of a priced cart by the paths cartCompare's differences use.
  function valueAt(cart, path) {
    if (!cart) return null;
    const line = path.match(/^lines\[sku=(.+?)\]\.(.+)$/);
    if (line) {
      const found = cart.lines.find((l) => l.sku === line[1]);
      return found ? valueAt(found, line[2]) : null;
    }
    let value = cart;
    for (const key of path.split(".")) value = value == null ? null : value[key];
    return value && typeof value === "object" && "amount" in value ? value.amount : value;
  }

  function sideBySide(payload) {
    const results = payload.results;
    const differing = new Set(payload.differences.map((d) => d.path));
    const table = $("side-by-side");
    table.replaceChildren();
    const head = document.createElement("tr");
    head.append(cell("th", ""), ...results.map((r) => cell("th", r.backend)));
    table.append(head);
    const rows = TOTALS.map(([label, path]) => [label, path]);
    rows.push(["Items", "totalQuantity"]);
    const skus = [];
    for (const result of results) {
      for (const line of (result.cart && result.cart.lines) || []) {
        if (line.sku && !skus.includes(line.sku)) skus.push(line.sku);
      }
    }
    for (const sku of skus) {
      rows.push([`${sku} each`, `lines[sku=${sku}].cost.amountPerQuantity`]);
      rows.push([`${sku} total`, `lines[sku=${sku}].cost.totalAmount`]);
    }
    for (const [label, path] of rows) {
      const row = document.createElement("tr");
      row.dataset.path = path;
      const differs = differing.has(path);
      row.className = differs ? "differs" : "";
      row.append(cell("th", label));
      for (const result of results) {
        const value = valueAt(result.cart, path);
        row.append(cell("td", value == null ? "-" : String(value)));
      }
      table.append(row);
    }
  }

  function showResults(payload) {
    sideBySide(payload);
    const errors = $("vendor-errors");
    errors.replaceChildren();
    for (const result of payload.results) {
      if (!result.cart) errors.append(cell("li", `${result.backend} could not price the cart`));
      for (const error of result.userErrors) {
        errors.append(cell("li",
          `${result.backend}: ${error.code} ${(error.field || []).join(".")} ${error.message}`));
      }
    }
    const table = $("differences");
    table.replaceChildren();
    const names = payload.results.map((r) => r.backend);
    const head = document.createElement("tr");
    head.append(cell("th", "path"), ...names.map((name) => cell("th", name)));
    table.append(head);
    for (const difference of payload.differences) {
      const byBackend = Object.fromEntries(difference.values.map((v) => [v.backend, v.value]));
      const row = document.createElement("tr");
      row.className = "differs";
      row.append(cell("td", difference.path),
        ...names.map((name) => cell("td", byBackend[name] == null ? "-" : byBackend[name])));
      table.append(row);
    }
    $("differences-title").textContent = payload.differences.length
      ? `Differences (${payload.differences.length})` : "No differences";
    $("results").hidden = false;
  }

  async function compare() {
    showError("");
    let input;
    try {
      input = JSON.parse($("cart-json").value);
    } catch (error) {
      showError(`The cart is not JSON: ${error.message}`);
      return;
    }
    if (!input || typeof input !== "object" || Array.isArray(input)) {
      showError("The cart must be a JSON object: a CartCreateInput");
      return;
    }
    toBuilder(input);  // the form shows the cart that is compared
    const backends = input.backends || null;
    delete input.backends;
    const variables = { input, backends };
    $("graphql-query").textContent = QUERY;
    $("graphql-variables").textContent = JSON.stringify(variables, null, 2);
    $("graphql").hidden = false;
    $("compare").disabled = true;
    try {
      const response = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ query: QUERY, variables, operationName: "CompareVendors" }),
      });
      const body = await response.json();
      if (body.errors) {
        showError(body.errors.map((e) => e.message).join("; "));
        $("results").hidden = true;
      } else {
        showResults(body.data.cartCompare);
      }
    } catch (error) {
      showError(`The gateway did not answer: ${error.message}`);
    } finally {
      $("compare").disabled = false;
    }
  }

  for (const sku of SKUS) $("skus").append(Object.assign(document.createElement("option"),
    { value: sku }));
  toBuilder(START);
  $("cart-json").value = JSON.stringify(START, null, 2);
  $("add-line").addEventListener("click", () => addLine("", 1));
  $("to-json").addEventListener("click", () => {
    $("cart-json").value = JSON.stringify(fromBuilder(), null, 2);
  });
  $("compare").addEventListener("click", compare);
})();
