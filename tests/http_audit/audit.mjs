// Runs the GraphQL over HTTP audit suite of `graphql-http` against a served gateway and
// prints one JSON summary: {"ok": n, "warn": n, "error": n, "failures": [...]}.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = await auditServer({ url });
const summary = { ok: 0, warn: 0, error: 0, failures: [] };
for (const result of results) {
  summary[result.status] += 1;
  if (result.status !== 'ok') {
    // The response body is a stream already read by the audit; keep the reason only.
    summary.failures.push({
      id: result.id,
      name: result.name,
      status: result.status,
      reason: result.reason,
    });
  }
}
console.log(JSON.stringify(summary));
