"""Calls and transactions, and their pages."""

from __future__ import annotations

import datetime
import decimal
from typing import Annotated

import strawberry

from schema.core.nodes import FromRecord
from schema.core.pagination import Connection
from schema.customers.types import customer_field
from schema.invoices.types import invoice_field

#: The argument naming a transaction.
TransactionId = Annotated[strawberry.ID, strawberry.argument(description="The transaction's id.")]

_CHARGE = "At least 0, exact to 4 places, written with at least 2 (e.g. 1.2345, 12.50)."
_AMOUNT = "Exact to 4 places, written with at least 2; negative for a credit."
BILL_DATE = (
    "When set, the date it is billed by (runs without a transaction cutoff bill it once "
    "their cutoffDate is after this date); null to use transactionDate."
)
_CUSTOMER_ID = "The id of the customer billed."
_INVOICE_ID = "The id of the invoice that billed it; null until billed."
_CREATED = "When it was recorded."
_UPDATED = "When it last changed."


@strawberry.type(description="A call charge.")
class Call(FromRecord):
    id: strawberry.ID = strawberry.field(description="The call's id (text of an integer).")
    customer_id: strawberry.ID = strawberry.field(description=_CUSTOMER_ID)
    start_time: datetime.datetime = strawberry.field(description="When the call started.")
    duration: int = strawberry.field(description="How long it lasted, in whole seconds.")
    number_dialled: str = strawberry.field(description="The number called, 1 to 32 characters.")
    charge: decimal.Decimal = strawberry.field(description=_CHARGE)
    invoice_id: strawberry.ID | None = strawberry.field(description=_INVOICE_ID)
    created_date: datetime.datetime = strawberry.field(description=_CREATED)
    updated_date: datetime.datetime = strawberry.field(description=_UPDATED)

    customer = customer_field("The customer billed for the call.")
    invoice = invoice_field("The invoice that billed the call; null until billed.")


@strawberry.type(description="A non-call charge, or a credit when its amount is negative.")
class Transaction(FromRecord):
    id: strawberry.ID = strawberry.field(description="The transaction's id (text of an integer).")
    customer_id: strawberry.ID = strawberry.field(description=_CUSTOMER_ID)
    transaction_type: str = strawberry.field(description="Its transactionType preset name.")
    transaction_date: datetime.date = strawberry.field(description="When it happened.")
    bill_date: datetime.date | None = strawberry.field(description=BILL_DATE)
    amount: decimal.Decimal = strawberry.field(description=_AMOUNT)
    description: str = strawberry.field(description="What it is for (may be empty).")
    invoice_id: strawberry.ID | None = strawberry.field(description=_INVOICE_ID)
    created_date: datetime.datetime = strawberry.field(description=_CREATED)
    updated_date: datetime.datetime = strawberry.field(description=_UPDATED)

    customer = customer_field("The customer billed for the transaction.")
    invoice = invoice_field("The invoice that billed the transaction; null until billed.")


@strawberry.type(description="A page of calls in id order.")
class CallConnection(Connection[Call]):
    cursor_kind = "call"


@strawberry.type(description="A page of transactions in id order.")
class TransactionConnection(Connection[Transaction]):
    cursor_kind = "transaction"
