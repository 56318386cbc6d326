"""Call and transaction inputs. Absent fields are left alone; null clears a field."""

from __future__ import annotations

import datetime
import decimal
from typing import Annotated

import strawberry

from schema.charges.types import BILL_DATE
from schema.core.inputs import optional_field

_CUSTOMER = "An existing customer's id."
_TYPE = "A transactionType preset name."
_HAPPENED = "When it happened."


@strawberry.input(description="A new call.")
class CallInput:
    customer_id: strawberry.ID = strawberry.field(description=_CUSTOMER)
    start_time: datetime.datetime = strawberry.field(description="When the call started.")
    duration: int = strawberry.field(description="How long it lasted, in whole seconds (>= 0).")
    number_dialled: str = strawberry.field(description="The number called, 1 to 32 characters.")
    charge: decimal.Decimal = strawberry.field(
        description='At least 0, at most 4 places: "1.2345".'
    )


@strawberry.input(description="A new transaction.")
class TransactionInput:
    customer_id: strawberry.ID = strawberry.field(description=_CUSTOMER)
    transaction_type: str = strawberry.field(description=_TYPE)
    transaction_date: datetime.date = strawberry.field(description=_HAPPENED)
    bill_date: datetime.date | None = optional_field(BILL_DATE)
    amount: decimal.Decimal = strawberry.field(
        description='At most 4 places; negative for a credit: "-5.00".'
    )
    description: str | None = optional_field(
        "What it is for, up to 255 characters (null or left out: empty)."
    )


@strawberry.input(
    description=(
        "Changes to an unbilled transaction; fields left out stay as they are. A billed "
        "transaction cannot change (ALREADY_BILLED)."
    )
)
class UpdateTransactionInput:
    customer_id: strawberry.ID | None = optional_field(_CUSTOMER)
    transaction_type: str | None = optional_field(_TYPE)
    transaction_date: datetime.date | None = optional_field(_HAPPENED)
    bill_date: datetime.date | None = optional_field(BILL_DATE)
    amount: decimal.Decimal | None = optional_field("At most 4 places; negative for a credit.")
    description: str | None = optional_field("What it is for, up to 255 characters (null: empty).")


#: The `input` argument of addCalls.
NewCalls = Annotated[list[CallInput], strawberry.argument(description="The new calls.")]
#: The `input` argument of addTransactions.
NewTransactions = Annotated[
    list[TransactionInput], strawberry.argument(description="The new transactions.")
]
