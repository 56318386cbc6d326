"""GraphQL input types. Absent fields are left alone; null clears a field."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import strawberry
from strawberry.utils.str_converters import to_camel_case

_DATE = "YYYY-MM-DD."


def wire_fields(data: object) -> dict[str, Any]:
    """The fields a client sent, by their wire (camelCase) names; UNSET ones left out."""
    return {
        to_camel_case(f.name): getattr(data, f.name)
        for f in dataclasses.fields(data)  # type: ignore[arg-type]
        if getattr(data, f.name) is not strawberry.UNSET
    }


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


@strawberry.input(description="A new preset of a kind clients manage.")
class CreatePresetInput:
    kind: str = strawberry.field(description="billingSubrun, invoiceMessage or transactionType.")
    name: str = strawberry.field(description="Unique within its kind, 1 to 64 characters.")
    text: str | None = strawberry.field(
        default=None, description="For invoice messages, the text printed on invoices."
    )


@strawberry.input(description="Rename a preset, change its text, or retire or restore it.")
class UpdatePresetInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="A new name.")
    text: str | None = strawberry.field(default=strawberry.UNSET, description="A new text.")
    retired: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="True to stop the preset being chosen on new writes; false to restore it.",
    )
