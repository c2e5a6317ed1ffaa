"""The parity suite's figures: ``python -m tests.parity.report``.

Builds every scenario on both sandboxes through one gateway, prints per scenario the
fields compared, equal and allowed (by allow-list entry) and any unexplained difference,
then the Elastic Path catalog cache's hit rate over the whole run (each product's facts
looked up per cart read or write, and how many cost a catalog call).
"""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from adapters.elasticpath.adapter import ElasticPathBackend
from adapters.model import Backend
from adapters.registry import with_sandbox
from gateway.app import create_app
from gateway.settings import Settings
from sandboxes.loopback import sandbox_app
from tests.contract.test_read_calls import TEN_LINES
from tests.parity.build import build
from tests.parity.scenarios import SCENARIOS
from tests.support import CountingTransport, GraphQLClient


async def _read_calls(gateway: GraphQLClient, traffic: CountingTransport, name: str) -> int:
    """Vendor requests of a read of a 10-line cart that was read once before."""
    created = await gateway.create({"backend": name, "currencyCode": "USD",
                                    "lines": [{"sku": sku} for sku in TEN_LINES]})
    await gateway.cart(created["cart"]["id"])
    traffic.requests.clear()
    await gateway.cart(created["cart"]["id"])
    return len(traffic.requests)


async def main() -> int:
    traffic = {e.backend: CountingTransport(httpx.ASGITransport(app=sandbox_app(e.backend)))
               for e in with_sandbox()}
    app = create_app(Settings(_env_file=None), transports=dict(traffic))
    unexplained = 0
    allowed: Counter[str] = Counter()
    compared = 0
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as http:
            gateway = GraphQLClient(http)
            print(f"{'scenario':34} {'fields':>6} {'equal':>6} {'allowed':>7}  allowed by")
            for scenario in SCENARIOS:
                outcome = await build(gateway, scenario)
                keys = Counter(entry.key for entry, _ in outcome.allowed.values())
                allowed.update(keys)
                compared += outcome.compared
                unexplained += len(outcome.unexplained)
                equal = outcome.compared - len(outcome.allowed) - len(outcome.unexplained)
                print(f"{scenario.name:34} {outcome.compared:6} {equal:6} "
                      f"{len(outcome.allowed):7}  {', '.join(sorted(keys)) or '-'}")
                for path, values in outcome.unexplained.items():
                    print(f"  UNEXPLAINED {path}: {values}")
            elasticpath = app.state.gateway.backends[Backend.ELASTIC_PATH]
            assert isinstance(elasticpath, ElasticPathBackend)
            hits, misses = elasticpath.catalog_answers()  # over the scenarios alone
            catalog_calls = sum(1 for r in traffic[Backend.ELASTIC_PATH].requests
                                if r.url.path == "/catalog/products")
            print()
            for backend, name in ((Backend.BIGCOMMERCE, "BIGCOMMERCE"),
                                  (Backend.ELASTIC_PATH, "ELASTIC_PATH")):
                print(f"steady-state 10-line cart read, {name}: "
                      f"{await _read_calls(gateway, traffic[backend], name)} vendor call(s)")
    print(f"\n{len(SCENARIOS)} scenarios, {compared} fields compared, "
          f"{sum(allowed.values())} allowed differences "
          f"({', '.join(f'{k} {n}' for k, n in sorted(allowed.items()))}), "
          f"{unexplained} unexplained")
    print(f"catalog cache: {hits} hits, {misses} misses, hit rate "
          f"{hits / max(1, hits + misses):.1%}; {catalog_calls} catalog calls")
    return 1 if unexplained else 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
