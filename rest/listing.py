"""Query parameters of REST lists: the three filters, `limit` and `offset`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from multidict import MultiMapping

from billing.errors import BillingError, ErrorCode
from billing.listing import PAGE_MAX, ListFilter, build_filter
from billing.numbers import parse_whole
from billing.values import MAX_ID

DEFAULT_LIMIT = 100
LIST_PARAMS = ("idAfter", "createdSince", "updatedSince", "limit", "offset")


@dataclass(frozen=True)
class Page:
    filters: ListFilter
    limit: int
    offset: int


def bad_parameter(name: str, message: str) -> BillingError:
    return BillingError(ErrorCode.BAD_REQUEST, message, name)


def single(query: MultiMapping[str], name: str) -> str | None:
    """A parameter given at most once."""
    values = query.getall(name, [])
    if len(values) > 1:
        raise bad_parameter(name, f"{name} may be given only once")
    return values[0] if values else None


def whole(query: MultiMapping[str], name: str, default: int, low: int, high: int) -> int:
    raw = single(query, name)
    if raw is None:
        return default
    try:
        return parse_whole(raw, low, high)
    except ValueError:
        raise bad_parameter(name, f"{name} must be a whole number from {low} to {high}") from None


def read_page(query: MultiMapping[str], extra: Sequence[str] = ()) -> Page:
    """The list parameters; unknown ones are a 400 (a typo should not pass silently)."""
    known = (*LIST_PARAMS, *extra)
    unknown = sorted(set(query) - set(known))
    if unknown:
        raise bad_parameter(
            unknown[0], f"unknown parameter {unknown[0]}; known: {', '.join(known)}"
        )
    filters = build_filter(
        single(query, "idAfter"), single(query, "createdSince"), single(query, "updatedSince")
    )
    limit = whole(query, "limit", DEFAULT_LIMIT, 1, PAGE_MAX)
    offset = whole(query, "offset", 0, 0, MAX_ID)
    return Page(filters, limit, offset)
