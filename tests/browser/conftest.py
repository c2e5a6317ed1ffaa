"""Debian's chromium, headless, driven by Playwright against a gateway on loopback.

Every page runs offline: a request to any other origin is aborted and fails the test, as
does a Content-Security-Policy violation or a failed request to the gateway.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    Page,
    Request,
    Response,
    Route,
    ViewportSize,
    sync_playwright,
)

from tests.conftest import gateway_on_loopback

# Flags that keep chromium off the network it has no business with on a closed machine.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
SCREEN: ViewportSize = {"width": 1400, "height": 900}


@pytest.fixture(scope="module")
def gateway_url() -> Iterator[str]:
    """Both sandboxes and the gateway as uvicorn servers on 127.0.0.1."""
    with gateway_on_loopback() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One chromium per module: Playwright's loop must be gone before async tests run."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed; `make test` installs it")
    with sync_playwright() as playwright:
        # A persistent context would need one; Playwright makes a fresh profile per context.
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Watch:
    """What a page did that it must not: leave the origin, break the CSP, fail a load."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def route(self, route: Route, request: Request) -> None:
        if request.url.startswith(self.origin + "/") or request.url.startswith("data:"):
            route.continue_()
        else:
            self.foreign.append(request.url)
            route.abort()

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def request_failed(self, request: Request) -> None:
        self.failed.append(f"{request.failure} {request.url}")


@pytest.fixture
def page(browser: Browser, gateway_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport=SCREEN)
    watch = Watch(origin=gateway_url)
    context.route("**/*", watch.route)
    context.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.cspViolations.push("
        "`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));")
    opened = context.new_page()
    opened.on("response", watch.response)
    opened.on("requestfailed", watch.request_failed)
    try:
        yield opened
        assert opened.evaluate("window.cspViolations") == []
        assert watch.foreign == []
        assert watch.failed == []
    finally:
        context.close()


@pytest.fixture
def screenshot(pytestconfig: pytest.Config, tmp_path: Path) -> Callable[..., Path]:
    """Saves a PNG of the page: in --screenshots DIR when given (`--screenshots docs`)."""
    directory = Path(pytestconfig.getoption("screenshots") or tmp_path)

    def take(page: Page, name: str, *, full_page: bool = False) -> Path:
        path = directory / name
        page.screenshot(path=str(path), full_page=full_page)
        assert path.stat().st_size > 10_000  # a rendered page, not a blank one
        return path

    return take
