"""The same carts on both vendors read the same, field by field, except where the
allow-list says why they differ (tests/parity/allow_list.py, README "Where the vendors
differ").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.parity.allow_list import ALLOWED
from tests.parity.build import Outcome, build
from tests.parity.scenarios import SCENARIOS
from tests.support import GraphQLClient

pytestmark = pytest.mark.anyio
README = Path(__file__).resolve().parents[2] / "README.md"
_outcomes: dict[str, Outcome] = {}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
async def test_same_cart_reads_the_same(gateway: GraphQLClient, scenario: object) -> None:
    from tests.parity.scenarios import Scenario

    assert isinstance(scenario, Scenario)
    outcome = await build(gateway, scenario)
    _outcomes[scenario.name] = outcome
    assert outcome.compared > 0
    assert outcome.unexplained == {}


async def test_every_allowed_difference_is_still_needed(gateway: GraphQLClient) -> None:
    for scenario in SCENARIOS:
        if scenario.name not in _outcomes:
            _outcomes[scenario.name] = await build(gateway, scenario)
    used = {entry.key for o in _outcomes.values() for entry, _ in o.allowed.values()}
    assert sorted(a.key for a in ALLOWED if a.key not in used) == []


def test_readme_publishes_the_allow_list() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Where the vendors differ", 1)[1].split("\n## ", 1)[0]
    for entry in ALLOWED:
        row = next((line for line in section.splitlines() if f"`{entry.key}`" in line), None)
        assert row is not None, entry.key
        assert entry.reason in row, entry.key
        if entry.capability is not None:
            assert f"`{entry.capability.value}`" in row, entry.key
