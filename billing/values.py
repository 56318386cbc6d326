"""Strict parsing of wire values, shared by the REST shim and the GraphQL scalars."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal

from billing.money import two_places

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)((?:[Zz])|(?:[+-]\d{2}:\d{2}))?"
)
#: The shape nearly every datetime comes in, which `datetime.fromisoformat` reads as is.
_USUAL_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
#: The largest id a client may name: ids are signed 64-bit integers.
MAX_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")  # ASCII only: \d also matches other scripts' digits


def parse_date(value: object) -> date:
    """Read `YYYY-MM-DD`, strictly; raise ValueError with a readable message otherwise."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a real date") from None


def parse_datetime(value: object) -> datetime:
    """Read RFC 3339 (any offset or Z) as an aware UTC datetime.

    A bare date, or a datetime without an offset, is read as UTC.
    """
    if isinstance(value, str) and _USUAL_DATETIME.fullmatch(value):
        try:
            return datetime.fromisoformat(value).astimezone(UTC)
        except (ValueError, OverflowError):
            pass  # not a real datetime, or out of range: the full reading below says which
    if isinstance(value, str) and _DATE.fullmatch(value):
        return datetime.combine(parse_date(value), time(), tzinfo=UTC)
    match = _DATETIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError("must be an RFC 3339 datetime such as 2026-11-25T14:03:07Z")
    day, clock, offset = match.groups()
    if offset in (None, "Z", "z"):
        offset = "+00:00"
    try:
        parsed = datetime.fromisoformat(f"{day}T{clock}{offset}")
    except ValueError:
        raise ValueError(f"{value} is not a real datetime") from None
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-05:00 is past the year 9999 in UTC
        raise ValueError(f"{value} is out of range") from None


def whole_decimal(value: object, low: int, high: int) -> object:
    """A JSON number with nothing after the point (60.0, 6E+1: JSON, like JSON Schema,
    counts them as the integer 60) from `low` to `high`, as an int; other values as given."""
    if (
        isinstance(value, Decimal)
        and value.is_finite()
        and low <= value <= high
        and value == value.to_integral_value()
    ):
        return int(value)
    return value


def parse_id(value: object) -> int:
    """Read an id: a non-negative 64-bit integer, as a number or a string of digits."""
    value = whole_decimal(value, 0, MAX_ID)
    if isinstance(value, bool):
        raise ValueError("must be an id (a whole number)")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ID.fullmatch(value):
        number = int(value)
    else:
        raise ValueError("must be an id (a whole number)")
    if not 0 <= number <= MAX_ID:
        raise ValueError("is out of range for an id")
    return number


def storable_text(value: str) -> bool:
    """Whether both databases can store the text: UTF-8 without NUL (a lone surrogate
    cannot be encoded; PostgreSQL refuses NUL)."""
    if value.isascii():  # the usual case, and ASCII always encodes
        return "\x00" not in value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


#: `billing.money.two_places` under the name schema/ imports it by.
money = two_places


def format_datetime(value: datetime) -> str:
    """RFC 3339 in UTC with microseconds, e.g. 2026-11-25T14:03:07.123456+00:00."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")
