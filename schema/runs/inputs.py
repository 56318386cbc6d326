"""Billing-run inputs. Absent fields are left alone; null clears a field."""

from __future__ import annotations

import datetime

import strawberry

_DATE = "YYYY-MM-DD."


@strawberry.input(description="A new billing run. It starts Pending.")
class CreateBillingRunInput:
    name: str = strawberry.field(description="Descriptive name, 1 to 255 characters.")
    subrun: str | None = strawberry.field(
        default=strawberry.UNSET, description="A billingSubrun preset name, or null."
    )
    invoice_message: str | None = strawberry.field(
        default=strawberry.UNSET, description="An invoiceMessage preset name, or null."
    )
    invoice_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description="Date to appear on invoices, " + _DATE
    )
    cutoff_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description="Calls starting before this date are billed."
    )
    transaction_cutoff_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET,
        description="Optional: other charges dated on or before it are billed.",
    )
    due_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description="Payment due date; not before invoiceDate."
    )


@strawberry.input(
    description=(
        "Changes to a billing run. Once bills are requested only `name` may change; "
        "sending a locked field's current value is fine."
    )
)
class UpdateBillingRunInput:
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Descriptive name, 1 to 255 characters."
    )
    subrun: str | None = strawberry.field(
        default=strawberry.UNSET, description="A billingSubrun preset name, or null."
    )
    invoice_message: str | None = strawberry.field(
        default=strawberry.UNSET, description="An invoiceMessage preset name, or null."
    )
    invoice_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description="Date to appear on invoices, " + _DATE
    )
    cutoff_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description="Calls starting before this date are billed."
    )
    transaction_cutoff_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET,
        description="Optional: other charges dated on or before it are billed.",
    )
    due_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description="Payment due date; not before invoiceDate."
    )
