"""Checking one wire-named field dict of a write, collecting every problem.

Customers, calls and transactions share these checks, so a rule reads the same on both
transports and in every resource. Values arrive as wire text (REST, forms) or already
typed (GraphQL passes `date`, `datetime`, `Decimal`); both are accepted. Errors name
the field with a prefix when the dict is one item of an array (`[3].charge`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from billing import presets
from billing.errors import BillingError, FieldError, invalid
from billing.money import parse_amount
from billing.values import parse_date, parse_datetime, parse_id, storable_text, whole_decimal
from models import PresetKind

#: The largest value a 32-bit integer column holds.
INT_MAX = 2**31 - 1


class FieldReader:
    """Reads and checks the fields of one write; problems collect in `errors`.

    Each reader method returns the value to store, or None after recording an error
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

    def _parsed(self, name: str, parse: Callable[[object], Any]) -> Any:
        try:
            return parse(self.fields[name])
        except ValueError as exc:
            self.fail(name, str(exc))
            return None

    def text(self, name: str, max_length: int, *, blank: bool = False) -> str | None:
        """Text of at most `max_length` characters; not blank unless `blank`."""
        value = self.fields[name]
        least = 0 if blank else 1
        if (
            not isinstance(value, str)
            or len(value) > max_length
            or not (blank or value.strip())
            or not storable_text(value)
        ):
            self.fail(name, f"must be text of {least} to {max_length} characters")
            return None
        return value

    def amount(self, name: str, places: int, *, negative: bool) -> int | None:
        """Exact money, in units: at most `places` decimals, below zero only if `negative`."""
        units = self._parsed(name, lambda value: parse_amount(value, places))
        if units is not None and units < 0 and not negative:
            self.fail(name, "may not be negative")
            return None
        return units

    def whole(self, name: str, low: int = 0, high: int = INT_MAX) -> int | None:
        """A whole number from `low` to `high`: a JSON integer or a string of digits."""
        value = whole_decimal(self.fields[name], low, high)
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(name, f"must be a whole number from {low} to {high}")
            return None
        return value

    def date(self, name: str) -> date | None:
        """A date (`YYYY-MM-DD`), or null."""
        value = self.fields[name]
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        return self._parsed(name, parse_date)

    def instant(self, name: str) -> datetime | None:
        """An RFC 3339 datetime as an aware UTC datetime (a naive one is read as UTC)."""
        value = self.fields[name]
        if isinstance(value, datetime):
            return value.replace(tzinfo=value.tzinfo or UTC).astimezone(UTC)
        return self._parsed(name, parse_datetime)

    def ident(self, name: str) -> int | None:
        """An id: a whole number or a string of digits."""
        return self._parsed(name, parse_id)

    async def preset(
        self,
        name: str,
        kind: PresetKind,
        current_id: int | None,
        cache: dict[object, int | FieldError | None] | None = None,
    ) -> int | None:
        """The id of the named preset of `kind` (or None for null); see `presets.resolve`.

        `cache` (for new rows, where no current value differs) keeps each name's answer,
        so a batch looks a name up once.
        """
        value = self.fields[name]
        cacheable = cache is not None and isinstance(value, str)
        if cacheable and value in cache:  # type: ignore[operator]
            resolved = cache[value]  # type: ignore[index]
        else:
            resolved = await presets.resolve(kind, name, value, current_id)
            if cacheable:
                cache[value] = resolved  # type: ignore[index]
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
