"""Fault plans and the queue of them one sandbox app still has to play.

A plan says which requests fail (method, a piece of the path, how many) and how (its
kind, status, delay, body, headers, rewrites); ``sandboxes.faults`` plays them. Plans are
checked when made, so a typo in a test fails loudly, not as a fault that never plays.
"""

from __future__ import annotations

import asyncio
import math
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, TypeGuard, get_args

FaultKind = Literal["status", "delay", "reset", "malformed_json", "missing_fields", "body",
                    "rewrite"]
KINDS: frozenset[str] = frozenset(get_args(FaultKind))


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """The next `count` requests matching `method` and `path_contains` fail as `kind` says."""

    kind: FaultKind
    count: int = 1
    status: int | None = None
    delay_seconds: float = 0.0
    method: str | None = None
    path_contains: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    rewrite: Mapping[str, str] = field(default_factory=dict)

    # Above the complexity bound: one check per field of the plan.
    def __post_init__(self) -> None:  # noqa: C901
        # Checked here, not only at the HTTP door, so a typo in a test fails loudly too.
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(sorted(KINDS))}")
        if not _is_int(self.count) or self.count < 1:
            raise ValueError("count must be a positive integer")
        if self.kind in ("status", "body"):
            lowest = 400 if self.kind == "status" else 200
            if not _is_int(self.status) or not lowest <= self.status <= 599:
                raise ValueError(f"a {self.kind} fault needs a status from {lowest} to 599")
        elif self.status is not None:
            raise ValueError(f"a {self.kind} fault takes no status")
        delay = self.delay_seconds
        if not isinstance(delay, int | float) or isinstance(delay, bool) or not (
            math.isfinite(delay) and delay >= 0
        ):
            raise ValueError("delay_seconds must be a finite number, zero or more")
        if self.kind == "delay" and delay == 0:
            raise ValueError("a delay fault needs delay_seconds above zero")
        for name in ("method", "path_contains"):
            if not isinstance(getattr(self, name), str | None):
                raise ValueError(f"{name} must be a string")
        if not isinstance(self.headers, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.headers.items()
        ):
            raise ValueError("headers must map strings to strings")
        if self.body is not None and self.kind != "body":
            raise ValueError(f"a {self.kind} fault takes no body; use kind 'body'")
        object.__setattr__(self, "delay_seconds", float(delay))
        object.__setattr__(self, "method", self.method.upper() if self.method else None)
        object.__setattr__(self, "headers", dict(self.headers))  # not the caller's dict
        if not isinstance(self.rewrite, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.rewrite.items()
        ):
            raise ValueError("rewrite must map patterns to replacements, all strings")
        if (self.kind == "rewrite") != bool(self.rewrite):
            raise ValueError("a rewrite fault, and only it, needs rewrite patterns")
        try:
            object.__setattr__(self, "rewrite", {k: v for k, v in self.rewrite.items()
                                                 if re.compile(k)})
        except re.error as exc:
            raise ValueError(f"rewrite pattern: {exc}") from None

    @classmethod
    def from_json(cls, payload: object) -> FaultPlan:
        """A plan from the control API's JSON body; ValueError says what is wrong."""
        if not isinstance(payload, dict):
            raise ValueError("the body must be a JSON object")
        unknown = set(payload) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
        if "kind" not in payload:
            raise ValueError("kind is required")
        return cls(**payload)

    def to_json(self) -> dict[str, Any]:
        """The plan as the control API shows it."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with this method and path is one this plan targets."""
        return (self.method is None or self.method == method) and (
            self.path_contains is None or self.path_contains in path
        )


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(slots=True)
class _Queued:
    plan: FaultPlan
    left: int


class Faults:
    """The faults one sandbox app still has to play, in order; its `app.state.faults`."""

    def __init__(self) -> None:
        self._queue: list[_Queued] = []
        # A loopback server runs the app in its own thread while the test injects from
        # another, so a lock, not only the event loop, keeps take() atomic.
        self._lock = threading.Lock()

    def inject(self, plan: FaultPlan) -> FaultPlan:
        """Queue a plan behind those already waiting."""
        with self._lock:
            self._queue.append(_Queued(plan, plan.count))
        return plan

    def clear(self) -> None:
        """Forget every queued plan."""
        with self._lock:
            self._queue.clear()

    def pending(self) -> list[FaultPlan]:
        """The queued plans, each with the count it has left."""
        with self._lock:
            return [replace(queued.plan, count=queued.left) for queued in self._queue]

    async def until_played(self, within: float = 10.0) -> None:
        """Return once every queued plan has been played: a test's cue that its requests
        reached the sandbox. TimeoutError when they have not after ``within`` seconds.
        """
        async with asyncio.timeout(within):
            while self.pending():
                await asyncio.sleep(0.01)

    def take(self, method: str, path: str) -> FaultPlan | None:
        """Consume one count of the first plan this request matches, if any."""
        if path.startswith("/__sandbox/") or path == "/healthz":
            return None
        with self._lock:
            for queued in self._queue:
                if queued.plan.matches(method, path):
                    queued.left -= 1
                    if queued.left == 0:
                        self._queue.remove(queued)
                    return queued.plan
        return None
