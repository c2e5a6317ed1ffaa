"""The browser assets under gateway/http/assets, served by the gateway itself.

A page names each file by ``/assets/<digest>/<name>`` with its Subresource Integrity, both
computed from the shipped bytes: the URL changes whenever the file does, so a browser may
keep it for a year, and a file altered on the way is refused by the browser.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
IMMUTABLE = "public, max-age=31536000, immutable"
# GraphiQL's menus lock scrolling with one <style> element (react-remove-scroll-bar): its
# text depends only on the scroll bar's width, which is 0 on these full-window pages.
SCROLL_LOCK_STYLE = "'sha256-Y/huXlwoYkVyQlxwSVcCi1RCDGDCSVBzDt0hYP9qlTc='"
# Nothing from another origin; GraphiQL's stylesheet embeds its fonts and icons as data: URLs.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src 'self'; style-src 'self' {SCROLL_LOCK_STYLE}; "
    "connect-src 'self'; "
    "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class Asset:
    """One shipped file, with the digest in its URL and its SRI integrity."""

    name: str
    body: bytes
    digest: str
    integrity: str

    @property
    def url(self) -> str:
        return f"/assets/{self.digest}/{self.name}"


@functools.cache
def assets() -> dict[str, Asset]:
    """Every servable file, read and hashed once, on first use (never at import)."""
    found = {}
    for path in sorted(ASSETS_DIR.iterdir()):
        if path.suffix not in MEDIA_TYPES:
            continue
        body = path.read_bytes()
        sha384 = hashlib.sha384(body).digest()
        found[path.name] = Asset(
            name=path.name, body=body, digest=sha384.hex()[:16],
            integrity="sha384-" + base64.b64encode(sha384).decode("ascii"),
        )
    return found


def script_tag(name: str) -> str:
    asset = assets()[name]
    return f'<script src="{asset.url}" integrity="{asset.integrity}"></script>'


def stylesheet_tag(name: str) -> str:
    asset = assets()[name]
    return f'<link rel="stylesheet" href="{asset.url}" integrity="{asset.integrity}">'


def page(*, title: str, head: list[str], body: str) -> str:
    """An HTML page whose only resources are the shipped assets in ``head``."""
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{escape(title)}</title>\n<link rel="icon" href="data:,">\n' +
            "\n".join(head) +
            f"\n</head>\n<body>\n{body}\n</body>\n</html>\n")


async def serve_asset(request: Request) -> Response:
    asset = assets().get(request.path_params["name"])
    if asset is None or asset.digest != request.path_params["digest"]:
        # An old digest is a file that changed since: never serve other bytes under it.
        return PlainTextResponse("Not Found", status_code=404)
    return Response(asset.body, media_type=MEDIA_TYPES[Path(asset.name).suffix],
                    headers={"Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff"})
