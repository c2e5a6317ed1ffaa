"""schema.graphql is exactly what `cartgate schema` prints, and carries the contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gateway.graphql.schema import build_schema

ROOT = Path(__file__).resolve().parents[2]


def test_committed_sdl_matches_the_code() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "schema"],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout
    assert printed == (ROOT / "schema.graphql").read_text(), (
        "schema.graphql drifted from the code: run `make schema` and commit it"
    )


def test_contract_names_are_present() -> None:
    sdl = build_schema().as_str()
    for line in [
        "scalar Decimal",
        "enum Backend {\n  BIGCOMMERCE\n  ELASTIC_PATH\n  MEMORY\n}",
        "cart(id: ID!): Cart",
        "backends: [BackendInfo!]!",
        "cartCreate(input: CartCreateInput!): CartPayload!",
        "cartLinesAdd(cartId: ID!, lines: [CartLineInput!] = null, "
        "customLines: [CustomLineInput!] = null, expectedVersion: String = null, "
        "giftCertificates: [GiftCertificateInput!] = null): CartPayload!",
        "cartLinesUpdate(cartId: ID!, lines: [CartLineUpdateInput!]!, "
        "expectedVersion: String = null): CartPayload!",
        "cartDelete(cartId: ID!): CartDeletePayload!",
        "quantity: Int! = 1",
        "totalTaxAmount: Money",
        "compareAtAmountPerQuantity: Money",
    ]:
        assert line in sdl, line
