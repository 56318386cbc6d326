"""Call and transaction inputs. Absent fields are left alone; null clears a field."""

from __future__ import annotations

import datetime
import decimal

import strawberry

from schema.charges.types import BILL_DATE


@strawberry.input(description="A new call.")
class CallInput:
    customer_id: strawberry.ID = strawberry.field(description="An existing customer's id.")
    start_time: datetime.datetime = strawberry.field(description="When the call started.")
    duration: int = strawberry.field(description="How long it lasted, in whole seconds (>= 0).")
    number_dialled: str = strawberry.field(description="The number called, 1 to 32 characters.")
    charge: decimal.Decimal = strawberry.field(
        description='At least 0, at most 4 places: "1.2345".'
    )


@strawberry.input(description="A new transaction.")
class TransactionInput:
    customer_id: strawberry.ID = strawberry.field(description="An existing customer's id.")
    transaction_type: str = strawberry.field(description="A transactionType preset name.")
    transaction_date: datetime.date = strawberry.field(description="When it happened.")
    bill_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description=BILL_DATE
    )
    amount: decimal.Decimal = strawberry.field(
        description='At most 4 places; negative for a credit: "-5.00".'
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="What it is for, up to 255 characters (null or left out: empty).",
    )


@strawberry.input(
    description=(
        "Changes to an unbilled transaction; fields left out stay as they are. A billed "
        "transaction cannot change (ALREADY_BILLED)."
    )
)
class UpdateTransactionInput:
    customer_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="An existing customer's id."
    )
    transaction_type: str | None = strawberry.field(
        default=strawberry.UNSET, description="A transactionType preset name."
    )
    transaction_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description="When it happened."
    )
    bill_date: datetime.date | None = strawberry.field(
        default=strawberry.UNSET, description=BILL_DATE
    )
    amount: decimal.Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="At most 4 places; negative for a credit."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="What it is for, up to 255 characters (null: empty)."
    )
