"""What every resolver needs: the enabled backends and the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.types import Info

from adapters import model
from adapters.base import CartBackend
from adapters.errors import InvalidInput
from adapters.model import Backend
from gateway.access.customer_tokens import CustomerTokens
from gateway.graphql import ids
from gateway.graphql.fastpath.identity_memo import ListMemo
from gateway.graphql.types import CartLine


@dataclass(frozen=True)
class GatewayContext:
    """Shared by all requests of one app; built once in the lifespan."""

    backends: dict[Backend, CartBackend]
    default_backend: Backend
    default_locale: str
    # The GraphQL lines of the latest carts' domain lines, and of each domain line: the
    # app's fast path owns them.
    line_sets: ListMemo[model.CartLine, CartLine]
    # Verifies buyerIdentity.customerAccessToken; by default no token is accepted.
    customer_tokens: CustomerTokens = field(default_factory=lambda: CustomerTokens(secret=None))

    @property
    def enabled(self) -> frozenset[Backend]:
        return frozenset(self.backends)

    def backend(self, backend: Backend | None, *, field: tuple[str, ...]) -> CartBackend:
        chosen = backend or self.default_backend
        found = self.backends.get(chosen)
        if found is None:
            raise InvalidInput(f"the {chosen.value} backend is not enabled", field=field)
        return found

    def cart_backend(self, cart_id: str, *, field: tuple[str, ...]) -> tuple[CartBackend, str]:
        """The backend holding a cart and the cart's native id."""
        backend, native = ids.decode(cart_id, "Cart", field=field, enabled=self.enabled)
        return self.backends[backend], native

    def line_id(self, line_id: str, backend: Backend, *, field: tuple[str, ...]) -> str:
        """The native id of a line that must live on the cart's backend."""
        line_backend, native = ids.decode(line_id, "CartLine", field=field)
        if line_backend is not backend:
            raise InvalidInput("the line belongs to a cart on another backend", field=field)
        return native


def gateway_context(info: Info) -> GatewayContext:
    """The app's context, as a resolver finds it in strawberry's ``info``."""
    context: GatewayContext = info.context["gateway"]
    return context
