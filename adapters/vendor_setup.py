"""What a vendor package gives the gateway to be configured and built.

A vendor declares its own settings as a ``VendorSettings`` model with unprefixed field
names (``store_hash``); the gateway's ``Settings`` exposes each as the variable
``CARTGATE_<VENDOR>_<FIELD>`` and the keyword ``<vendor>_<field>``. Its builder turns
settings that can reach a store (the operator's, or ``for_sandbox``'s) and a
``BuildContext`` into a ``CartBackend``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

import httpx
from pydantic import BaseModel

from adapters.observer import BackendObserver
from adapters.shared_state.state import SharedState


class VendorSettings(BaseModel):
    """One vendor's own settings; every vendor may be pointed at a running sandbox."""

    # Set by `cartgate serve` so that every worker shares one running sandbox per vendor.
    sandbox_url: str | None = None
    # False for a vendor that must never serve shoppers (carts kept in one process):
    # production settings that enable it are refused at start.
    for_production: ClassVar[bool] = True

    def has_credentials(self) -> bool:
        """Whether these reach a real store; a vendor that needs none answers True."""
        raise NotImplementedError

    def for_sandbox(self, url: str) -> Self:
        """These settings pointed at the vendor's simulator at ``url``, with its
        credentials; only vendors whose registry entry has a sandbox are asked.
        """
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class BuildContext:
    """What the gateway hands every vendor's builder besides the vendor's own settings."""

    timeout: float  # seconds for one backend request
    catalog_cache_ttl: float  # seconds a catalog fact is remembered
    transport: httpx.AsyncBaseTransport
    shared: SharedState
    observer: BackendObserver | None
    sandbox: bool  # the settings reach the vendor's simulator, not a real store
