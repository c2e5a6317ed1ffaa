// Composes the BigCommerce Carts v3 spec into a supergraph for Hive Gateway.
// The harness sets BIGCOMMERCE_SANDBOX_URL to the sandbox it started.
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

const sandbox = process.env.BIGCOMMERCE_SANDBOX_URL ?? 'http://127.0.0.1:8100';

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('BigCommerceCarts', {
        source: '../../../shared/specs/bigcommerce/carts.v3.yml',
        endpoint: `${sandbox}/stores/sandbox/v3`,
        operationHeaders: { 'X-Auth-Token': 'sandbox-token' },
      }),
    },
  ],
});
