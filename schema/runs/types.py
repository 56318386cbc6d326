"""A billing run and its page."""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from billing.runs import RunRecord
from billing.values import money
from schema.core.context import Info
from schema.core.fields import page_field
from schema.core.nodes import FromRecord
from schema.core.pagination import Connection

if TYPE_CHECKING:
    from schema.invoices.types import InvoiceConnection, NotProducedInvoice

#: The argument naming a run.
RunId = Annotated[strawberry.ID, strawberry.argument(description="The run's id.")]
_INVOICES = Annotated["InvoiceConnection", strawberry.lazy("schema.invoices.types")]


@strawberry.type(description="A billing run: which charges to invoice, and on which dates.")
class BillingRun(FromRecord):
    id: strawberry.ID = strawberry.field(description="The run's id (text of a 64-bit integer).")
    name: str = strawberry.field(description="Descriptive name, 1 to 255 characters.")
    status: str = strawberry.field(
        description="Pending, Requested, Running or Complete (a billingRunStatus preset)."
    )
    subrun: str | None = strawberry.field(
        description="The billingSubrun preset this run bills, or null for customers without one."
    )
    invoice_message: str | None = strawberry.field(
        description="Name of the invoiceMessage preset printed on this run's invoices."
    )
    invoice_amount: decimal.Decimal = strawberry.field(
        description="Total of all invoices in this run, set when the run completes."
    )
    invoice_date: datetime.date | None = strawberry.field(
        description="Date to appear on the invoices. Locked once bills are requested."
    )
    cutoff_date: datetime.date | None = strawberry.field(
        description="Calls starting before this date are included. Locked once bills are requested."
    )
    transaction_cutoff_date: datetime.date | None = strawberry.field(
        description=(
            "When set, other charges dated on or before it are included. "
            "Locked once bills are requested."
        )
    )
    due_date: datetime.date | None = strawberry.field(
        description="Payment due date; not before invoiceDate. Locked once bills are requested."
    )
    commenced_date: datetime.datetime | None = strawberry.field(
        description="When invoice production started."
    )
    completed_date: datetime.datetime | None = strawberry.field(
        description="When invoice production finished."
    )
    created_date: datetime.datetime = strawberry.field(description="When the run was created.")
    updated_date: datetime.datetime = strawberry.field(description="When the run last changed.")
    customers_in_scope: int | None = strawberry.field(
        description="How many customers the run bills; null until it is Running."
    )
    customers_done: int = strawberry.field(
        description="In-scope customers handled so far, invoiced or not."
    )
    invoices_produced: int = strawberry.field(description="Invoices produced so far.")
    invoices_not_produced: int = strawberry.field(
        description="In-scope customers who got no invoice (empty or too low)."
    )

    invoices = page_field(_INVOICES, "invoices_by_run", "The run's invoices")

    @classmethod
    def from_record(cls, record: RunRecord, **shown: Any) -> BillingRun:
        return super().from_record(record, invoice_amount=money(record.invoice_amount), **shown)

    @strawberry.field(
        description="The in-scope customers the run gave no invoice, and why; by customer id."
    )
    async def not_produced(
        self, info: Info
    ) -> list[Annotated[NotProducedInvoice, strawberry.lazy("schema.invoices.types")]]:
        return await info.context.loaders.not_produced_by_run.load(int(self.id))


@strawberry.type(description="A page of billing runs in id order.")
class BillingRunConnection(Connection[BillingRun]):
    cursor_kind = "billingRun"
