"""Plain-SQL reads of one table as records: by id, by a batch of ids, pages and counts.

Customers, calls, transactions and invoices are read the same way (the hot read path of
both transports, so no queryset building): a `Table` knows its columns and joins, and
every list is in id order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any, Generic, Protocol, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from billing.errors import not_found
from billing.listing import ListFilter
from billing.sql import Decoder, Sql, marks
from billing.values import parse_id


class Record(Protocol):
    """What a table's rows are read as: anything with an id."""

    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=Record)
#: Rows per INSERT and ids per IN list: well under both databases' parameter limits.
BATCH = 1000


@dataclass(frozen=True)
class Where:
    """SQL conditions combined with AND, and their parameters in order."""

    conditions: tuple[str, ...] = ()
    params: tuple[Any, ...] = ()

    def and_(self, condition: str, *params: Any) -> Where:
        return Where((*self.conditions, condition), (*self.params, *params))

    def sql(self) -> str:
        return f" WHERE {' AND '.join(self.conditions)}" if self.conditions else ""


@dataclass(frozen=True)
class Table(Generic[R]):
    """How to read one table's rows as records of type R."""

    #: What the rows are, for NOT_FOUND messages ("customer").
    what: str
    #: `table alias`, e.g. `call k`.
    source: str
    alias: str
    #: The select list, naming columns by the record's field names.
    columns: str
    decoder: Decoder
    record: Callable[[Mapping[str, Any]], R]
    joins: str = ""
    #: The column `updatedSince` compares (invoices have only a created date).
    updated_column: str = "updated_date"

    def where(self, filters: ListFilter) -> Where:
        """The shared list filters as conditions on this table."""
        plain = dataclasses.replace(filters, updated_since=None)
        conditions, params = plain.where(self.alias)
        found = Where(tuple(conditions), tuple(params))
        if filters.updated_since is not None:
            since = filters.updated_since.astimezone(UTC)
            found = found.and_(f"{self.alias}.{self.updated_column} >= ?", since)
        return found

    async def rows(self, where: Where = Where(), tail: str = "", *tail_params: Any) -> list[R]:
        sql = Sql()
        rows = await sql.rows(
            f"SELECT {self.columns} FROM {self.source}{self.joins}{where.sql()}{tail}",
            *where.params,
            *tail_params,
        )
        return [self.record(row) for row in self.decoder(rows, sql.postgres)]

    async def get(self, ident: object) -> R:
        """The row with that id; NOT_FOUND for an unknown or malformed id."""
        try:
            number = parse_id(ident)
        except ValueError:
            raise not_found(self.what, ident) from None
        found = await self.rows(Where((f"{self.alias}.id = ?",), (number,)))
        if not found:
            raise not_found(self.what, ident)
        return found[0]

    async def by_ids(self, ids: Iterable[int]) -> dict[int, R]:
        """The rows with these ids, by id (missing ids are left out)."""
        found: dict[int, R] = {}
        for batch in batches(sorted(set(ids))):
            where = Where((f"{self.alias}.id IN ({marks(len(batch))})",), tuple(batch))
            found.update((record.id, record) for record in await self.rows(where))
        return found

    async def page(self, where: Where, limit: int, offset: int = 0) -> list[R]:
        """Rows matching `where`, by id ascending."""
        tail = f" ORDER BY {self.alias}.id LIMIT ? OFFSET ?"
        return await self.rows(where, tail, limit, offset)

    async def grouped(self, column: str, keys: Iterable[int]) -> dict[int, list[R]]:
        """Every row whose `column` is one of `keys`, grouped by it, each in id order."""
        wanted = sorted(set(keys))
        groups: dict[int, list[R]] = {key: [] for key in wanted}
        for batch in batches(wanted):
            where = Where((f"{self.alias}.{column} IN ({marks(len(batch))})",), tuple(batch))
            for record in await self.rows(where, f" ORDER BY {self.alias}.id"):
                groups[getattr(record, column)].append(record)
        return groups

    async def count(self, where: Where) -> int:
        rows = await Sql().rows(
            f"SELECT COUNT(*) AS n FROM {self.source}{where.sql()}", *where.params
        )
        return int(rows[0]["n"])


def batches(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """`values` in slices of at most BATCH."""
    return (values[start : start + BATCH] for start in range(0, len(values), BATCH))


async def insert_rows(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert rows of values for `columns` in one transaction; their ids, in row order."""
    ids: list[int] = []
    async with in_transaction() as conn:
        sql = Sql(conn)
        for batch in batches(rows):
            found = await sql.rows(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                + ", ".join([f"({marks(len(columns))})"] * len(batch))
                + " RETURNING id",
                *[value for row in batch for value in row],
            )
            # A multi-row INSERT takes ids in row order; RETURNING lists them in any order.
            ids.extend(sorted(row["id"] for row in found))
    return ids


async def copy_rows(
    conn: BaseDBAsyncClient, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Bulk-load rows on the transaction `conn`, returning no ids (`insert_rows` does):
    COPY on PostgreSQL, else `executemany`. For imports of millions of rows.

    On SQLite, dates and datetimes may be Python values (Tortoise's sqlite3 adapters write
    them as the text it reads back) or, several times faster, that text already.
    """
    if conn.capabilities.dialect == "postgres":
        # Tortoise's transaction wrapper holds the asyncpg connection the transaction is on.
        async with conn.acquire_connection() as raw:
            await raw.copy_records_to_table(table, records=rows, columns=list(columns))
        return
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks(len(columns))})"
    # sqlite3 takes rows as any sequences (tuples here); Tortoise's annotation says lists.
    await conn.execute_many(statement, rows)  # type: ignore[arg-type]
