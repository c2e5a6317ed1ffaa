"""The CPU of turning one BigCommerce add-to-cart answer into the GraphQL cart, step by step.

``python -m benchmarks.answer_cpu [--answers 2000] [--rounds 5]`` makes the cart ``make
bench`` adds to (5 catalog lines, 5 custom lines) in the BigCommerce sandbox, in this
process, takes the answer to one more unit of a line, and times, per answer:

- ``decode``: the body parsed as the adapter parses it (``adapters.http.decode_json``);
- ``map``: ``to_cart`` with the lines of earlier answers remembered, one line's quantity
  and the cart's amount changed each time, as one add after another changes them;
- ``GraphQL cart``: ``gateway.graphql.types.cart`` of those carts, the other lines
  remembered, every total new (so written out once, as a run of adds writes them).

No network and no other process: steadier than the whole request on a shared machine.
It prints microseconds of this process's CPU per answer, the least of ``--rounds``.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx

from adapters.bigcommerce.mapping import to_cart
from adapters.http import decode_json
from adapters.line_memo import LineMemo
from adapters.model import Cart
from benchmarks.carts import CATALOG_SKUS
from benchmarks.targets import BIGCOMMERCE_INCLUDE, BIGCOMMERCE_TOKEN
from gateway.graphql import types
from gateway.graphql.fastpath.identity_memo import ListMemo
from sandboxes.bigcommerce import create_sandbox_app

STORE = "/stores/sandbox/v3"


async def _add_answer() -> httpx.Response:
    """The answer to adding a unit to a 10-line cart, as the sandbox sends it."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_sandbox_app()),
                                 base_url="http://sandbox", headers=BIGCOMMERCE_TOKEN) as http:
        variants = (await http.get(f"{STORE}/catalog/variants", params={"limit": "250"})
                    ).json()["data"]
        catalog = [{"product_id": v["product_id"], "variant_id": v["id"], "quantity": 1}
                   for v in variants if v.get("sku") in CATALOG_SKUS[:5]]
        custom = [{"sku": f"BENCH-{i:03d}", "name": f"Bench item {i}", "quantity": 1,
                   "list_price": 1.25} for i in range(1, 6)]
        created = await http.post(f"{STORE}/carts?{BIGCOMMERCE_INCLUDE}",
                                  json={"line_items": catalog, "custom_items": custom})
        cart_id = created.json()["data"]["id"]
        return await http.post(f"{STORE}/carts/{cart_id}/items?{BIGCOMMERCE_INCLUDE}",
                               json={"line_items": catalog[:1]})


def _changed(data: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` answers, each with one more unit of the first line and a new amount."""
    answers = []
    for step in range(count):
        answer = copy.deepcopy(data)
        answer["line_items"]["physical_items"][0]["quantity"] += step + 1
        answer["cart_amount"] += Decimal(step + 1)
        answers.append(answer)
    return answers


def _least(rounds: int, count: int, run: Callable[[int], None]) -> float:
    """The least CPU microseconds per item of ``run(round)`` over ``rounds`` rounds."""
    figures = []
    for round_number in range(rounds):
        started = time.process_time()
        run(round_number)
        figures.append((time.process_time() - started) * 1e6 / count)
    return min(figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.answer_cpu",
                                     description=__doc__)
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    answer = asyncio.run(_add_answer())
    data = decode_json(answer)["data"]
    count = args.answers

    def decode(_: int) -> None:
        for _ in range(count):
            decode_json(answer)

    answers = _changed(data, count)

    def map_answers(_: int) -> None:
        memo = LineMemo()
        to_cart(data, memo)
        for each in answers:
            to_cart(each, memo)

    memo = LineMemo()
    carts = [to_cart(each, memo) for each in _changed(data, count * args.rounds)]
    line_sets: ListMemo[Any, Any] = ListMemo(kept=64, items_kept=2048)

    def build(round_number: int) -> None:
        batch: list[Cart] = carts[round_number * count:(round_number + 1) * count]
        for cart in batch:
            types.cart(cart, "en-US", line_sets)

    types.cart(carts[0], "en-US", line_sets)
    print(f"answer: {len(answer.content)} bytes, {len(data['line_items']['physical_items'])}"
          f" catalog and {len(data['line_items']['custom_items'])} custom lines")
    for name, run in (("decode", decode), ("map", map_answers), ("GraphQL cart", build)):
        print(f"{name:13s} {_least(args.rounds, count, run):7.1f} us CPU/answer "
              f"(least of {args.rounds} rounds of {count})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
