"""List filters shared by every resource and both transports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from billing.errors import BillingError, ErrorCode, FieldError
from billing.values import parse_datetime, parse_id

#: The most rows one page may hold (REST `limit`, GraphQL `first`).
PAGE_MAX = 1000


@dataclass(frozen=True)
class ListFilter:
    """`idAfter`, `createdSince`, `updatedSince`, combined with AND."""

    id_after: int | None = None
    created_since: datetime | None = None
    updated_since: datetime | None = None

    def apply(self, query: Any) -> Any:
        """Narrow a queryset of a model with `id`, `created_date` and `updated_date`."""
        if self.id_after is not None:
            query = query.filter(id__gt=self.id_after)
        # Aware UTC values only: SQLite compares stored datetimes as text.
        if self.created_since is not None:
            query = query.filter(created_date__gte=self.created_since.astimezone(UTC))
        if self.updated_since is not None:
            query = query.filter(updated_date__gte=self.updated_since.astimezone(UTC))
        return query

    def where(self, alias: str) -> tuple[list[str], list[Any]]:
        """The same filters as SQL conditions on `alias`, with their parameters."""
        conditions: list[str] = []
        params: list[Any] = []
        for column, operator, value in (
            ("id", ">", self.id_after),
            ("created_date", ">=", self.created_since),
            ("updated_date", ">=", self.updated_since),
        ):
            if value is not None:
                conditions.append(f"{alias}.{column} {operator} ?")
                params.append(value.astimezone(UTC) if isinstance(value, datetime) else value)
        return conditions, params


def build_filter(
    id_after: object = None, created_since: object = None, updated_since: object = None
) -> ListFilter:
    """Read the three filters (wire text or already typed); BAD_REQUEST naming a bad one."""
    errors: list[FieldError] = []

    def read(name: str, value: object, parse: Callable[[object], Any]) -> Any:
        if value is None or isinstance(value, datetime):
            return value
        try:
            return parse(value)
        except ValueError as exc:
            errors.append(FieldError(ErrorCode.BAD_REQUEST, f"{name} {exc}", name))
            return None

    result = ListFilter(
        id_after=read("idAfter", id_after, parse_id),
        created_since=read("createdSince", created_since, parse_datetime),
        updated_since=read("updatedSince", updated_since, parse_datetime),
    )
    if errors:
        raise BillingError.from_errors(errors)
    return result
