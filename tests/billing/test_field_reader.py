"""The field reader and its rules, with no database: what each rule takes (wire text
and typed values alike), what it says when it refuses, and how a reader collects."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from billing.fields import (
    NAME,
    Amount,
    FieldReader,
    NegativeAmount,
    OneOf,
    Text,
    Whole,
    date_or_null,
    instant,
)
from billing.money import AmountTooLarge, NotAnAmount, TooManyPlaces
from models import LowValuePolicy


def _refusal(rule, value) -> tuple[type[ValueError], str]:
    with pytest.raises(ValueError) as refusal:
        rule(value)
    return type(refusal.value), str(refusal.value)


@pytest.mark.parametrize(
    ("rule", "text", "typed", "value"),
    [
        (Whole(), "60", 60, 60),
        (Amount(places=4), "1.5", Decimal("1.5"), 15_000),
        (Amount(places=2), "3", 3, 30_000),
        (date_or_null, "2026-12-01", date(2026, 12, 1), date(2026, 12, 1)),
        (
            instant,
            "2026-11-20T12:00:00+02:00",
            datetime(2026, 11, 20, 12, tzinfo=timezone(timedelta(hours=2))),
            datetime(2026, 11, 20, 10, tzinfo=UTC),
        ),
        (OneOf(LowValuePolicy), "PAD", LowValuePolicy.PAD, LowValuePolicy.PAD),
    ],
)
def test_a_rule_reads_wire_text_and_typed_values_alike(rule, text, typed, value):
    assert rule(text) == rule(typed) == value


@pytest.mark.parametrize(
    ("rule", "value", "error", "message"),
    [
        (NAME, "", ValueError, "must be text of 1 to 255 characters"),
        (Text(32, blank=True), "x" * 33, ValueError, "must be text of 0 to 32 characters"),
        (Text(32), "\ud800", ValueError, "must be text of 1 to 32 characters"),
        (Whole(), "-1", ValueError, "must be a whole number from 0 to 2147483647"),
        (Whole(), "2147483648", ValueError, "must be a whole number from 0 to 2147483647"),
        (Whole(), "0" * 20 + "1", ValueError, "must be a whole number from 0 to 2147483647"),
        (Whole(), True, ValueError, "must be a whole number from 0 to 2147483647"),
        (Amount(places=4), "1e3", NotAnAmount, "must be an exact number such as 12.50"),
        (Amount(places=4), 0.5, NotAnAmount, "must be an exact number such as 12.50"),
        (Amount(places=4), "0.00001", TooManyPlaces, "may have at most 4 decimal places"),
        (Amount(places=4), "1" + "0" * 14, AmountTooLarge, "must be less than 100,000,000,000"),
        (Amount(places=4), "-0.5", NegativeAmount, "may not be negative"),
        (date_or_null, "2026-02-30", ValueError, "2026-02-30 is not a real date"),
        (instant, "yesterday", ValueError, "must be an RFC 3339 datetime"),
        (OneOf(LowValuePolicy), "pad", ValueError, "must be one of NONE, SKIP, PAD, FEE"),
    ],
)
def test_a_rule_says_what_is_wrong_and_which_kind_of_wrong(rule, value, error, message):
    kind, said = _refusal(rule, value)
    assert issubclass(kind, error) and said.startswith(message)


def test_a_negative_amount_is_read_where_allowed():
    assert Amount(places=4, negative=True)("-0.0001") == -1
    assert Amount(places=4)("-0") == 0


def test_a_reader_collects_every_problem_naming_the_item():
    reader = FieldReader({"duration": "x", "charge": "1.00001", "extra": 1}, prefix="[2].")
    reader.check_known(("duration", "charge", "numberDialled"), ())
    assert reader.read("duration", Whole()) is None
    assert reader.read("charge", Amount(places=4)) is None
    assert not reader.wants("numberDialled", required=True)
    assert [(error.field, error.message) for error in reader.errors] == [
        ("[2].extra", "unknown field: [2].extra"),
        ("[2].duration", "[2].duration must be a whole number from 0 to 2147483647"),
        ("[2].charge", "[2].charge may have at most 4 decimal places"),
        ("[2].numberDialled", "[2].numberDialled is required"),
    ]


def test_null_is_required_or_not_allowed_unless_the_field_is_nullable():
    reader = FieldReader({"name": None, "billDate": None, "amount": None})
    assert not reader.wants("name", required=True)
    assert reader.wants("billDate", nullable=True)
    assert not reader.wants("amount")
    assert [error.message for error in reader.errors] == [
        "name is required",
        "amount may not be null",
    ]
