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
_WHOLE_DIGITS = AMOUNT_LIMIT.adjusted()  # digits an amount below the limit has before the point
#: Numeric text: a sign, the digits before the point and those after it. ASCII digits
#: only ([0-9], unlike \d, is ASCII only).
_NUMERIC = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")


_NOT_AN_AMOUNT = "must be an exact number such as 12.50 (a JSON number or numeric text)"
_TOO_LARGE = f"must be less than {AMOUNT_LIMIT:,.0f} in size"


class NotAnAmount(ValueError):
    """The value is not an exact number (a float, a word, an exponent in text)."""


class AmountTooLarge(ValueError):
    """The amount is AMOUNT_LIMIT or more in size."""


class TooManyPlaces(ValueError):
    """The amount has more decimal places than it may."""


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
    such as "12.50"; never a float, which may already be inexact. `places` is 0 to 4
    (what units hold). Raises NotAnAmount,
    AmountTooLarge or TooManyPlaces (all ValueError) with a readable message (to follow
    the field's name), checked in that order.
    """
    if isinstance(value, str):
        # The fast path, for the plain decimals a CSV import holds by the million: the
        # Decimal path's answer, in integer arithmetic on the digits.
        match = _NUMERIC.fullmatch(value)
        if match is None:
            raise NotAnAmount(_NOT_AN_AMOUNT)
        sign, whole, fraction = match.groups()
        whole = whole.lstrip("0")
        if len(whole) > _WHOLE_DIGITS:
            raise AmountTooLarge(_TOO_LARGE)
        units = int(whole) * UNITS if whole else 0
        if fraction:
            if len(fraction) > places and fraction[places:].strip("0"):
                raise TooManyPlaces(f"may have at most {places} decimal places")
            units += int(fraction[:_PLACES].ljust(_PLACES, "0"))
        return -units if sign else units
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise NotAnAmount(_NOT_AN_AMOUNT)
    if abs(value) >= AMOUNT_LIMIT:
        raise AmountTooLarge(_TOO_LARGE)
    try:
        exact = to_units(value)
    except ValueError:
        exact = None
    if exact is None or exact % 10 ** (_PLACES - places):
        raise TooManyPlaces(f"may have at most {places} decimal places")
    return exact


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


def two_places(value: Decimal) -> Decimal:
    """A currency total with exactly two places: a billing run's invoiceAmount, as both
    transports write it."""
    return Decimal(value).quantize(_TWO_PLACES)
