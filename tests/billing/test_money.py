"""Reading money exactly: amounts become integer units without passing through a float
or a rounding Decimal context."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing.money import cents_from_units, from_units, parse_amount, to_units


@pytest.mark.parametrize(
    ("amount", "units"),
    [("1.2345", 12345), ("1.23450000", 12345), ("-0.0001", -1), ("1E+3", 10_000_000), ("0E-50", 0)],
)
def test_to_units_is_exact(amount, units):
    assert to_units(Decimal(amount)) == units


@pytest.mark.parametrize(
    "amount",
    [
        "1.00001",
        "1.00000000000000000000000000001",
        "1E-999999999",
        "123456789012345678901234567.00005",
    ],
)
def test_to_units_refuses_a_fifth_place_however_long_the_number(amount):
    with pytest.raises(ValueError, match="4 decimal places"):
        to_units(Decimal(amount))


def test_parse_amount_reads_text_numbers_and_decimals_but_never_floats():
    assert parse_amount("12.50") == 125_000
    assert parse_amount(Decimal("0.1") + Decimal("0.2")) == 3_000
    assert parse_amount(7) == 70_000
    with pytest.raises(ValueError, match="exact number"):
        parse_amount(0.5)
    with pytest.raises(ValueError, match="exact number"):
        parse_amount(True)


@pytest.mark.parametrize(("text", "places"), [("1.234", 2), ("1.23456", 4), ("0.5", 0)])
def test_parse_amount_allows_only_the_places_asked_for(text, places):
    with pytest.raises(ValueError, match=f"at most {places} decimal places"):
        parse_amount(text, places)


def test_written_amounts_have_at_least_two_places_or_exactly_two():
    assert [str(from_units(u)) for u in (0, 125_000, 12_345, -500)] == [
        "0.00",
        "12.50",
        "1.2345",
        "-0.05",
    ]
    assert str(cents_from_units(100_000)) == "10.00"


def _read(value: object, places: int) -> tuple[str, object]:
    try:
        return ("units", parse_amount(value, places))
    except ValueError as error:
        return (type(error).__name__, str(error))


@settings(max_examples=500, database=None)  # nothing written to .hypothesis/ in the tree
@given(text=st.from_regex(r"-?[0-9]{1,17}(\.[0-9]{1,8})?", fullmatch=True))
def test_numeric_text_reads_as_its_decimal_does(text):
    """Text takes a fast path (the CSV import's); its answer is the Decimal path's."""
    for places in (0, 2, 4):
        assert _read(text, places) == _read(Decimal(text), places)
