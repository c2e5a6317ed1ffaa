"""``pytest --validate-specs=PATH``: every vendor exchange in the run is checked and counted."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from adapters.model import Backend
from tests.conformance.validating import Ledger, wrap


class SpecValidation:
    """Holds the run's ledger and writes it as JSON when the run ends."""

    NAME = "spec-validation"

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.ledger = Ledger()

    def wrap(self, transports: Mapping[Backend, httpx.AsyncBaseTransport],
             sandboxes: Mapping[Backend, Starlette]) -> dict[Backend, httpx.AsyncBaseTransport]:
        """The sandboxes' transports, validating into this run's ledger."""
        faults = {backend: app.state.faults for backend, app in sandboxes.items()}
        return wrap(transports, faults, self.ledger)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.path.write_text(json.dumps(self.ledger.to_json(), indent=1) + "\n",
                             encoding="utf-8")
