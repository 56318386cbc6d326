"""Customer actions: list, get, create and update.

Rules: `accountNumber` is unique, 1 to 32 of A-Z a-z 0-9 and -, and cannot change once
the customer has an invoice (invoice numbers start with it); `subrun` and
`invoiceMessage` are preset names; `lowValuePolicy` is NONE, SKIP, PAD or FEE;
`minimumAmount` and `lowUsageFee` are money of at most 2 places, not negative.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tortoise.exceptions import IntegrityError

from billing.errors import BillingError, ErrorCode, invalid
from billing.fields import NAME, Amount, FieldReader, OneOf, raise_errors, same_id, same_instant
from billing.listing import ListFilter
from billing.money import cents_from_units, to_units
from billing.presets import PRESET_FIELDS
from billing.sql import Decoder, Sql, marks
from billing.tables import Table, batches
from billing.versions import retry_on_version, update_if_version
from models import Customer, LowValuePolicy

ACCOUNT_NUMBER = re.compile(r"[A-Za-z0-9-]{1,32}")
#: `minimumAmount` and `lowUsageFee`: whole cents, not negative.
MONEY = Amount(places=2)
POLICY = OneOf(LowValuePolicy)
MONEY_FIELDS = {"minimumAmount": "minimum_amount", "lowUsageFee": "low_usage_fee"}
WRITABLE = ("accountNumber", "name", "lowValuePolicy", *PRESET_FIELDS, *MONEY_FIELDS)
READ_ONLY = ("id", "createdDate", "updatedDate")


@dataclass(frozen=True)
class CustomerRecord:
    """A customer as both transports render it (money with exactly 2 places)."""

    id: int
    account_number: str
    name: str
    subrun: str | None
    invoice_message: str | None
    low_value_policy: str
    minimum_amount: Decimal
    low_usage_fee: Decimal
    created_date: datetime
    updated_date: datetime
    subrun_id: int | None
    invoice_message_id: int | None
    #: Invoices produced so far (the last invoice number used).
    invoice_count: int
    version: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> CustomerRecord:
        money = {column: cents_from_units(row[column]) for column in MONEY_FIELDS.values()}
        return cls(**{**row, **money})

    def stored(self) -> dict[str, Any]:
        """The columns a write may set, as stored: to tell a real change from a repeat."""
        return {
            "account_number": self.account_number,
            "name": self.name,
            "subrun_id": self.subrun_id,
            "invoice_message_id": self.invoice_message_id,
            "low_value_policy": self.low_value_policy,
            "minimum_amount": to_units(self.minimum_amount),
            "low_usage_fee": to_units(self.low_usage_fee),
        }


#: The columns a new customer sets (`billing.demo` writes its rows in this order).
CUSTOMER_COLUMNS = (
    "account_number",
    "name",
    "subrun_id",
    "invoice_message_id",
    "low_value_policy",
    "minimum_amount",
    "low_usage_fee",
    "invoice_count",
    "created_date",
    "updated_date",
    "version",
)
_TABLE: Table[CustomerRecord] = Table(
    what="customer",
    source="customer c",
    alias="c",
    columns=", ".join(f"c.{column}" for column in ("id", *CUSTOMER_COLUMNS))
    + ", s.name AS subrun, m.name AS invoice_message",
    joins=(
        " LEFT JOIN preset s ON s.id = c.subrun_id"
        " LEFT JOIN preset m ON m.id = c.invoice_message_id"
    ),
    decoder=Decoder({"created_date": "datetime", "updated_date": "datetime"}),
    record=CustomerRecord.from_row,
)


# --- reads -------------------------------------------------------------------------


async def get_customer(customer_id: object) -> CustomerRecord:
    """The customer with that id; NOT_FOUND for an unknown or malformed id."""
    return await _TABLE.get(customer_id)


async def get_customers(ids: Iterable[int]) -> dict[int, CustomerRecord]:
    """Customers by id, for batch loading (ids with no customer are left out)."""
    return await _TABLE.by_ids(ids)


async def existing_ids(ids: Iterable[int]) -> set[int]:
    """Which of these ids are customers'."""
    found: set[int] = set()
    sql = Sql()
    for batch in batches(sorted(set(ids))):
        rows = await sql.rows(f"SELECT id FROM customer WHERE id IN ({marks(len(batch))})", *batch)
        found.update(row["id"] for row in rows)
    return found


async def list_customers(filters: ListFilter, limit: int, offset: int = 0) -> list[CustomerRecord]:
    """Customers matching the filters, by id ascending."""
    return await _TABLE.page(_TABLE.where(filters), limit, offset)


async def count_customers(filters: ListFilter) -> int:
    """How many customers match the filters (for totalCount)."""
    return await _TABLE.count(_TABLE.where(filters))


# --- writes ------------------------------------------------------------------------


def _read_only_checks(current: CustomerRecord | None) -> dict[str, Callable[[object], bool]]:
    if current is None:  # nothing to repeat yet: the server sets these
        return dict.fromkeys(READ_ONLY, lambda value: False)
    return {
        "id": lambda value: same_id(value, current.id),
        "createdDate": lambda value: same_instant(value, current.created_date),
        "updatedDate": lambda value: same_instant(value, current.updated_date),
    }


def _account_number(value: object, /) -> str:
    """The rule of `accountNumber` (a rule for `FieldReader.read`)."""
    if not isinstance(value, str) or not ACCOUNT_NUMBER.fullmatch(value):
        raise ValueError("must be 1 to 32 of A-Z, a-z, 0-9 and -")
    return value


async def _plan(current: CustomerRecord | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The columns a write sets, after every rule is checked (VALIDATION_FAILED if not)."""
    creating = current is None
    reader = FieldReader(fields)
    reader.check_known(WRITABLE, READ_ONLY)
    reader.check_read_only(_read_only_checks(current))
    columns: dict[str, Any] = {}
    if reader.wants("accountNumber", required=creating):
        columns["account_number"] = reader.read("accountNumber", _account_number)
    if reader.wants("name", required=creating):
        columns["name"] = reader.read("name", NAME)
    if reader.wants("lowValuePolicy"):
        columns["low_value_policy"] = reader.read("lowValuePolicy", POLICY)
    for wire, column in MONEY_FIELDS.items():
        if reader.wants(wire):
            columns[column] = reader.read(wire, MONEY)
    for wire, (column, presets) in PRESET_FIELDS.items():
        if reader.wants(wire, nullable=True):
            current_id = None if current is None else current.stored()[column]
            columns[column] = await reader.preset(wire, presets, current_id)
    raise_errors(reader.errors)
    return columns


def _duplicate_account(account_number: object) -> BillingError:
    return BillingError.from_errors(
        [invalid("accountNumber", f"accountNumber {account_number} is already in use")]
    )


def _account_locked() -> BillingError:
    return BillingError(
        ErrorCode.FIELD_LOCKED,
        "accountNumber cannot change once the customer has an invoice",
        "accountNumber",
    )


async def create_customer(fields: Mapping[str, Any]) -> CustomerRecord:
    """Create a customer from wire-named fields (`accountNumber` and `name` required).

    VALIDATION_FAILED (naming the field) for a missing, malformed, unknown or read-only
    field, an unknown or retired preset, or an account number already in use.
    """
    columns = await _plan(None, fields)
    now = datetime.now(UTC)
    try:
        customer = await Customer.create(**columns, created_date=now, updated_date=now)
    except IntegrityError:
        raise _duplicate_account(columns["account_number"]) from None
    return await get_customer(customer.id)


async def update_customer(customer_id: object, fields: Mapping[str, Any]) -> CustomerRecord:
    """Apply a partial update; a write that changes nothing leaves `updatedDate` alone.

    NOT_FOUND for an unknown id; VALIDATION_FAILED as for create; FIELD_LOCKED when
    `accountNumber` changes on a customer that has been invoiced.
    """

    async def attempt() -> CustomerRecord | None:
        current = await get_customer(customer_id)
        columns = await _plan(current, fields)
        stored = current.stored()
        changed = {col: val for col, val in columns.items() if val != stored[col]}
        if not changed:
            return current
        row = Customer.filter(id=current.id)
        if "account_number" in changed:
            if current.invoice_count:
                raise _account_locked()
            row = row.filter(invoice_count=0)  # the engine may be invoicing it now
        try:
            return await update_if_version(
                row, current.version, changed, lambda: get_customer(current.id)
            )
        except IntegrityError:
            raise _duplicate_account(changed.get("account_number")) from None

    return await retry_on_version(f"customer {customer_id}: update", attempt)
