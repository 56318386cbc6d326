"""Billing-run inputs. Absent fields are left alone; null clears a field."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from schema.core.inputs import optional_field

NAME = "Descriptive name, 1 to 255 characters."
_DATE = "YYYY-MM-DD."


@strawberry.input(
    description=(
        "Changes to a billing run. Once bills are requested only `name` may change; "
        "sending a locked field's current value is fine."
    )
)
class UpdateBillingRunInput:
    name: str | None = optional_field(NAME)
    subrun: str | None = optional_field("A billingSubrun preset name, or null.")
    invoice_message: str | None = optional_field("An invoiceMessage preset name, or null.")
    invoice_date: datetime.date | None = optional_field("Date to appear on invoices, " + _DATE)
    cutoff_date: datetime.date | None = optional_field(
        "Calls starting before this date are billed."
    )
    transaction_cutoff_date: datetime.date | None = optional_field(
        "Optional: other charges dated on or before it are billed."
    )
    due_date: datetime.date | None = optional_field("Payment due date; not before invoiceDate.")


@strawberry.input(description="A new billing run. It starts Pending.")
class CreateBillingRunInput(UpdateBillingRunInput):
    """The same fields as a change, but `name` is required."""

    name: str = strawberry.field(description=NAME)


#: The `input` argument of createBillingRun.
NewBillingRun = Annotated[CreateBillingRunInput, strawberry.argument(description="The new run.")]
