"""How a server writes its log: one JSON object per line, or text for people.

python-json-logger rather than structlog: every module here already logs through the
standard `logging` module (and so do aiohttp and Tortoise); python-json-logger is a
formatter for exactly that, so nothing else changes, and its orjson variant is cheap.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

from pythonjsonlogger.orjson import OrjsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(OrjsonFormatter):
    """`time` (UTC, ISO 8601), `level`, `message`, `logger`, then the record's extras."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(message)s %(name)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def resolve_format(log_format: str | None, stream: TextIO) -> str:
    """LOG_FORMAT, or when unset: text on a terminal, JSON otherwise."""
    if log_format:
        return log_format
    return "text" if stream.isatty() else "json"


def install(log_format: str | None, level: int = logging.INFO, stream: TextIO | None = None) -> str:
    """Send every log record to `stream` (stderr) in `log_format`; return the format used."""
    stream = stream or sys.stderr
    chosen = resolve_format(log_format, stream)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if chosen == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("tortoise").setLevel(logging.WARNING)
    return chosen
