"""DirectRoute (gateway/http/direct_route.py): its route's POSTs skip starlette's router
and exception middleware, and the route's app sees the scope the router would give it.
"""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from gateway.http.direct_route import DirectRoute

pytestmark = pytest.mark.anyio

ROUTER_KEYS = ("router", "route", "endpoint", "path_params")


class Probe:
    """An ASGI endpoint that remembers the scope of every request it answers."""

    def __init__(self) -> None:
        self.scopes: list[Scope] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scopes.append(dict(scope))
        await PlainTextResponse(f"{scope['method']} probed")(scope, receive, send)


def _app(probe: Probe) -> Starlette:
    route = Route("/probe", probe, methods=["GET", "POST"])
    return Starlette(routes=[route, Route("/other", probe, methods=["POST"])],
                     middleware=[Middleware(DirectRoute, route=route, methods=["POST"])])


async def _call(app: Starlette, method: str, path: str, root_path: str = "") -> httpx.Response:
    transport = httpx.ASGITransport(app=app, root_path=root_path)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, path)


async def test_a_post_is_handed_to_the_route_with_the_routers_scope() -> None:
    probe = Probe()
    app = _app(probe)
    assert (await _call(app, "GET", "/probe")).text == "GET probed"
    assert (await _call(app, "POST", "/probe")).text == "POST probed"
    routed, direct = probe.scopes
    assert {key: direct[key] for key in ROUTER_KEYS} == {key: routed[key] for key in ROUTER_KEYS}
    assert direct["route"].path == "/probe"
    # Only the router's way passed through starlette's exception middleware.
    assert "starlette.exception_handlers" in routed
    assert "starlette.exception_handlers" not in direct


async def test_anything_else_takes_starlettes_way() -> None:
    probe = Probe()
    app = _app(probe)
    assert (await _call(app, "POST", "/other")).text == "POST probed"
    assert (await _call(app, "PUT", "/probe")).status_code == 405
    assert (await _call(app, "POST", "/nowhere")).status_code == 404
    assert (await _call(app, "POST", "/probe/")).status_code == 307  # the router's redirect
    assert (await _call(app, "POST", "/api/probe", root_path="/api")).text == "POST probed"
    assert len(probe.scopes) == 2
    assert all("starlette.exception_handlers" in scope for scope in probe.scopes)


def test_the_route_must_allow_the_methods() -> None:
    route = Route("/probe", Probe(), methods=["GET"])
    with pytest.raises(AssertionError):
        DirectRoute(Starlette(), route=route, methods=["POST"])
