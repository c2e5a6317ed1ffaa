"""``gid://<backend>/<Type>/<native id>`` encoding and decoding."""

from __future__ import annotations

import re

from adapters.errors import InvalidInput
from adapters.model import NATIVE_ID, Backend

_GID = re.compile(r"gid://(?P<backend>[a-z]+)/(?P<type>[A-Za-z]+)/(?P<native>.+)")


def encode(backend: Backend, type_name: str, native_id: str) -> str:
    return f"gid://{backend.value}/{type_name}/{native_id}"


def decode(
    gid: str, type_name: str, *, field: tuple[str, ...], enabled: frozenset[Backend] | None = None
) -> tuple[Backend, str]:
    """(backend, native id) of a gid, or InvalidInput naming the argument."""
    match = _GID.fullmatch(gid)
    if match is None or match["type"] != type_name:
        raise InvalidInput(f"not a {type_name} id: expected gid://<backend>/{type_name}/<id>",
                           field=field)
    try:
        backend = Backend(match["backend"])
    except ValueError:
        raise InvalidInput(f"unknown backend {match['backend']!r} in the id", field=field) \
            from None
    if enabled is not None and backend not in enabled:
        raise InvalidInput(f"the {backend.value} backend is not enabled", field=field)
    if NATIVE_ID.fullmatch(match["native"]) is None:
        raise InvalidInput(f"malformed {type_name} id", field=field)
    return backend, match["native"]
