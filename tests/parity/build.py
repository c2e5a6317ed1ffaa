"""One scenario built on both vendors, and what differs between their answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.parity.allow_list import Allowed, allowed_by
from tests.parity.normalize import differences, flatten
from tests.parity.scenarios import Answers, Scenario
from tests.support import GraphQLClient

VENDORS = ("BIGCOMMERCE", "ELASTIC_PATH")


@dataclass
class Outcome:
    """Fields compared, and the differences: allowed (with the entry) or not."""

    compared: int
    allowed: dict[str, tuple[Allowed, tuple[Any, Any]]]
    unexplained: dict[str, tuple[Any, Any]]


async def answers(gateway: GraphQLClient, scenario: Scenario, vendor: str) -> Answers:
    own = scenario.own.get(vendor, {})
    result: Answers = {"create": await gateway.create({**scenario.create, **own,
                                                       "backend": vendor})}
    for name, step in scenario.steps:
        key = name
        while key in result:
            key += "'"
        result[key] = await step(gateway, result) if result["create"]["cart"] else None
    return result


async def build(gateway: GraphQLClient, scenario: Scenario) -> Outcome:
    bc, ep = [flatten(await answers(gateway, scenario, vendor)) for vendor in VENDORS]
    outcome = Outcome(compared=len(bc.keys() | ep.keys()), allowed={}, unexplained={})
    for path, values in differences(bc, ep).items():
        entry = allowed_by(scenario.name, path)
        if entry is None:
            outcome.unexplained[path] = values
        else:
            outcome.allowed[path] = (entry, values)
    return outcome
