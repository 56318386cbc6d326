"""Calls and transactions, their pages and their mutation payloads."""

from __future__ import annotations

import datetime
import decimal

import strawberry

from billing.charges import CallRecord, TransactionRecord
from schema.core.context import Info
from schema.core.mutations import UserError
from schema.core.pagination import Connection
from schema.customers.types import Customer
from schema.invoices.types import Invoice

_CHARGE = "At least 0, exact to 4 places, written with at least 2 (e.g. 1.2345, 12.50)."
_AMOUNT = "Exact to 4 places, written with at least 2; negative for a credit."
BILL_DATE = (
    "When set, the date it is billed by (runs without a transaction cutoff bill it once "
    "their cutoffDate is after this date); null to use transactionDate."
)


def _optional_id(ident: int | None) -> strawberry.ID | None:
    return None if ident is None else strawberry.ID(str(ident))


async def _invoice(info: Info, invoice_id: strawberry.ID | None) -> Invoice | None:
    if invoice_id is None:
        return None
    return await info.context.loaders.invoice_by_id.load(int(invoice_id))


@strawberry.type(description="A call charge.")
class Call:
    id: strawberry.ID = strawberry.field(description="The call's id (text of an integer).")
    customer_id: strawberry.ID = strawberry.field(description="The id of the customer billed.")
    start_time: datetime.datetime = strawberry.field(description="When the call started.")
    duration: int = strawberry.field(description="How long it lasted, in whole seconds.")
    number_dialled: str = strawberry.field(description="The number called, 1 to 32 characters.")
    charge: decimal.Decimal = strawberry.field(description=_CHARGE)
    invoice_id: strawberry.ID | None = strawberry.field(
        description="The id of the invoice that billed it; null until billed."
    )
    created_date: datetime.datetime = strawberry.field(description="When it was recorded.")
    updated_date: datetime.datetime = strawberry.field(description="When it last changed.")

    @classmethod
    def from_record(cls, call: CallRecord) -> Call:
        return cls(
            id=strawberry.ID(str(call.id)),
            customer_id=strawberry.ID(str(call.customer_id)),
            start_time=call.start_time,
            duration=call.duration,
            number_dialled=call.number_dialled,
            charge=call.charge,
            invoice_id=_optional_id(call.invoice_id),
            created_date=call.created_date,
            updated_date=call.updated_date,
        )

    @strawberry.field(description="The customer billed for the call.")
    async def customer(self, info: Info) -> Customer:
        return await info.context.loaders.customer_by_id.load_referenced(int(self.customer_id))

    @strawberry.field(description="The invoice that billed the call; null until billed.")
    async def invoice(self, info: Info) -> Invoice | None:
        return await _invoice(info, self.invoice_id)


@strawberry.type(description="A non-call charge, or a credit when its amount is negative.")
class Transaction:
    id: strawberry.ID = strawberry.field(description="The transaction's id (text of an integer).")
    customer_id: strawberry.ID = strawberry.field(description="The id of the customer billed.")
    transaction_type: str = strawberry.field(description="Its transactionType preset name.")
    transaction_date: datetime.date = strawberry.field(description="When it happened.")
    bill_date: datetime.date | None = strawberry.field(description=BILL_DATE)
    amount: decimal.Decimal = strawberry.field(description=_AMOUNT)
    description: str = strawberry.field(description="What it is for (may be empty).")
    invoice_id: strawberry.ID | None = strawberry.field(
        description="The id of the invoice that billed it; null until billed."
    )
    created_date: datetime.datetime = strawberry.field(description="When it was recorded.")
    updated_date: datetime.datetime = strawberry.field(description="When it last changed.")

    @classmethod
    def from_record(cls, transaction: TransactionRecord) -> Transaction:
        return cls(
            id=strawberry.ID(str(transaction.id)),
            customer_id=strawberry.ID(str(transaction.customer_id)),
            transaction_type=transaction.transaction_type,
            transaction_date=transaction.transaction_date,
            bill_date=transaction.bill_date,
            amount=transaction.amount,
            description=transaction.description,
            invoice_id=_optional_id(transaction.invoice_id),
            created_date=transaction.created_date,
            updated_date=transaction.updated_date,
        )

    @strawberry.field(description="The customer billed for the transaction.")
    async def customer(self, info: Info) -> Customer:
        return await info.context.loaders.customer_by_id.load_referenced(int(self.customer_id))

    @strawberry.field(description="The invoice that billed the transaction; null until billed.")
    async def invoice(self, info: Info) -> Invoice | None:
        return await _invoice(info, self.invoice_id)


@strawberry.type(description="A page of calls in id order.")
class CallConnection(Connection[Call]):
    cursor_kind = "call"


@strawberry.type(description="A page of transactions in id order.")
class TransactionConnection(Connection[Transaction]):
    cursor_kind = "transaction"


@strawberry.type(description="The result of addCalls: every call added, or none.")
class AddCallsPayload:
    calls: list[Call] | None = strawberry.field(
        description="The new calls, in the order given; null when the mutation failed."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it failed, naming the item and field (`[3].charge`); empty on success."
    )


@strawberry.type(description="The result of addTransactions: every transaction added, or none.")
class AddTransactionsPayload:
    transactions: list[Transaction] | None = strawberry.field(
        description="The new transactions, in the order given; null when the mutation failed."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it failed, naming the item and field (`[3].amount`); empty on success."
    )


@strawberry.type(description="The result of a transaction mutation.")
class TransactionPayload:
    transaction: Transaction | None = strawberry.field(
        description=(
            "The transaction as it now is (as it was, once deleted); null when the mutation failed."
        )
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the mutation failed; empty on success."
    )
