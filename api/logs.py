"""Log records about clients' mistakes, kept apart from the server's own errors."""

from __future__ import annotations

import logging

from aiohttp.http_exceptions import HttpProcessingError

#: aiohttp's logger for connections whose request it could not even parse.
SERVER_LOGGER = "aiohttp.server"


class MalformedRequestFilter(logging.Filter):
    """Turn aiohttp's ERROR-with-traceback for an unparsable request into one INFO line.

    A header with a NUL byte, a bad method or a broken chunked body is answered 400 by
    aiohttp before any handler runs: the client's mistake, not ours, so no traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError) and 400 <= (error.code or 0) < 500:
            said = record.getMessage().replace("Error handling request", "Malformed request")
            reason = (error.message or "").strip().splitlines()
            record.msg = "%s: answered %s (%s)"
            record.args = (said, error.code, reason[0].rstrip(":") if reason else "bad request")
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


def quiet_malformed_requests() -> None:
    """Install the filter once on aiohttp's server logger."""
    logger = logging.getLogger(SERVER_LOGGER)
    if not any(isinstance(f, MalformedRequestFilter) for f in logger.filters):
        logger.addFilter(MalformedRequestFilter())
