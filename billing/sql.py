"""Plain SQL through Tortoise's connection, written once for both dialects.

Hot paths (the engine, single-table reads) skip the queryset builder: write SQL with
`?` placeholders and PostgreSQL gets `$n`. On SQLite, Tortoise stores dates, datetimes
and decimals as text; `Decoder` turns a row's columns back into Python values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection


class Sql:
    """One connection (or transaction) and its dialect."""

    def __init__(self, conn: BaseDBAsyncClient | None = None) -> None:
        self.conn = conn if conn is not None else get_connection("default")
        self.postgres = self.conn.capabilities.dialect == "postgres"

    def text(self, sql: str) -> str:
        return numbered(sql) if self.postgres else sql

    async def rows(self, sql: str, *values: Any) -> list[dict[str, Any]]:
        return await self.conn.execute_query_dict(self.text(sql), list(values))

    async def run(self, sql: str, *values: Any) -> int:
        """Execute a write; the number of rows it touched."""
        count, _ = await self.conn.execute_query(self.text(sql), list(values))
        return count


def numbered(sql: str) -> str:
    """PostgreSQL's placeholders for `?` ones: `$1`, `$2`, ..."""
    parts = sql.split("?")
    return "".join(f"{part}${i}" for i, part in enumerate(parts[:-1], 1)) + parts[-1]


def marks(count: int) -> str:
    """`?, ?, ?` for an IN list of `count` values."""
    return ", ".join("?" * count)


def _datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value).astimezone(UTC)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(value)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "datetime": _datetime,
    "date": _date,
    "decimal": _decimal,
}


class Decoder:
    """Converts the text columns SQLite returns; PostgreSQL's values pass through."""

    def __init__(self, columns: dict[str, str]) -> None:
        self.converters = [(name, _CONVERTERS[kind]) for name, kind in columns.items()]

    def __call__(self, rows: Sequence[dict[str, Any]], postgres: bool) -> Sequence[dict[str, Any]]:
        if postgres:
            return rows
        for row in rows:
            for name, convert in self.converters:
                row[name] = convert(row[name])
        return rows
