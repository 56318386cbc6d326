"""Charge actions: calls (create, read) and transactions (create, read, update, delete).

Creating takes one item or a list, all or nothing: every item is checked before any is
stored, and errors in a list name the item (`[3].charge`). Money is exact: `charge` is
at least 0 with at most 4 places, a transaction's `amount` may be negative. A
transaction can be changed or deleted only while unbilled (ALREADY_BILLED after), by
an update conditional on `invoice_id IS NULL`, so it never races the engine's claim.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from tortoise.queryset import QuerySet

from billing import customers
from billing.errors import BillingError, ErrorCode, FieldError, invalid
from billing.fields import (
    Amount,
    FieldReader,
    Text,
    Whole,
    date_or_null,
    instant,
    raise_errors,
    same_id,
    same_instant,
)
from billing.listing import ListFilter
from billing.money import from_units, to_units
from billing.presets import TRANSACTION_TYPES
from billing.sql import Decoder
from billing.tables import Table, Where, insert_rows
from billing.values import parse_date, parse_id
from billing.versions import retry_on_version, update_if_version
from models import ChargeTransaction

NUMBER_MAX = 32
DESCRIPTION_MAX = 255
#: The rules of a call's own fields: for the API's writes and the CSV import alike.
START_TIME = instant
DURATION = Whole()  # seconds
NUMBER_DIALLED = Text(NUMBER_MAX)
CHARGE = Amount(places=4)
#: A transaction's `amount` may be below zero (a credit); its description may be blank.
AMOUNT = Amount(places=4, negative=True)
DESCRIPTION = Text(DESCRIPTION_MAX, blank=True)

CALL_WRITABLE = ("customerId", "startTime", "duration", "numberDialled", "charge")
TRANSACTION_WRITABLE = (
    "customerId",
    "transactionType",
    "transactionDate",
    "billDate",
    "amount",
    "description",
)
READ_ONLY = ("id", "invoiceId", "createdDate", "updatedDate")


@dataclass(frozen=True)
class CallRecord:
    """A call as both transports render it (`charge` exact, with at least 2 places)."""

    id: int
    customer_id: int
    start_time: datetime
    duration: int
    number_dialled: str
    charge: Decimal
    invoice_id: int | None
    created_date: datetime
    updated_date: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> CallRecord:
        return cls(**{**row, "charge": from_units(row["charge"])})


@dataclass(frozen=True)
class TransactionRecord:
    """A transaction as both transports render it (`amount` exact, at least 2 places)."""

    id: int
    customer_id: int
    transaction_type: str
    transaction_date: date
    bill_date: date | None
    amount: Decimal
    description: str
    invoice_id: int | None
    created_date: datetime
    updated_date: datetime
    transaction_type_id: int
    version: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> TransactionRecord:
        return cls(**{**row, "amount": from_units(row["amount"])})

    def stored(self) -> dict[str, Any]:
        """The columns a write may set, as stored: to tell a real change from a repeat."""
        return {
            "customer_id": self.customer_id,
            "transaction_type_id": self.transaction_type_id,
            "transaction_date": self.transaction_date,
            "bill_date": self.bill_date,
            "amount": to_units(self.amount),
            "description": self.description,
        }


#: The columns a new call sets, in the order `call_row` gives their values.
CALL_COLUMNS = (
    "customer_id",
    "start_time",
    "duration",
    "number_dialled",
    "charge",
    "created_date",
    "updated_date",
)
#: A new call's values, in CALL_COLUMNS order. Datetimes may be the text Tortoise
#: stores on SQLite (as the CSV import writes them).
CallRow = tuple[int, datetime | str, int, str, int, datetime | str, datetime | str]


def call_row(
    customer_id: int,
    start_time: datetime | str,
    duration: int,
    number_dialled: str,
    charge: int,
    stamp: datetime | str,
) -> CallRow:
    """A new call's values in CALL_COLUMNS order (`stamp`: when it was created and last
    updated). A plain tuple: the database drivers take those fastest."""
    return (customer_id, start_time, duration, number_dialled, charge, stamp, stamp)


_CALLS: Table[CallRecord] = Table(
    what="call",
    source="call k",
    alias="k",
    columns=", ".join(f"k.{column}" for column in ("id", *CALL_COLUMNS, "invoice_id")),
    decoder=Decoder(
        {"start_time": "datetime", "created_date": "datetime", "updated_date": "datetime"}
    ),
    record=CallRecord.from_row,
)
#: The columns a new transaction sets.
TRANSACTION_COLUMNS = (
    "customer_id",
    "transaction_type_id",
    "transaction_date",
    "bill_date",
    "amount",
    "description",
    "created_date",
    "updated_date",
    "version",
)
_TRANSACTIONS: Table[TransactionRecord] = Table(
    what="transaction",
    source="charge_transaction t",
    alias="t",
    columns=", ".join(f"t.{column}" for column in ("id", *TRANSACTION_COLUMNS, "invoice_id"))
    + ", p.name AS transaction_type",
    joins=" JOIN preset p ON p.id = t.transaction_type_id",
    decoder=Decoder(
        {
            "transaction_date": "date",
            "bill_date": "date",
            "created_date": "datetime",
            "updated_date": "datetime",
        }
    ),
    record=TransactionRecord.from_row,
)


# --- list filters ------------------------------------------------------------------


@dataclass(frozen=True)
class ChargeFilter:
    """The filters charges have beyond the shared ones (`min_date`/`max_date`: calls)."""

    billed: bool | None = None
    min_date: date | None = None
    max_date: date | None = None


def _flag(name: str, value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise BillingError(ErrorCode.BAD_REQUEST, f"{name} must be true or false", name)


def _day(name: str, value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return parse_date(value)
    except ValueError as exc:
        raise BillingError(ErrorCode.BAD_REQUEST, f"{name} {exc}", name) from None


def build_charge_filter(
    billed: object = None, unbilled: object = None, min_date: object = None, max_date: object = None
) -> ChargeFilter:
    """Read `billed`, `unbilled` (text "true"/"false" or bool), `minDate` and `maxDate`
    (`YYYY-MM-DD`); BAD_REQUEST naming a bad one, or `unbilled` contradicting `billed`."""
    wanted = _flag("billed", billed)
    not_wanted = _flag("unbilled", unbilled)
    if not_wanted is not None:
        if wanted is not None and wanted == not_wanted:
            raise BillingError(
                ErrorCode.BAD_REQUEST, "unbilled contradicts billed: give one of them", "unbilled"
            )
        wanted = not not_wanted
    return ChargeFilter(wanted, _day("minDate", min_date), _day("maxDate", max_date))


class ChargeNarrowing(TypedDict, total=False):
    """What narrows a list of charges beyond the shared filters (None: no narrowing)."""

    customer_id: int | None
    invoice_id: int | None
    #: True for billed charges only, False for unbilled only.
    billed: bool | None


class CallNarrowing(ChargeNarrowing, total=False):
    #: Inclusive bounds on the date a call started, in UTC.
    min_date: date | None
    max_date: date | None


def _charge_where(table: Table[Any], filters: ListFilter, narrow: ChargeNarrowing) -> Where:
    where = table.where(filters)
    alias = table.alias
    for column in ("customer_id", "invoice_id"):
        value = narrow.get(column)
        if value is not None:
            where = where.and_(f"{alias}.{column} = ?", value)
    billed = narrow.get("billed")
    if billed is not None:
        where = where.and_(f"{alias}.invoice_id IS {'NOT ' if billed else ''}NULL")
    return where


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _call_where(filters: ListFilter, narrow: CallNarrowing) -> Where:
    where = _charge_where(_CALLS, filters, narrow)
    min_date, max_date = narrow.get("min_date"), narrow.get("max_date")
    if min_date is not None:
        where = where.and_("k.start_time >= ?", _midnight(min_date))
    if max_date is not None and max_date < date.max:  # inclusive: before the next midnight
        where = where.and_("k.start_time < ?", _midnight(max_date + timedelta(days=1)))
    return where


# --- reading calls -----------------------------------------------------------------


async def get_call(call_id: object) -> CallRecord:
    """The call with that id; NOT_FOUND for an unknown or malformed id."""
    return await _CALLS.get(call_id)


async def get_calls(ids: Iterable[int]) -> dict[int, CallRecord]:
    """Calls by id, for batch loading (ids with no call are left out)."""
    return await _CALLS.by_ids(ids)


async def list_calls(
    filters: ListFilter, limit: int, offset: int = 0, **narrow: Unpack[CallNarrowing]
) -> list[CallRecord]:
    """Calls matching every filter given, by id ascending (see CallNarrowing)."""
    return await _CALLS.page(_call_where(filters, narrow), limit, offset)


async def count_calls(filters: ListFilter, **narrow: Unpack[CallNarrowing]) -> int:
    """How many calls `list_calls` would find with the same filters, whatever the page."""
    return await _CALLS.count(_call_where(filters, narrow))


async def calls_by_invoice(invoice_ids: Iterable[int]) -> dict[int, list[CallRecord]]:
    """Every call each invoice billed, in id order (an empty list for an unknown id)."""
    return await _CALLS.grouped("invoice_id", invoice_ids)


# --- reading transactions ----------------------------------------------------------


async def get_transaction(transaction_id: object) -> TransactionRecord:
    """The transaction with that id; NOT_FOUND for an unknown or malformed id."""
    return await _TRANSACTIONS.get(transaction_id)


async def get_transactions(ids: Iterable[int]) -> dict[int, TransactionRecord]:
    """Transactions by id, for batch loading (ids with none are left out)."""
    return await _TRANSACTIONS.by_ids(ids)


async def list_transactions(
    filters: ListFilter, limit: int, offset: int = 0, **narrow: Unpack[ChargeNarrowing]
) -> list[TransactionRecord]:
    """Transactions matching every filter given, by id ascending (see ChargeNarrowing)."""
    return await _TRANSACTIONS.page(_charge_where(_TRANSACTIONS, filters, narrow), limit, offset)


async def count_transactions(filters: ListFilter, **narrow: Unpack[ChargeNarrowing]) -> int:
    """How many transactions `list_transactions` would find, whatever the page."""
    return await _TRANSACTIONS.count(_charge_where(_TRANSACTIONS, filters, narrow))


async def transactions_by_invoice(invoice_ids: Iterable[int]) -> dict[int, list[TransactionRecord]]:
    """Every transaction each invoice billed, in id order (empty for an unknown id)."""
    return await _TRANSACTIONS.grouped("invoice_id", invoice_ids)


# --- checking new charges ----------------------------------------------------------


async def _existing_customers(candidates: Iterable[object]) -> set[int]:
    """Which of the ids (as clients sent them; malformed ones are skipped) are customers."""
    ids = set()
    for value in candidates:
        try:
            ids.add(parse_id(value))
        except ValueError:
            pass
    return await customers.existing_ids(ids)


@dataclass
class _Check:
    """What checking a batch of new charges needs beyond each item's own fields."""

    customers: set[int]
    #: Transaction types by name, so a batch looks each name up once.
    presets: dict[str, int | FieldError | None]


def _customer(reader: FieldReader, check: _Check, *, required: bool) -> int | None:
    if not reader.wants("customerId", required=required):
        return None
    ident = reader.read("customerId", parse_id)
    if ident is not None and ident not in check.customers:
        reader.fail("customerId", f"names no customer (there is none with id {ident})")
        return None
    return ident


def _new_read_only_checks() -> dict[str, Callable[[object], bool]]:
    """On create only `invoiceId: null` repeats a value (the one a new charge has)."""
    return {**dict.fromkeys(READ_ONLY, lambda value: False), "invoiceId": lambda v: v is None}


async def _call_columns(reader: FieldReader, check: _Check) -> dict[str, Any]:
    reader.check_known(CALL_WRITABLE, READ_ONLY)
    reader.check_read_only(_new_read_only_checks())
    columns: dict[str, Any] = {"customer_id": _customer(reader, check, required=True)}
    for wire, column, rule in (
        ("startTime", "start_time", START_TIME),
        ("duration", "duration", DURATION),
        ("numberDialled", "number_dialled", NUMBER_DIALLED),
        ("charge", "charge", CHARGE),
    ):
        if reader.wants(wire, required=True):
            columns[column] = reader.read(wire, rule)
    return columns


async def _transaction_columns(
    reader: FieldReader, check: _Check, current: TransactionRecord | None = None
) -> dict[str, Any]:
    creating = current is None
    reader.check_known(TRANSACTION_WRITABLE, READ_ONLY)
    reader.check_read_only(
        _new_read_only_checks() if current is None else _read_only_checks(current)
    )
    columns: dict[str, Any] = {}
    if reader.has("customerId") or creating:
        columns["customer_id"] = _customer(reader, check, required=creating)
    if reader.wants("transactionType", required=creating):
        current_id = None if current is None else current.transaction_type_id
        columns["transaction_type_id"] = await reader.preset(
            "transactionType", TRANSACTION_TYPES, current_id, check.presets
        )
    if reader.wants("transactionDate", required=creating):
        columns["transaction_date"] = reader.read("transactionDate", date_or_null)
    if reader.wants("billDate", nullable=True):
        columns["bill_date"] = reader.read("billDate", date_or_null)
    if reader.wants("amount", required=creating):
        columns["amount"] = reader.read("amount", AMOUNT)
    if reader.wants("description", nullable=True):
        # Null means no description.
        columns["description"] = (
            "" if reader.fields["description"] is None else reader.read("description", DESCRIPTION)
        )
    return columns


def _read_only_checks(current: TransactionRecord) -> dict[str, Callable[[object], bool]]:
    return {
        "id": lambda value: same_id(value, current.id),
        "invoiceId": lambda value: same_id(value, current.invoice_id),
        "createdDate": lambda value: same_instant(value, current.created_date),
        "updatedDate": lambda value: same_instant(value, current.updated_date),
    }


ColumnsOf = Callable[[FieldReader, _Check], Awaitable[dict[str, Any]]]


async def _checked(
    items: Sequence[object], columns_of: ColumnsOf, *, listed: bool
) -> list[dict[str, Any]]:
    """Every item's columns, or VALIDATION_FAILED listing every problem in every item."""
    errors: list[FieldError] = []
    objects = [item for item in items if isinstance(item, Mapping)]
    check = _Check(await _existing_customers(item.get("customerId") for item in objects), {})
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        prefix = f"[{index}]." if listed else ""
        if not isinstance(item, Mapping):
            errors.append(invalid(f"[{index}]", f"[{index}] must be an object"))
            continue
        rows.append(await columns_of(FieldReader(item, prefix, errors), check))
    raise_errors(errors)
    return rows


async def _insert(
    table: str, columns: Sequence[str], rows: list[dict[str, Any]], defaults: Mapping[str, Any]
) -> list[int]:
    """Insert the rows (with defaults and the server's dates) in one transaction."""
    now = datetime.now(UTC)
    stamps = {"created_date": now, "updated_date": now}
    values = [[{**defaults, **row, **stamps}[column] for column in columns] for row in rows]
    return await insert_rows(table, columns, values)


def _in_order(found: Mapping[int, Any], ids: list[int]) -> list[Any]:
    return [found[ident] for ident in ids]


# --- creating ----------------------------------------------------------------------


async def create_call(fields: Mapping[str, Any]) -> CallRecord:
    """Create one call from wire-named fields (errors name fields without a prefix).

    `customerId` (an existing customer), `startTime` (RFC 3339; stored in UTC),
    `duration` (whole seconds, >= 0), `numberDialled` (1-32 characters) and `charge`
    (>= 0, at most 4 places) are required. VALIDATION_FAILED otherwise.
    """
    return (await _create_calls([fields], listed=False))[0]


async def create_calls(items: Sequence[object]) -> list[CallRecord]:
    """Create calls, all or nothing, in the order given; errors name the item
    (`[3].charge`), and every bad item is reported. Each item is as for `create_call`."""
    return await _create_calls(items, listed=True)


async def _create_calls(items: Sequence[object], *, listed: bool) -> list[CallRecord]:
    rows = await _checked(items, _call_columns, listed=listed)
    ids = await _insert("call", CALL_COLUMNS, rows, {})
    return _in_order(await get_calls(ids), ids)


async def create_transaction(fields: Mapping[str, Any]) -> TransactionRecord:
    """Create one transaction from wire-named fields (errors name fields without a prefix).

    Required: `customerId`, `transactionType` (a transactionType preset name),
    `transactionDate` and `amount` (at most 4 places, may be negative). Optional:
    `billDate` (a date or null) and `description` (up to 255 characters; null is "").
    """
    return (await _create_transactions([fields], listed=False))[0]


async def create_transactions(items: Sequence[object]) -> list[TransactionRecord]:
    """Create transactions, all or nothing, in the order given; errors name the item
    (`[3].amount`). Each item is as for `create_transaction`."""
    return await _create_transactions(items, listed=True)


async def _create_transactions(items: Sequence[object], *, listed: bool) -> list[TransactionRecord]:
    rows = await _checked(items, _transaction_columns, listed=listed)
    ids = await _insert(
        "charge_transaction",
        TRANSACTION_COLUMNS,
        rows,
        {"bill_date": None, "description": "", "version": 0},
    )
    return _in_order(await get_transactions(ids), ids)


# --- changing transactions ---------------------------------------------------------


def _already_billed(record: TransactionRecord) -> BillingError:
    return BillingError(
        ErrorCode.ALREADY_BILLED,
        f"transaction {record.id} is billed (invoice {record.invoice_id}) and cannot change",
    )


async def update_transaction(
    transaction_id: object, fields: Mapping[str, Any]
) -> TransactionRecord:
    """Apply a partial update to an unbilled transaction.

    NOT_FOUND for an unknown id; VALIDATION_FAILED as for create; ALREADY_BILLED (409)
    when it changes a billed transaction (repeating its current values is fine). The
    update is conditional on the row still being unbilled, so it cannot race a run.
    """

    async def attempt() -> TransactionRecord | None:
        current = await get_transaction(transaction_id)
        reader = FieldReader(fields)
        check = _Check(await _existing_customers([fields.get("customerId")]), {})
        columns = await _transaction_columns(reader, check, current)
        raise_errors(reader.errors)
        stored = current.stored()
        changed = {col: val for col, val in columns.items() if val != stored[col]}
        if not changed:
            return current
        if current.invoice_id is not None:
            raise _already_billed(current)
        return await update_if_version(
            _unbilled(current), current.version, changed, lambda: get_transaction(current.id)
        )

    return await retry_on_version(f"transaction {transaction_id}: update", attempt)


async def delete_transaction(transaction_id: object) -> TransactionRecord:
    """Delete an unbilled transaction; return it as it was.

    NOT_FOUND for an unknown id; ALREADY_BILLED (409) once it is billed. The delete is
    conditional on the row still being unbilled (and unchanged since it was read).
    """

    async def attempt() -> TransactionRecord | None:
        current = await get_transaction(transaction_id)
        if current.invoice_id is not None:
            raise _already_billed(current)
        deleted = await _unbilled(current).filter(version=current.version).delete()
        return current if deleted else None

    return await retry_on_version(f"transaction {transaction_id}: delete", attempt)


def _unbilled(record: TransactionRecord) -> QuerySet[ChargeTransaction]:
    """The transaction's row while no run has billed it (the engine's claim sets it)."""
    return ChargeTransaction.filter(id=record.id, invoice_id__isnull=True)
