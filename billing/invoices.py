"""Reading invoices and the lines of customers a run did not invoice (read-only: only
the billing engine writes them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from billing.listing import ListFilter
from billing.money import cents_from_units, from_units
from billing.sql import Decoder
from billing.tables import Table, Where


@dataclass(frozen=True)
class InvoiceRecord:
    """An invoice as both transports render it: `total` with exactly 2 places, the other
    money exact with at least 2."""

    id: int
    number: str
    customer_id: int
    billing_run_id: int
    invoice_date: date
    due_date: date | None
    period_ended: date
    message: str | None
    call_total: Decimal
    transaction_total: Decimal
    adjustment: Decimal
    total: Decimal
    call_count: int
    transaction_count: int
    created_date: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> InvoiceRecord:
        return cls(
            **{
                **row,
                "call_total": from_units(row["call_total"]),
                "transaction_total": from_units(row["transaction_total"]),
                "adjustment": from_units(row["adjustment"]),
                "total": cents_from_units(row["total"]),
            }
        )


@dataclass(frozen=True)
class NotProducedRecord:
    """A customer in a run's scope who got no invoice: `reason` is EMPTY or TOO_LOW;
    `amount` (2 places) is 0 for EMPTY, the rounded subtotal for TOO_LOW."""

    id: int
    billing_run_id: int
    customer_id: int
    reason: str
    amount: Decimal
    created_date: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> NotProducedRecord:
        return cls(**{**row, "amount": cents_from_units(row["amount"])})


_INVOICE_COLUMNS = (
    "id",
    "number",
    "customer_id",
    "billing_run_id",
    "invoice_date",
    "due_date",
    "period_ended",
    "message",
    "call_total",
    "transaction_total",
    "adjustment",
    "total",
    "call_count",
    "transaction_count",
    "created_date",
)
_INVOICES: Table[InvoiceRecord] = Table(
    what="invoice",
    source="invoice i",
    alias="i",
    columns=", ".join(f"i.{column}" for column in _INVOICE_COLUMNS),
    decoder=Decoder(
        {
            "invoice_date": "date",
            "due_date": "date",
            "period_ended": "date",
            "created_date": "datetime",
        }
    ),
    record=InvoiceRecord.from_row,
    # An invoice never changes once produced, so it has no updatedDate: `updatedSince`
    # compares its createdDate (the last time it was written).
    updated_column="created_date",
)
_NOT_PRODUCED: Table[NotProducedRecord] = Table(
    what="not-produced line",
    source="invoice_not_produced n",
    alias="n",
    columns="n.id, n.billing_run_id, n.customer_id, n.reason, n.amount, n.created_date",
    decoder=Decoder({"created_date": "datetime"}),
    record=NotProducedRecord.from_row,
)


def _invoice_where(
    filters: ListFilter, billing_run_id: int | None, customer_id: int | None
) -> Where:
    where = _INVOICES.where(filters)
    if billing_run_id is not None:
        where = where.and_("i.billing_run_id = ?", billing_run_id)
    if customer_id is not None:
        where = where.and_("i.customer_id = ?", customer_id)
    return where


async def get_invoice(invoice_id: object) -> InvoiceRecord:
    """The invoice with that id; NOT_FOUND for an unknown or malformed id."""
    return await _INVOICES.get(invoice_id)


async def get_invoices(ids: Iterable[int]) -> dict[int, InvoiceRecord]:
    """Invoices by id, for batch loading (ids with no invoice are left out)."""
    return await _INVOICES.by_ids(ids)


async def list_invoices(
    filters: ListFilter,
    limit: int,
    offset: int = 0,
    *,
    billing_run_id: int | None = None,
    customer_id: int | None = None,
) -> list[InvoiceRecord]:
    """Invoices matching every filter given, by id ascending.

    `updatedSince` compares the invoice's createdDate: invoices never change.
    """
    return await _INVOICES.page(_invoice_where(filters, billing_run_id, customer_id), limit, offset)


async def count_invoices(
    filters: ListFilter, *, billing_run_id: int | None = None, customer_id: int | None = None
) -> int:
    """How many invoices `list_invoices` would find with the same filters, whatever the page."""
    return await _INVOICES.count(_invoice_where(filters, billing_run_id, customer_id))


async def invoices_by_run(run_ids: Iterable[int]) -> dict[int, list[InvoiceRecord]]:
    """Every invoice of each run, in id order (an empty list for an unknown run)."""
    return await _INVOICES.grouped("billing_run_id", run_ids)


async def invoices_by_customer(customer_ids: Iterable[int]) -> dict[int, list[InvoiceRecord]]:
    """Every invoice of each customer, in id order (an empty list for an unknown one)."""
    return await _INVOICES.grouped("customer_id", customer_ids)


async def list_not_produced(
    billing_run_id: int, filters: ListFilter, limit: int, offset: int = 0
) -> list[NotProducedRecord]:
    """The run's not-produced lines, by customer id ascending.

    A line's key is its customer (one line per customer and run), so `idAfter` compares
    the customer id; `createdSince` and `updatedSince` compare when the line was written.
    """
    where = Where(("n.billing_run_id = ?",), (billing_run_id,))
    if filters.id_after is not None:
        where = where.and_("n.customer_id > ?", filters.id_after)
    for since in (filters.created_since, filters.updated_since):
        if since is not None:
            where = where.and_("n.created_date >= ?", since.astimezone(UTC))
    return await _NOT_PRODUCED.rows(
        where, " ORDER BY n.customer_id LIMIT ? OFFSET ?", limit, offset
    )


async def not_produced_by_run(run_ids: Iterable[int]) -> dict[int, list[NotProducedRecord]]:
    """Every not-produced line of each run (an empty list for an unknown run)."""
    return await _NOT_PRODUCED.grouped("billing_run_id", run_ids)
