"""Money as exact integers of ten-thousandths in the database, Decimal everywhere else."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

#: Stored units per currency unit: charges are exact to 4 places.
UNITS = 10_000
_PLACES = 4  # the places one unit stands for
_CENT_UNITS = 100  # one cent in units
_FOUR_PLACES = Decimal("0.0001")
_TWO_PLACES = Decimal("0.01")
#: Amounts a client may send are below this in size: 14 digits before the point.
AMOUNT_LIMIT = Decimal(10) ** 14
_NUMERIC = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def to_units(amount: Decimal) -> int:
    """Exact: raises ValueError when `amount` has more than 4 places.

    Integer arithmetic on the digits, so no Decimal context rounds a long value first.
    """
    sign, digits, exponent = amount.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError("is not a finite number")
    coefficient = int("".join(map(str, digits)))
    units: int
    shift = exponent + _PLACES
    if shift >= 0:
        if shift > 40:  # far beyond any amount a 64-bit column holds
            raise ValueError("is too large")
        units = coefficient * 10**shift
    elif -shift > len(digits):  # every digit lies past the 4th place
        if coefficient:
            raise ValueError("has more than 4 decimal places")
        units = 0
    else:
        units, rest = divmod(coefficient, 10**-shift)
        if rest:
            raise ValueError("has more than 4 decimal places")
    return -units if sign else units


def parse_amount(value: object, places: int = _PLACES) -> int:
    """Read an exact amount a client sent, with at most `places` decimals, as units.

    Accepts a Decimal (JSON numbers are read as Decimal), an int or a numeric string
    such as "12.50"; never a float, which may already be inexact. Raises ValueError with
    a readable message (to follow the field's name).
    """
    if isinstance(value, str) and _NUMERIC.fullmatch(value):
        value = Decimal(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError("must be an exact number such as 12.50 (a JSON number or numeric text)")
    if abs(value) >= AMOUNT_LIMIT:
        raise ValueError(f"must be less than {AMOUNT_LIMIT:,.0f} in size")
    try:
        units = to_units(value)
    except ValueError:
        units = None
    if units is None or units % 10 ** (_PLACES - places):
        raise ValueError(f"may have at most {places} decimal places")
    return units


def from_units(units: int) -> Decimal:
    """A Decimal written with at least 2 places (4 where they are needed)."""
    value = (Decimal(units) / UNITS).quantize(_FOUR_PLACES)
    two = value.quantize(_TWO_PLACES)
    return two if two == value else value


def cents_from_units(units: int) -> Decimal:
    """A Decimal with exactly 2 places, for amounts kept in whole cents."""
    return (Decimal(units) / UNITS).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def round_to_cents(units: int) -> int:
    """Round half-up (away from zero on a tie) to 2 places, staying in units."""
    cents = (Decimal(units) / _CENT_UNITS).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(cents) * _CENT_UNITS
