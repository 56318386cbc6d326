"""Strict Date, DateTime and Decimal scalars (strawberry's own are lax)."""

from __future__ import annotations

import datetime
import decimal
import re

import strawberry
from graphql import StringValueNode, ValueNode

from billing.values import format_datetime, parse_date, parse_datetime

# ASCII digits only: \d would also take other scripts' digits, which Decimal() reads.
_DECIMAL = re.compile(r"-?[0-9]{1,14}(\.[0-9]{1,4})?")
_TWO_PLACES = decimal.Decimal("0.01")


def _serialize_date(value: datetime.date) -> str:
    return value.isoformat()


def _serialize_decimal(value: decimal.Decimal) -> str:
    """The value's own places, at least 2: "12.50", "1.2345" (types fix the places)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(_TWO_PLACES)
    return f"{value:f}"


def _parse_decimal(value: object) -> decimal.Decimal:
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
        raise ValueError('must be a decimal string such as "12.50"')
    return decimal.Decimal(value)


def _literal(parse):  # type: ignore[no-untyped-def]
    """Literals must be strings, parsed exactly as variables are."""

    def parse_literal(node: ValueNode, _variables: object = None) -> object:
        if not isinstance(node, StringValueNode):
            raise ValueError("must be given as a string")
        return parse(node.value)

    return parse_literal


Date = strawberry.scalar(
    name="Date",
    description="A calendar date, written YYYY-MM-DD.",
    serialize=_serialize_date,
    parse_value=parse_date,
    parse_literal=_literal(parse_date),
)
DateTime = strawberry.scalar(
    name="DateTime",
    description=(
        "An instant, RFC 3339 with an offset; the server writes UTC. Inputs accept any "
        "offset or Z; a bare date or a time without offset is read as UTC."
    ),
    serialize=format_datetime,
    parse_value=parse_datetime,
    parse_literal=_literal(parse_datetime),
)
Decimal = strawberry.scalar(
    name="Decimal",
    description=(
        'An exact decimal amount of money, as a string with at least 2 places: "12.50", '
        '"1.2345". Totals have exactly 2; charge-level amounts keep up to 4. Inputs are '
        "strings of up to 14 digits, a point and up to 4 places."
    ),
    serialize=_serialize_decimal,
    parse_value=_parse_decimal,
    parse_literal=_literal(_parse_decimal),
)

SCALAR_OVERRIDES = {
    datetime.date: Date,
    datetime.datetime: DateTime,
    decimal.Decimal: Decimal,
}
