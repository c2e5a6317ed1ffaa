"""Log lines: one JSON object per line in production (``CARTGATE_LOG_FORMAT=json``), or
readable text; both carry the id of the request being served.

Configured once per process, by ``cartgate serve`` and by ``create_app_from_env`` (each
uvicorn worker); ``create_app`` alone leaves logging to whoever embeds it (tests).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

import orjson

from adapters.request_context import request_id

# The attributes every LogRecord has; anything else was passed with ``extra=``.
# (uvicorn adds ``color_message``: the same message with terminal colours.)
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName", "request_id", "color_message",
}
# uvicorn's loggers hand their lines to ours instead of printing their own format.
_UVICORN = ("uvicorn", "uvicorn.error")
_UVICORN_ACCESS = "uvicorn.access"
# httpx logs every vendor request at INFO: the metrics count those; DEBUG shows them.
_CHATTY = ("httpx", "httpcore")


class JsonFormatter(logging.Formatter):
    """timestamp, level, logger, message, request_id, then any extra fields."""

    def __init__(self) -> None:
        super().__init__()
        # Every line of one second shares its date and time: formatted once a second.
        self._second = -1
        self._second_text = ""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": self._timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        try:
            # A line per request: orjson writes it several times faster than json.
            return orjson.dumps(entry, default=str).decode()
        except TypeError:  # what orjson refuses (an int past 64 bits, say) json writes
            return json.dumps(entry, default=str, ensure_ascii=False)

    def _timestamp(self, created: float) -> str:
        """ISO 8601 in UTC to the millisecond, as ``datetime.isoformat`` writes it: the
        instant rounded to the microsecond first, as ``datetime.fromtimestamp`` rounds it.
        """
        second = int(created)
        micro = round((created - second) * 1e6)
        if micro >= 1_000_000:
            second, micro = second + 1, micro - 1_000_000
        if second != self._second:
            self._second_text = datetime.fromtimestamp(second, UTC).strftime(
                "%Y-%m-%dT%H:%M:%S")
            self._second = second
        return f"{self._second_text}.{micro // 1000:03d}Z"


class TextFormatter(logging.Formatter):
    """The same fields for a terminal: ``time level logger [request id] message``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_id.get() or "-"
        return super().format(record)


class _Handler(logging.StreamHandler[TextIO]):
    """Ours, so configuring again replaces it instead of printing every line twice."""


def configure_logging(*, format: Literal["json", "text"], level: str = "INFO",
                      uvicorn_access_log: bool = False) -> None:
    """Send every log line (uvicorn's too) to stderr in ``format``.

    The gateway writes its own access line (``cartgate.access``, with the request id), so
    uvicorn's is silenced unless asked for (the sandboxes have no other).
    """
    handler = _Handler(sys.stderr)
    handler.setFormatter(JsonFormatter() if format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    quiet = logging.DEBUG if level.upper() == "DEBUG" else logging.WARNING
    for name in _CHATTY:
        logging.getLogger(name).setLevel(quiet)
    for name in _UVICORN:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    access = logging.getLogger(_UVICORN_ACCESS)
    access.handlers.clear()
    # uvicorn writes access lines only when this logger has a handler somewhere up.
    access.propagate = uvicorn_access_log
    # Neither format writes the thread, the process or the calling function and line: the
    # logging HOWTO's "Optimization" switches spare every line looking them up.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None
