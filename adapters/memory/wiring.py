"""The in-memory vendor's settings and how the gateway builds it: off unless enabled."""

from __future__ import annotations

from typing import ClassVar, Self

from adapters.base import CartBackend
from adapters.vendor_setup import BuildContext, VendorSettings


class MemorySettings(VendorSettings):
    """``CARTGATE_MEMORY_ENABLED=true`` serves carts kept in the gateway process itself:
    for tests and demos, never for a shop (each process has its own, lost on restart).
    """

    enabled: bool = False
    for_production: ClassVar[bool] = False

    def has_credentials(self) -> bool:
        # It needs none: served exactly when enabled, never by a sandbox.
        return self.enabled

    def for_sandbox(self, url: str) -> Self:
        raise NotImplementedError("the in-memory vendor has no sandbox")


def build(settings: MemorySettings, context: BuildContext) -> CartBackend:
    """A fresh in-memory store with the default catalog; each store operation is a
    vendor call to the context's observer (metrics, spans, rate limits).
    """
    from adapters.memory.adapter import MemoryBackend

    return MemoryBackend(observer=context.observer)
