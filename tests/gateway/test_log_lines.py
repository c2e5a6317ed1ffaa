"""The JSON log line: the same fields and timestamps whatever writes it."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from gateway.observability.logs import JsonFormatter


def _line(formatter: JsonFormatter, created: float, **extra: object) -> dict[str, object]:
    record = logging.LogRecord("cartgate.access", logging.INFO, __file__, 1, "%s %s %d",
                               ("POST", "/graphql", 200), None)
    record.created = created
    record.__dict__.update(extra)
    parsed: dict[str, object] = json.loads(formatter.format(record))
    return parsed


def test_timestamps_are_utc_milliseconds_as_isoformat_writes_them() -> None:
    formatter = JsonFormatter()
    # Lines within one second, across a second, a minute and a day, out of order too.
    instants = [1764452399.998, 1764452399.9991, 1764452400.0, 1764452400.5004,
                1764452400.0009, 1764460799.999, 1764460800.001, 1764452399.25, 0.001]
    for created in instants:
        expected = (datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
                    .replace("+00:00", "Z"))
        assert _line(formatter, created)["timestamp"] == expected


def test_fields_extras_and_what_orjson_cannot_write() -> None:
    line = _line(JsonFormatter(), 1764452400.25, duration_ms=1.5, path="/graphql",
                 huge=2**70, shopper="Zoë")
    assert {key: line[key] for key in ("level", "logger", "message")} == {
        "level": "INFO", "logger": "cartgate.access", "message": "POST /graphql 200"}
    assert (line["duration_ms"], line["path"], line["huge"], line["shopper"]) == (
        1.5, "/graphql", 2**70, "Zoë")
