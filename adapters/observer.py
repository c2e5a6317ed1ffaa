"""What the gateway may learn about each vendor call, without the adapters knowing why.

``JsonTransport`` (and Elastic Path's token request) report every HTTP exchange with a
vendor to an optional ``BackendObserver``: method, endpoint template (the words of
every vendor in ``adapters.registry`` kept, values hidden), status or the kind
of failure, and its duration. The gateway turns these into metrics and spans; the
adapters import neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from adapters.registry import VENDORS

# Every fixed word a vendor client puts in a path, as each vendor's registry entry lists
# them. Any other segment is a value and becomes ``{id}`` (``EndpointWords``).
ENDPOINT_WORDS = frozenset[str]().union(*(entry.endpoints.words for entry in VENDORS.values()))
# Collections whose next segment is always a value, even one that spells a word.
_VALUE_FOLLOWS = frozenset[str]().union(
    *(entry.endpoints.value_follows for entry in VENDORS.values()))

# Failures that have no status: the kind stands in for it.
TIMEOUT = "timeout"
UNREACHABLE = "unreachable"  # the connection was never made
BROKEN = "broken"  # the exchange broke off after it started


@dataclass(frozen=True, slots=True)
class BackendCall:
    """One HTTP exchange with a vendor, as it ended."""

    method: str
    endpoint: str
    status: int | None
    error: str | None
    seconds: float


class BackendObserver(Protocol):
    """Told about every vendor exchange; must be quick and must not raise."""

    def __call__(self, call: BackendCall, /) -> None: ...


def endpoint_template(path: str) -> str:
    """The path with every value replaced by ``{id}``: ``/v2/carts/{id}/items/{id}``."""
    parts: list[str] = []
    value_next = False
    for segment in path.split("?", 1)[0].split("/")[1:]:
        if value_next or segment not in ENDPOINT_WORDS:
            parts.append("{id}")
            value_next = False
        else:
            parts.append(segment)
            value_next = segment in _VALUE_FOLLOWS
    return "/" + "/".join(parts)
