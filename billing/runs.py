"""Billing-run actions: list, get, create, update and request bills.

Every rule lives here once: the preset checks, the read-only fields, `dueDate >=
invoiceDate`, the date lock and the Pending -> Requested transition. Both transports
call these functions with wire-named fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.exceptions import IntegrityError

from billing import notify, progress
from billing.errors import BillingError, ErrorCode, invalid
from billing.fields import NAME, FieldReader, OneOf, date_or_null, raise_errors, same_instant
from billing.listing import ListFilter
from billing.presets import PRESET_FIELDS
from billing.sql import Decoder
from billing.tables import Table
from billing.versions import retry_on_version, update_if_version
from models import BillingRun, BillingRunStatus

DATE_FIELDS = {
    "invoiceDate": "invoice_date",
    "cutoffDate": "cutoff_date",
    "transactionCutoffDate": "transaction_cutoff_date",
    "dueDate": "due_date",
}
WRITABLE = ("name", "status", *PRESET_FIELDS, *DATE_FIELDS)
#: Progress, written by the billing engine: wire name -> column.
PROGRESS = {
    "customersInScope": "customers_in_scope",
    "customersDone": "customers_done",
    "invoicesProduced": "invoices_produced",
    "invoicesNotProduced": "invoices_not_produced",
}
READ_ONLY = (
    "id",
    "invoiceAmount",
    "commencedDate",
    "completedDate",
    "createdDate",
    "updatedDate",
    *PROGRESS,
)
#: Columns that cannot change once a run has left Pending.
LOCKED = ("subrun_id", "invoice_message_id", *DATE_FIELDS.values())
_WIRE_NAME = {column: wire for wire, column in DATE_FIELDS.items()} | {
    column: wire for wire, (column, _) in PRESET_FIELDS.items()
}

_COLUMNS = (
    "id",
    "name",
    "status",
    "subrun_id",
    "invoice_message_id",
    "invoice_amount",
    "invoice_date",
    "cutoff_date",
    "transaction_cutoff_date",
    "due_date",
    "commenced_date",
    "completed_date",
    *PROGRESS.values(),
    "created_date",
    "updated_date",
    "version",
)
_VALUES = (*_COLUMNS, "subrun", "invoice_message")


@dataclass(frozen=True)
class RunRecord:
    """A billing run as both transports render it."""

    id: int
    name: str
    status: str
    subrun: str | None
    invoice_message: str | None
    invoice_amount: Decimal
    invoice_date: date | None
    cutoff_date: date | None
    transaction_cutoff_date: date | None
    due_date: date | None
    commenced_date: datetime | None
    completed_date: datetime | None
    created_date: datetime
    updated_date: datetime
    customers_in_scope: int | None
    customers_done: int
    invoices_produced: int
    invoices_not_produced: int
    version: int
    subrun_id: int | None
    invoice_message_id: int | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RunRecord:
        return cls(**{key: row[key] for key in _VALUES})

    def column(self, name: str) -> Any:
        return getattr(self, name)


_DECODE = Decoder(
    {
        "invoice_amount": "decimal",
        **dict.fromkeys(
            ("invoice_date", "cutoff_date", "transaction_cutoff_date", "due_date"), "date"
        ),
        **dict.fromkeys(
            ("commenced_date", "completed_date", "created_date", "updated_date"), "datetime"
        ),
    }
)
#: Plain SQL: this is the hot read path of both transports.
_RUNS = Table(
    what="billing run",
    source="billing_run r",
    alias="r",
    columns=", ".join(f"r.{column}" for column in _COLUMNS)
    + ", s.name AS subrun, m.name AS invoice_message",
    joins=(
        " LEFT JOIN preset s ON s.id = r.subrun_id"
        " LEFT JOIN preset m ON m.id = r.invoice_message_id"
    ),
    decoder=_DECODE,
    record=RunRecord.from_row,
)


async def get_run(run_id: object) -> RunRecord:
    """The run with that id; NOT_FOUND for an unknown or malformed id."""
    return await _RUNS.get(run_id)


async def get_runs(ids: Iterable[int]) -> dict[int, RunRecord]:
    return await _RUNS.by_ids(ids)


async def list_runs(filters: ListFilter, limit: int, offset: int = 0) -> list[RunRecord]:
    """Runs matching the filters, by id ascending."""
    return await _RUNS.page(_RUNS.where(filters), limit, offset)


async def count_runs(filters: ListFilter) -> int:
    return await _RUNS.count(_RUNS.where(filters))


# --- writes -----------------------------------------------------------------------


def _same_amount(value: object, current: Decimal) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        return False
    try:
        return Decimal(value) == current
    except InvalidOperation:
        return False


def _same_count_in(column: str) -> Callable[[object, RunRecord], bool]:
    def same(value: object, run: RunRecord) -> bool:
        return value == run.column(column) and not isinstance(value, bool)

    return same


_READ_ONLY_CHECKS: dict[str, Callable[[object, RunRecord], bool]] = {
    "id": lambda value, run: str(value) == str(run.id),
    "invoiceAmount": lambda value, run: _same_amount(value, run.invoice_amount),
    "commencedDate": lambda value, run: same_instant(value, run.commenced_date),
    "completedDate": lambda value, run: same_instant(value, run.completed_date),
    "createdDate": lambda value, run: same_instant(value, run.created_date),
    "updatedDate": lambda value, run: same_instant(value, run.updated_date),
} | {wire: _same_count_in(column) for wire, column in PROGRESS.items()}
#: Read-only fields the server sets as it creates a run, so a create has none to repeat.
_SET_ON_CREATE = ("id", "createdDate", "updatedDate")
_STATUS = OneOf(BillingRunStatus)

#: What a run holds before its first write: the baseline a create is checked against.
_NEW_RUN = RunRecord(
    id=0,
    name="",
    status=BillingRunStatus.PENDING,
    subrun=None,
    invoice_message=None,
    invoice_amount=Decimal(0),
    invoice_date=None,
    cutoff_date=None,
    transaction_cutoff_date=None,
    due_date=None,
    commenced_date=None,
    completed_date=None,
    # Never compared: a create may not name them (_SET_ON_CREATE).
    created_date=datetime.min.replace(tzinfo=UTC),
    updated_date=datetime.min.replace(tzinfo=UTC),
    customers_in_scope=None,
    customers_done=0,
    invoices_produced=0,
    invoices_not_produced=0,
    version=0,
    subrun_id=None,
    invoice_message_id=None,
)


@dataclass
class _Plan:
    """The column changes a write makes, after every rule has been checked."""

    columns: dict[str, Any]
    requests_bills: bool = False


async def _plan(
    current: RunRecord, fields: Mapping[str, Any], *, creating: bool, requesting: bool
) -> _Plan:
    """Check a write's rules in turn, each step raising its own error: the fields, the
    status transition, the date lock, then the dates the run would hold."""
    columns, target = await _read_fields(current, fields, creating=creating)
    changed = {col: val for col, val in columns.items() if creating or val != current.column(col)}
    requests_bills = _transition(current.status, target, requesting=requesting)
    _check_lock(current.status, changed)
    dates = {column: changed.get(column, current.column(column)) for column in LOCKED}
    _check_dates(dates, requests_bills)
    if requests_bills:
        changed["status"] = BillingRunStatus.REQUESTED
        changed["active_group"] = active_group(dates["subrun_id"])
    return _Plan(changed, requests_bills)


async def _read_fields(
    current: RunRecord, fields: Mapping[str, Any], *, creating: bool
) -> tuple[dict[str, Any], BillingRunStatus | None]:
    """The columns the fields set and the status they ask for; VALIDATION_FAILED listing
    every unknown, read-only or malformed field."""
    reader = FieldReader(fields)
    reader.check_known(WRITABLE, READ_ONLY)
    checks = {name: _repeats(check, current) for name, check in _READ_ONLY_CHECKS.items()}
    if creating:
        checks |= dict.fromkeys(_SET_ON_CREATE, lambda value: False)
    reader.check_read_only(checks)
    columns: dict[str, Any] = {}
    if (reader.has("name") or creating) and reader.wants("name", required=True):
        columns["name"] = reader.read("name", NAME)
    for wire, column in DATE_FIELDS.items():
        if reader.has(wire):
            columns[column] = reader.read(wire, date_or_null)
    for wire, (column, presets) in PRESET_FIELDS.items():
        if reader.has(wire):
            columns[column] = await reader.preset(wire, presets, current.column(column))
    target = None
    if reader.has("status"):
        target = reader.read("status", _STATUS)
        if creating and target not in (None, BillingRunStatus.PENDING):
            reader.errors.append(invalid("status", "a new billing run is Pending"))
    raise_errors(reader.errors)
    return columns, target


def _repeats(
    check: Callable[[object, RunRecord], bool], run: RunRecord
) -> Callable[[object], bool]:
    return lambda value: check(value, run)


def _transition(status: str, target: BillingRunStatus | None, *, requesting: bool) -> bool:
    """Whether the write requests bills: Pending to Requested, the one change of status a
    client makes (`requesting` asks for it whatever the fields say). Naming the current
    status again is no change; INVALID_TRANSITION for any other."""
    if requesting:
        target = BillingRunStatus.REQUESTED
    elif target is None or target == status:
        return False
    if status != BillingRunStatus.PENDING or target != BillingRunStatus.REQUESTED:
        raise BillingError(
            ErrorCode.INVALID_TRANSITION,
            f"status cannot change from {status} to {target}: "
            "the only change a client makes is Pending to Requested",
            "status",
        )
    return True


def _check_lock(status: str, changed: Mapping[str, Any]) -> None:
    """FIELD_LOCKED for a change to a locked column once the run has left Pending."""
    if status == BillingRunStatus.PENDING:
        return
    locked = [column for column in LOCKED if column in changed]
    if locked:
        wire = _WIRE_NAME[locked[0]]
        raise BillingError(
            ErrorCode.FIELD_LOCKED, f"{wire} cannot change once bills are requested", wire
        )


def _check_dates(dates: Mapping[str, Any], requests_bills: bool) -> None:
    """VALIDATION_FAILED for dates the run cannot hold together: `dueDate` before
    `invoiceDate`, or bills requested without `invoiceDate` and `cutoffDate`."""
    due, invoiced = dates["due_date"], dates["invoice_date"]
    if due is not None and invoiced is not None and due < invoiced:
        raise_errors([invalid("dueDate", "dueDate may not be before invoiceDate")])
    if requests_bills:
        raise_errors(
            [
                invalid(wire, f"{wire} must be set before bills are requested")
                for wire in ("invoiceDate", "cutoffDate")
                if dates[DATE_FIELDS[wire]] is None
            ]
        )


def active_group(subrun_id: int | None) -> str:
    """The key that at most one in-progress run may hold: its subrun, or none."""
    return f"subrun:{subrun_id}" if subrun_id is not None else "subrun:none"


def _run_in_progress() -> BillingError:
    return BillingError(
        ErrorCode.RUN_IN_PROGRESS,
        "another billing run of the same subrun is Requested or Running",
        "status",
    )


async def create_run(fields: Mapping[str, Any]) -> RunRecord:
    """Create a Pending run from wire-named fields."""
    plan = await _plan(_NEW_RUN, fields, creating=True, requesting=False)
    now = datetime.now(UTC)
    run = await BillingRun.create(**plan.columns, created_date=now, updated_date=now)
    return await get_run(run.id)


async def update_run(run_id: object, fields: Mapping[str, Any]) -> RunRecord:
    """Apply a partial update; `status: Requested` on a Pending run requests bills."""
    return await _write(run_id, fields, requesting=False)


async def request_bills(run_id: object) -> RunRecord:
    """Move a Pending run to Requested; INVALID_TRANSITION from any other status."""
    return await _write(run_id, {}, requesting=True)


async def _write(run_id: object, fields: Mapping[str, Any], *, requesting: bool) -> RunRecord:
    async def attempt() -> RunRecord | None:
        current = await get_run(run_id)
        plan = await _plan(current, fields, creating=False, requesting=requesting)
        if not plan.columns:
            return current
        try:

            async def read_back() -> RunRecord:
                record = await get_run(current.id)
                # Sent with the change: delivered to every process when it commits.
                await progress.changed(current.id)
                if plan.requests_bills:
                    await notify.publish(notify.BILLS_REQUESTED, str(current.id))
                return record

            record = await update_if_version(
                BillingRun.filter(id=current.id),
                current.version,
                plan.columns,
                read_back,
            )
        except IntegrityError:
            if plan.requests_bills:  # the unique active_group: another run holds it
                raise _run_in_progress() from None
            raise
        return record

    return await retry_on_version(f"billing run {run_id}: update", attempt)
