"""Strict Date, DateTime and Decimal scalars (strawberry's own are lax)."""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import StringValueNode, ValueNode

from billing.money import AMOUNT_LIMIT, UNITS
from billing.values import format_datetime, money, parse_date, parse_datetime

#: The amounts the domain takes (billing.money): below AMOUNT_LIMIT in size, so up to 14
#: digits before the point, and exact in units, so up to 4 after it.
_DIGITS = AMOUNT_LIMIT.adjusted()
_PLACES = decimal.Decimal(UNITS).adjusted()
# ASCII digits only: \d would also take other scripts' digits, which Decimal() reads.
_DECIMAL = re.compile(rf"-?[0-9]{{1,{_DIGITS}}}(\.[0-9]{{1,{_PLACES}}})?")


def _serialize_date(value: datetime.date) -> str:
    return value.isoformat()


def _serialize_decimal(value: decimal.Decimal) -> str:
    """The value's own places, at least 2: "12.50", "1.2345" (types fix the places)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = money(value)
    return f"{value:f}"


def _parse_decimal(value: object) -> decimal.Decimal:
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
        raise ValueError('must be a decimal string such as "12.50"')
    return decimal.Decimal(value)


def _strict_scalar(
    name: str, description: str, serialize: Callable[[Any], str], parse: Callable[[object], Any]
) -> Any:
    """A scalar whose literals must be strings, parsed exactly as variables are."""

    def parse_literal(node: ValueNode, _variables: object = None) -> object:
        if not isinstance(node, StringValueNode):
            raise ValueError("must be given as a string")
        return parse(node.value)

    return strawberry.scalar(
        name=name,
        description=description,
        serialize=serialize,
        parse_value=parse,
        parse_literal=parse_literal,
    )


Date = _strict_scalar("Date", "A calendar date, written YYYY-MM-DD.", _serialize_date, parse_date)
DateTime = _strict_scalar(
    "DateTime",
    "An instant, RFC 3339 with an offset; the server writes UTC. Inputs accept any "
    "offset or Z; a bare date or a time without offset is read as UTC.",
    format_datetime,
    parse_datetime,
)
Decimal = _strict_scalar(
    "Decimal",
    'An exact decimal amount of money, as a string with at least 2 places: "12.50", '
    '"1.2345". Totals have exactly 2; charge-level amounts keep up to 4. Inputs are '
    f"strings of up to {_DIGITS} digits, a point and up to {_PLACES} places.",
    _serialize_decimal,
    _parse_decimal,
)

SCALAR_OVERRIDES = {
    datetime.date: Date,
    datetime.datetime: DateTime,
    decimal.Decimal: Decimal,
}
