"""Whether `cartgate serve` can listen where it was asked to, said before anything starts."""

from __future__ import annotations

import errno
import socket


def listen_problem(host: str, port: int) -> str | None:
    """One line saying why ``host:port`` cannot be listened on, or None when it can.

    uvicorn would print its banner, fail with a traceback-like ``[Errno 98]`` and shut
    down twice; a bind tried first says the same in one line. The socket is closed again
    at once (with SO_REUSEADDR, as uvicorn binds, so a closing connection is no problem).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror:
        return f"cartgate: cannot listen on {host}: no such host; choose another with --host"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as error:
            other = port + 1 if port < 65535 else 8000
            if error.errno == errno.EADDRINUSE:
                why = "is already in use"
            elif error.errno == errno.EACCES:
                why = "needs privileges this user lacks"
            else:
                why = f"cannot be used ({error.strerror})"
            return (f"cartgate: port {port} on {host} {why}; choose another with "
                    f"--port {other} (make run PORT={other})")
    return None
