"""The one reader of a write's fields, and the rule of each kind of value, each once.

Runs, customers, charges and presets read their writes with a `FieldReader`; the CSV
import calls the same rules directly, one column at a time (its fast path: no dict and
no error list per row). A rule takes one value as the client sent it, as wire text
(REST, forms, CSV) or already typed (GraphQL passes `date`, `datetime`, `Decimal`), and
returns the value to store or raises ValueError with the end of a message ("must be
text of 1 to 255 characters") for the reader to put the field's name before. Errors
name the field with a prefix when the dict is one item of an array (`[3].charge`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from billing.errors import BillingError, FieldError, invalid
from billing.money import parse_amount
from billing.numbers import parse_whole
from billing.values import parse_date, parse_datetime, parse_id, storable_text, whole_decimal

#: The largest value a 32-bit integer column holds.
INT_MAX = 2**31 - 1
#: The longest name a billing run or a customer may have (their columns' length).
NAME_MAX = 255

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
E = TypeVar("E", bound=StrEnum)


class Rule(Protocol[T_co]):
    """Reads one value: the value to store, or ValueError saying what is wrong."""

    def __call__(self, value: object, /) -> T_co: ...


@dataclass(frozen=True, slots=True)
class Text:
    """Text of at most `max_length` characters that both databases store; not blank
    (empty or only white space) unless `blank`."""

    max_length: int
    blank: bool = False

    def __call__(self, value: object, /) -> str:
        if (
            isinstance(value, str)
            and len(value) <= self.max_length
            and (self.blank or value.strip())
            and storable_text(value)
        ):
            return value
        raise ValueError(self.problem)

    @property
    def problem(self) -> str:
        """What is wrong with a value this rule refuses."""
        return f"must be text of {0 if self.blank else 1} to {self.max_length} characters"


@dataclass(frozen=True, slots=True)
class Whole:
    """A whole number from `low` to `high`: a JSON integer or a string of ASCII digits."""

    low: int = 0
    high: int = INT_MAX

    def __call__(self, value: object, /) -> int:
        value = whole_decimal(value, self.low, self.high)
        if isinstance(value, str):
            try:
                return parse_whole(value, self.low, self.high)
            except ValueError:
                pass
        elif isinstance(value, int) and not isinstance(value, bool):
            if self.low <= value <= self.high:
                return value
        raise ValueError(f"must be a whole number from {self.low} to {self.high}")


class NegativeAmount(ValueError):
    """An amount below zero where only zero or more is allowed."""


@dataclass(frozen=True, slots=True)
class Amount:
    """Exact money, in units: at most `places` decimals, below zero only if `negative`.

    Raises the errors of `billing.money.parse_amount`, or NegativeAmount.
    """

    places: int
    negative: bool = False

    def __call__(self, value: object, /) -> int:
        units = parse_amount(value, self.places)
        if units < 0 and not self.negative:
            raise NegativeAmount("may not be negative")
        return units


@dataclass(frozen=True, slots=True)
class OneOf(Generic[E]):
    """One of an enum's values, as that enum's member."""

    choices: type[E]

    def __call__(self, value: object, /) -> E:
        if value not in tuple(self.choices):
            raise ValueError(f"must be one of {', '.join(self.choices)}")
        return self.choices(str(value))


def date_or_null(value: object, /) -> date | None:
    """A date (`YYYY-MM-DD`), or null."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    return parse_date(value)


def instant(value: object, /) -> datetime:
    """An RFC 3339 datetime as an aware UTC datetime (a naive one is read as UTC)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=value.tzinfo or UTC).astimezone(UTC)
    return parse_datetime(value)


#: A billing run's or a customer's name.
NAME = Text(NAME_MAX)


class Presets(Protocol):
    """The presets a field names, such as `billing.presets.SUBRUNS`."""

    async def resolve(
        self, field: str, name: object, current_id: int | None
    ) -> int | FieldError | None: ...


class FieldReader:
    """Reads and checks the fields of one write; problems collect in `errors`.

    Each reading method returns the value to store, or None after recording an error
    (callers store nothing unless `errors` stays empty: see `raise_errors`).
    """

    def __init__(
        self,
        fields: Mapping[str, Any],
        prefix: str = "",
        errors: list[FieldError] | None = None,
    ) -> None:
        self.fields = fields
        self.prefix = prefix
        self.errors: list[FieldError] = [] if errors is None else errors

    def label(self, name: str) -> str:
        """The field's name as errors report it."""
        return f"{self.prefix}{name}"

    def fail(self, name: str, message: str) -> None:
        """Record that the field `name` breaks a rule: `message` follows its name."""
        self.errors.append(invalid(self.label(name), f"{self.label(name)} {message}"))

    def has(self, name: str) -> bool:
        return name in self.fields

    def check_known(self, writable: Iterable[str], read_only: Iterable[str]) -> None:
        """Unknown fields are one error naming them all."""
        unknown = sorted(set(self.fields) - set(writable) - set(read_only))
        if unknown:
            names = ", ".join(self.label(name) for name in unknown)
            plural = "s" if len(unknown) > 1 else ""
            self.errors.append(invalid(self.label(unknown[0]), f"unknown field{plural}: {names}"))

    def check_read_only(self, checks: Mapping[str, Callable[[object], bool]]) -> None:
        """A read-only field may repeat its current value (`checks` says whether it does)."""
        for name, same in checks.items():
            if name in self.fields and not same(self.fields[name]):
                self.fail(name, "is read-only")

    def wants(self, name: str, *, required: bool = False, nullable: bool = False) -> bool:
        """Whether there is a value to read for `name`: present, and not null unless
        `nullable`. Records "is required" for a `required` field left out, and "may not
        be null" for a null a field cannot hold."""
        if name not in self.fields:
            if required:
                self.fail(name, "is required")
            return False
        if self.fields[name] is None and not nullable:
            self.fail(name, "is required" if required else "may not be null")
            return False
        return True

    def read(self, name: str, rule: Rule[T]) -> T | None:
        """The field's value as `rule` reads it, or None after recording why not."""
        try:
            return rule(self.fields[name])
        except ValueError as exc:
            self.fail(name, str(exc))
            return None

    async def preset(
        self,
        name: str,
        presets: Presets,
        current_id: int | None,
        cache: dict[str, int | FieldError | None] | None = None,
    ) -> int | None:
        """The id of the preset the field names (or None for null); see `Presets`.

        `cache` (for new rows, where no current value differs) keeps each name's answer,
        so a batch looks a name up once.
        """
        value = self.fields[name]
        if cache is not None and isinstance(value, str):
            if value not in cache:
                cache[value] = await presets.resolve(name, value, current_id)
            resolved = cache[value]
        else:
            resolved = await presets.resolve(name, value, current_id)
        if isinstance(resolved, FieldError):
            # The message starts with the field's name: give both the item's prefix.
            self.errors.append(invalid(self.label(name), self.prefix + resolved.message))
            return None
        return resolved


def raise_errors(errors: list[FieldError]) -> None:
    """Raise VALIDATION_FAILED for the collected errors, if there are any."""
    if errors:
        raise BillingError.from_errors(errors)


def same_instant(value: object, current: datetime | None) -> bool:
    """Whether a wire datetime names the instant `current` (for read-only checks)."""
    if value is None or current is None:
        return value is None and current is None
    if isinstance(value, datetime):
        return value == current
    try:
        return parse_datetime(value) == current
    except ValueError:
        return False


def same_id(value: object, current: int | None) -> bool:
    """Whether a wire id (number or text, or null) is `current` (for read-only checks)."""
    if value is None or current is None:
        return value is None and current is None
    try:
        return parse_id(value) == current
    except ValueError:
        return False
