"""Import call records (a CDR CSV file) all or nothing, streamed in batches.

The file is read row by row and validated in Python; valid rows go to the database in
batches (COPY on PostgreSQL, `executemany` on SQLite), all inside one transaction, so a
bad row anywhere rolls back everything before it and the error names its line.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from billing.charges import NUMBER_MAX
from billing.money import AMOUNT_LIMIT, UNITS
from billing.values import parse_datetime, storable_text

HEADER = ("accountNumber", "startTime", "duration", "numberDialled", "charge")
#: Rows sent to the database at a time.
BATCH_ROWS = 10_000
CALL_COLUMNS = (
    "customer_id",
    "start_time",
    "duration",
    "number_dialled",
    "charge",
    "created_date",
    "updated_date",
)
_MAX_INT = 2**31 - 1  # duration is a 32-bit column
_UNITS_LIMIT = int(AMOUNT_LIMIT) * UNITS  # the API's limit on an amount, in units
_DIGITS = re.compile(r"[0-9]+")  # [0-9] is ASCII only, unlike \d
_AMOUNT = re.compile(r"([0-9]+)(?:\.([0-9]+))?")
_USUAL_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
#: Bytes that are not UTF-8, as `surrogateescape` decodes them (checked only on errors).
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_SHOWN = 40  # characters of a bad value quoted in an error


class ImportFailed(ValueError):
    """A file that cannot be imported, so nothing was; `line` is 1-based (the header is 1)."""

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        where = file if line is None else f"{file}, line {line}"
        super().__init__(f"{where}: {problem}")
        self.file = file
        self.line = line
        self.problem = problem


class _BadRow(Exception):
    """A row's problem; the reader adds the file and line."""


@dataclass(frozen=True)
class Progress:
    bytes_read: int
    bytes_total: int
    rows: int


ProgressCallback = Callable[[Progress], None]


async def import_calls(
    path: str | Path,
    *,
    progress: ProgressCallback | None = None,
    batch_rows: int = BATCH_ROWS,
) -> int:
    """Import every call in the CSV file at `path`; return how many.

    Runs in the current Tortoise context. Raises ImportFailed (and imports nothing) on
    the first bad row, a wrong header, an empty or unreadable file.
    """
    now = datetime.now(UTC)
    async with in_transaction() as conn:
        accounts = {
            row["account_number"]: row["id"]
            for row in await conn.execute_query_dict("SELECT id, account_number FROM customer")
        }
        sqlite = conn.capabilities.dialect == "sqlite"
        reader = CallReader(Path(path), accounts, now, text_dates=sqlite)
        batches = reader.batches(batch_rows)
        # A worker thread reads the next batch while this one is written: the database
        # (the PostgreSQL server, or sqlite3 outside the GIL) works on the other core.
        reading = _read_next(batches)
        inserted = 0
        try:
            while (batch := await reading) is not None:
                read = reader.bytes_read  # the thread is idle until the next read starts
                reading = _read_next(batches)
                await insert_rows(conn, "call", CALL_COLUMNS, batch)
                inserted += len(batch)
                if progress is not None:
                    progress(Progress(read, reader.bytes_total, inserted))
        finally:
            if not reading.done():
                await asyncio.wait([reading])  # a generator cannot close while it runs
            batches.close()
    return inserted


def _read_next(batches: Iterator[list[tuple[Any, ...]]]) -> asyncio.Future[Any]:
    return asyncio.ensure_future(asyncio.to_thread(next, batches, None))


async def insert_rows(
    conn: BaseDBAsyncClient, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Bulk-insert rows on the transaction `conn`: COPY on PostgreSQL, else `executemany`.

    On SQLite, dates and datetimes may be Python values (Tortoise's sqlite3 adapters write
    them as the text it reads back) or, several times faster, that text already.
    """
    if conn.capabilities.dialect == "postgres":
        # Tortoise's transaction wrapper holds the asyncpg connection the transaction is on.
        async with conn.acquire_connection() as raw:
            await raw.copy_records_to_table(table, records=rows, columns=list(columns))
        return
    marks = ", ".join("?" * len(columns))
    await conn.execute_many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


class CallReader:
    """Read and validate a CDR file, yielding rows in `CALL_COLUMNS` order, in batches.

    With `text_dates`, datetimes are given as the text Tortoise stores on SQLite (its
    sqlite3 adapters would write the same, several times slower).
    """

    def __init__(
        self, path: Path, accounts: dict[str, int], now: datetime, *, text_dates: bool
    ) -> None:
        self.path = path
        self.accounts = accounts
        self.now: datetime | str = now.isoformat(" ") if text_dates else now
        self.text_dates = text_dates
        self.bytes_total = 0
        self.bytes_read = 0

    def batches(self, size: int) -> Iterator[list[tuple[Any, ...]]]:
        try:
            raw = self.path.open("rb")
        except OSError as exc:
            raise ImportFailed(str(self.path), None, f"cannot read it: {exc.strerror}") from None
        with raw:
            self.bytes_total = os.fstat(raw.fileno()).st_size
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
            reader = csv.reader(text, strict=True)
            fields: list[str] | None = None
            try:
                fields = next(reader, None)
                order = _header(fields)
                reorder = order != sorted(order)
                row = self._row
                batch: list[tuple[Any, ...]] = []
                for fields in reader:
                    if not fields:
                        continue  # a blank line
                    if reorder:
                        fields = [fields[i] for i in order] if len(fields) == len(order) else fields
                    batch.append(row(fields))
                    if len(batch) >= size:
                        self.bytes_read = raw.tell()
                        yield batch
                        batch = []
            except _BadRow as exc:
                problem = str(exc)
                if fields and any(_UNDECODABLE.search(field) for field in fields):
                    problem = "not UTF-8 text"
                raise ImportFailed(str(self.path), max(reader.line_num, 1), problem) from None
            except csv.Error as exc:
                problem = f"not valid CSV: {exc}"
                raise ImportFailed(str(self.path), reader.line_num, problem) from None
            self.bytes_read = self.bytes_total
            if batch:
                yield batch

    def _row(self, fields: list[str]) -> tuple[Any, ...]:
        try:
            account, start, duration, number, charge = fields
        except ValueError:
            raise _BadRow(
                f"expected {len(HEADER)} fields ({','.join(HEADER)}), found {len(fields)}"
            ) from None
        customer_id = self.accounts.get(account)
        if customer_id is None:
            raise _BadRow(f"accountNumber {_shown(account)} is no customer's account number")
        start_time = _start_time(start, self.text_dates)
        if not _DIGITS.fullmatch(duration) or int(duration) > _MAX_INT:
            raise _BadRow(
                f"duration must be a whole number of seconds, 0 or more (found {_shown(duration)})"
            )
        if (
            len(number) > NUMBER_MAX
            or not number.strip()
            or "\x00" in number
            or not (number.isascii() or storable_text(number))
        ):
            raise _BadRow(
                f"numberDialled must be text of 1 to {NUMBER_MAX} characters "
                f"(found {_shown(number)})"
            )
        return (
            customer_id,
            start_time,
            int(duration),
            number,
            _units(charge),
            self.now,
            self.now,
        )


def _header(fields: list[str] | None) -> list[int]:
    """The position of each of HEADER's columns in the file (they may come in any order)."""
    expected = ",".join(HEADER)
    if fields is None:
        raise _BadRow(f"the file is empty; it must start with the header {expected}")
    names = [name.strip() for name in fields]
    if sorted(names) != sorted(HEADER):
        raise _BadRow(f"the header must be {expected} (found {_shown(','.join(fields), 80)})")
    return [names.index(name) for name in HEADER]


def _start_time(text: str, as_text: bool) -> datetime | str:
    """RFC 3339 as `parse_datetime` reads it (with a fast path for the usual shapes), as
    an aware UTC datetime or, with `as_text`, as the text Tortoise stores on SQLite."""
    if _USUAL_DATETIME.fullmatch(text):
        try:
            if as_text and text[-1] == "Z":  # naive isoformat is twice as fast
                return datetime.fromisoformat(text[:-1]).isoformat(" ") + "+00:00"
            value = datetime.fromisoformat(text).astimezone(UTC)
            return value.isoformat(" ") if as_text else value
        except (ValueError, OverflowError):
            pass  # parse_datetime says what is wrong
    try:
        value = parse_datetime(text)
    except ValueError as exc:
        if str(exc).startswith("must"):
            raise _BadRow(f"startTime {exc} (found {_shown(text)})") from None
        raise _BadRow(f"startTime {exc}") from None
    return value.isoformat(" ") if as_text else value


def _units(charge: str) -> int:
    """What `to_units(Decimal(charge))` gives, for the plain decimals a CDR holds, faster."""
    match = _AMOUNT.fullmatch(charge)
    if match is None:
        raise _BadRow(
            f"charge must be an amount of 0 or more such as 0.1234 (found {_shown(charge)})"
        )
    whole, places = match.groups()
    units = int(whole) * UNITS
    if places:
        if len(places) > 4 and places[4:].strip("0"):
            raise _BadRow(f"charge {_shown(charge)} has more than 4 decimal places")
        units += int(places[:4].ljust(4, "0"))
    if units >= _UNITS_LIMIT:
        raise _BadRow(f"charge must be less than {AMOUNT_LIMIT:,.0f} (found {_shown(charge)})")
    return units


def _shown(value: str, limit: int = _SHOWN) -> str:
    """A bad value quoted for an error line: bounded, with control characters escaped."""
    if len(value) > limit:
        value = value[:limit] + "..."
    return repr(value)
