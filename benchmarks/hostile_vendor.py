"""What a hostile vendor answer costs the gateway: event-loop stall and memory kept.

    .venv/bin/python -m benchmarks.hostile_vendor

A hostile "BigCommerce" on loopback answers cart reads with: a version of ``1e999999``,
400 MB of JSON with no Content-Length, a 1 MB gzip body that inflates to 1 GB, and a cart
of 100,000 lines. The gateway's BigCommerce backend reads each while a ticker on the same
event loop wakes every 5 ms; the figures are the longest the ticker was held up (the
stall every other request would see, /healthz included), the time to the typed error,
and this process's resident memory before and after.
"""

from __future__ import annotations

import asyncio
import gc
import json
import struct
import time
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from adapters.bigcommerce.adapter import BigCommerceBackend
from adapters.errors import CartgateError
from sandboxes.loopback import LoopbackServer

MB = 1024 * 1024
TICK = 0.005
LINE = {"id": "l", "variant_id": 1, "product_id": 1, "sku": "S", "name": "N", "quantity": 1,
        "list_price": 1, "sale_price": 1, "extended_list_price": 1, "extended_sale_price": 1,
        "discounts": [], "coupons": [], "options": []}


def _cart(**fields: object) -> dict[str, object]:
    return {"id": "c", "currency": {"code": "USD"}, "base_amount": 1, "discount_amount": 0,
            "cart_amount": 1, "coupons": [], "version": 1,
            "line_items": {"physical_items": [LINE], "digital_items": [],
                           "gift_certificates": [], "custom_items": []}, **fields}


def _gzip_bomb(megabytes: int) -> bytes:
    zeros = b"\0" * MB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + first + block * (megabytes - 1)
            + deflate.flush(zlib.Z_FINISH) + struct.pack("<II", crc, megabytes * MB % 2**32))


async def _answer(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind == "number":
        body = json.dumps({"data": _cart()}).replace('"version": 1', '"version": 1e999999')
        return Response(body, media_type="application/json")
    if kind == "huge":
        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"data": {"padding": "'
            for _ in range(400):
                yield b"x" * MB
            yield b'"}}'
        return StreamingResponse(chunks(), media_type="application/json")
    if kind == "bomb":
        return Response(BOMB, media_type="application/json",
                        headers={"Content-Encoding": "gzip"})
    return Response(MANY_LINES, media_type="application/json")


# Built before measuring, so the vendor's own work is not counted as the gateway's stall.
BOMB = _gzip_bomb(1024)
MANY_LINES = json.dumps({"data": _cart(line_items={
    "physical_items": [dict(LINE, id=f"l{i}") for i in range(100_000)],
    "digital_items": [], "gift_certificates": [], "custom_items": []})}).encode()
VENDOR = Starlette(routes=[Route("/stores/x/v3/carts/{kind}", _answer)])


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _measure(backend: BigCommerceBackend, kind: str) -> tuple[str, float, float,
                                                                       float, float]:
    gc.collect()
    before = _rss_mb()
    stall = 0.0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal stall
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            stall = max(stall, time.perf_counter() - started - TICK)

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(TICK * 2)
    started = time.perf_counter()
    try:
        await backend.get_cart(kind)
        outcome = "read"
    except CartgateError as error:
        outcome = error.code.value
    elapsed = time.perf_counter() - started
    done.set()
    await ticking
    gc.collect()
    return outcome, elapsed, stall * 1000, before, _rss_mb()


async def main() -> None:
    server = LoopbackServer(VENDOR).start()
    backend = BigCommerceBackend(api_url=server.url, store_hash="x", access_token="t",
                                 timeout=120)
    try:
        print(f"{'vendor answer':<22} {'outcome':<20} {'seconds':>8} {'stall ms':>9} "
              f"{'RSS before MB':>14} {'RSS after MB':>13}")
        for kind, label in (("number", "version 1e999999"), ("huge", "400 MB body"),
                            ("bomb", "1 MB gzip -> 1 GB"), ("lines", "100,000-line cart")):
            outcome, elapsed, stall, before, after = await _measure(backend, kind)
            print(f"{label:<22} {outcome:<20} {elapsed:>8.2f} {stall:>9.1f} "
                  f"{before:>14.1f} {after:>13.1f}")
    finally:
        await backend.aclose()
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
