"""A billing run, its page and its mutation payload."""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from billing.runs import RunRecord
from billing.values import money
from schema.core.context import Info
from schema.core.mutations import UserError
from schema.core.pagination import After, Connection, First

if TYPE_CHECKING:
    from schema.invoices.types import InvoiceConnection, NotProducedInvoice


@strawberry.type(description="A billing run: which charges to invoice, and on which dates.")
class BillingRun:
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

    @classmethod
    def from_record(cls, run: RunRecord) -> BillingRun:
        return cls(
            id=strawberry.ID(str(run.id)),
            name=run.name,
            status=run.status,
            subrun=run.subrun,
            invoice_message=run.invoice_message,
            invoice_amount=money(run.invoice_amount),
            invoice_date=run.invoice_date,
            cutoff_date=run.cutoff_date,
            transaction_cutoff_date=run.transaction_cutoff_date,
            due_date=run.due_date,
            commenced_date=run.commenced_date,
            completed_date=run.completed_date,
            created_date=run.created_date,
            updated_date=run.updated_date,
            customers_in_scope=run.customers_in_scope,
            customers_done=run.customers_done,
            invoices_produced=run.invoices_produced,
            invoices_not_produced=run.invoices_not_produced,
        )

    @strawberry.field(description="The run's invoices, in id order.")
    async def invoices(
        self, info: Info, first: First = 100, after: After = None
    ) -> Annotated[InvoiceConnection, strawberry.lazy("schema.invoices.types")]:
        return await info.context.loaders.invoices_by_run.page(int(self.id), first, after)

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


@strawberry.type(description="The result of a billing-run mutation.")
class BillingRunPayload:
    billing_run: BillingRun | None = strawberry.field(
        description="The run as it now is; null when the mutation failed."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the mutation failed; empty on success."
    )
