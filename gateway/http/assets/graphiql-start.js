// GraphiQL on the gateway's own assets: no inline script, so the page's CSP allows only 'self'.
"use strict";
(function () {
  const root = document.getElementById("graphiql");
  const url = window.location.origin + window.location.pathname;
  // A single JSON answer per request: the gateway serves no incremental delivery.
  const send = GraphiQL.createFetcher({ url, enableIncrementalDelivery: false });

  // The id of the last `cart` object in an answer (depth first), or null.
  function lastCartId(value) {
    let found = null;
    if (Array.isArray(value)) {
      for (const item of value) found = lastCartId(item) || found;
    } else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (key === "cart" && inner && typeof inner.id === "string") found = inner.id;
        found = lastCartId(inner) || found;
      }
    }
    return found;
  }

  function CartGraphiQL() {
    const [variables, setVariables] = React.useState("");

    const fetcher = React.useCallback(async (params, options) => {
      const result = await send(params, options);
      const cartId = result && lastCartId(result.data);
      if (cartId) {
        // Keep whatever else the variables hold; cartId follows the latest cart.
        setVariables((current) => {
          let parsed = {};
          try { parsed = JSON.parse(current || "{}"); } catch (error) { parsed = {}; }
          return JSON.stringify(Object.assign(parsed, { cartId }), null, 2);
        });
      }
      return result;
    }, []);

    return React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: root.dataset.example,
      variables,
      onEditVariables: setVariables,
      defaultEditorToolsVisibility: true,
      plugins: [GraphiQLPluginExplorer.explorerPlugin()],
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    });
  }

  ReactDOM.createRoot(root).render(React.createElement(CartGraphiQL));
})();
