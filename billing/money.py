"""Money as exact integers of ten-thousandths in the database, Decimal everywhere else."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

#: Stored units per currency unit: charges are exact to 4 places.
UNITS = 10_000
_CENT_UNITS = 100  # one cent in units
_FOUR_PLACES = Decimal("0.0001")
_TWO_PLACES = Decimal("0.01")


def to_units(amount: Decimal) -> int:
    """Exact: raises ValueError when `amount` has more than 4 places."""
    scaled = amount * UNITS
    if scaled != scaled.to_integral_value():
        raise ValueError("has more than 4 decimal places")
    return int(scaled)


def from_units(units: int) -> Decimal:
    """A Decimal written with at least 2 places (4 where they are needed)."""
    value = (Decimal(units) / UNITS).quantize(_FOUR_PLACES)
    two = value.quantize(_TWO_PLACES)
    return two if two == value else value


def round_to_cents(units: int) -> int:
    """Round half-up (away from zero on a tie) to 2 places, staying in units."""
    cents = (Decimal(units) / _CENT_UNITS).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(cents) * _CENT_UNITS
