"""Whole numbers written as text: query parameters, settings, command-line counts."""

from __future__ import annotations

#: The most digits read: enough for any 64-bit integer, and int() stays cheap.
DIGITS_MAX = 19


class NotAWholeNumber(ValueError):
    """The text is not a whole number written in ASCII digits."""


class OutOfRange(ValueError):
    """A whole number outside the range asked for."""


def parse_whole(text: str, low: int = 0, high: int | None = None) -> int:
    """Read 1 to DIGITS_MAX ASCII digits as a number from `low` (0 or more) to `high`.

    Only the digits 0-9: no plus sign, space or underscore, and not other scripts'
    digits, which int() would take. A negative number, or more digits than DIGITS_MAX,
    is out of range; `high` None is no upper bound.
    """
    if not _digits(text):
        raise OutOfRange(text) if text[:1] == "-" and _digits(text[1:]) else NotAWholeNumber(text)
    if len(text) > DIGITS_MAX:
        raise OutOfRange(text)
    value = int(text)
    if value < low or (high is not None and value > high):
        raise OutOfRange(text)
    return value


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()
