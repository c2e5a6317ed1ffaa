"""One route taken straight from the middleware, past starlette's exception middleware
and router.

Nearly every request a gateway serves is ``POST /graphql``. Starlette would wrap it in
its exception middleware (for ``HTTPException`` handlers: nothing on that route raises
one, each layer answers its own refusals) and match it against every route; this layer,
the innermost middleware, hands it to the route's app at once, with the scope the router
would have given it. Anything else (another path or method, a ``root_path``) takes
starlette's way.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send


class DirectRoute:
    """Innermost middleware: ``route`` for its path and ``methods``, unmatched."""

    def __init__(self, app: ASGIApp, *, route: Route, methods: Iterable[str]) -> None:
        self.app = app
        self.route = route
        self.methods = frozenset(methods)
        assert self.methods <= (route.methods or set()), "the route must allow the methods"
        assert not route.param_convertors, "a route without path parameters"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope["path"] == self.route.path
                and scope["method"] in self.methods and not scope.get("root_path")):
            # What starlette's router puts in the scope of the route it matched.
            if "router" not in scope:
                scope["router"] = scope["app"].router
            scope["route"] = self.route
            scope["endpoint"] = self.route.endpoint
            scope["path_params"] = dict(scope.get("path_params", {}))
            await self.route.app(scope, receive, send)
            return
        await self.app(scope, receive, send)
