"""The behaviour suite of ``CartBackend``: every test runs on every backend of
``subjects.BACKENDS``. Where the backends differ, a test branches on
``backend.capabilities``, never on a vendor's name.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.base import CartBackend
from tests.adapters.subjects import BACKENDS, Subject


@pytest.fixture(params=list(BACKENDS))
async def subject(request: pytest.FixtureRequest) -> AsyncIterator[Subject]:
    made = BACKENDS[request.param]()
    try:
        yield made
    finally:
        await made.backend.aclose()


@pytest.fixture
def backend(subject: Subject) -> CartBackend:
    return subject.backend
