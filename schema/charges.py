"""Charges: calls and transactions, their inputs and payloads, queries and mutations."""

from __future__ import annotations

import datetime
import decimal
from typing import Annotated

import strawberry

from billing import charges
from billing.charges import CallRecord, TransactionRecord
from billing.listing import ListFilter
from schema.context import Info
from schema.customers import Customer
from schema.inputs import wire_fields
from schema.invoices import Invoice
from schema.pagination import (
    After,
    Connection,
    CreatedSince,
    First,
    IdAfter,
    UpdatedSince,
    list_filter,
    paginate,
)
from schema.types import UserError, attempt

Billed = Annotated[
    bool | None,
    strawberry.argument(description="True: only billed charges; false: only unbilled ones."),
]
_CHARGE = "At least 0, exact to 4 places, written with at least 2 (e.g. 1.2345, 12.50)."
_AMOUNT = "Exact to 4 places, written with at least 2; negative for a credit."
_BILL_DATE = (
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
    bill_date: datetime.date | None = strawberry.field(description=_BILL_DATE)
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
        default=strawberry.UNSET, description=_BILL_DATE
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
        default=strawberry.UNSET, description=_BILL_DATE
    )
    amount: decimal.Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="At most 4 places; negative for a credit."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="What it is for, up to 255 characters (null: empty)."
    )


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


async def _fetch_calls(filters: ListFilter, limit: int, billed: bool | None) -> list[Call]:
    return [Call.from_record(c) for c in await charges.list_calls(filters, limit, billed=billed)]


async def _fetch_transactions(
    filters: ListFilter, limit: int, billed: bool | None
) -> list[Transaction]:
    found = await charges.list_transactions(filters, limit, billed=billed)
    return [Transaction.from_record(t) for t in found]


@strawberry.type(description="Read calls and transactions.")
class Query:
    @strawberry.field(description="Calls in id order, filtered (filters combine with AND).")
    async def calls(
        self,
        id_after: IdAfter = None,
        created_since: CreatedSince = None,
        updated_since: UpdatedSince = None,
        first: First = 100,
        after: After = None,
        billed: Billed = None,
    ) -> CallConnection:
        filters = list_filter(id_after, created_since, updated_since)
        return await paginate(
            CallConnection,
            first,
            after,
            lambda page_filters, limit: _fetch_calls(page_filters, limit, billed),
            lambda: charges.count_calls(filters, billed=billed),
            filters,
        )

    @strawberry.field(description="Transactions in id order, filtered (filters combine with AND).")
    async def transactions(
        self,
        id_after: IdAfter = None,
        created_since: CreatedSince = None,
        updated_since: UpdatedSince = None,
        first: First = 100,
        after: After = None,
        billed: Billed = None,
    ) -> TransactionConnection:
        filters = list_filter(id_after, created_since, updated_since)
        return await paginate(
            TransactionConnection,
            first,
            after,
            lambda page_filters, limit: _fetch_transactions(page_filters, limit, billed),
            lambda: charges.count_transactions(filters, billed=billed),
            filters,
        )


@strawberry.type(description="Add calls; add, change and delete transactions.")
class Mutation:
    @strawberry.mutation(description="Add calls, all or nothing: one bad item and none is added.")
    async def add_calls(
        self,
        input: Annotated[list[CallInput], strawberry.argument(description="The new calls.")],
    ) -> AddCallsPayload:
        calls, errors = await attempt(
            charges.create_calls([wire_fields(item) for item in input]),
            lambda records: [Call.from_record(call) for call in records],
        )
        return AddCallsPayload(calls=calls, user_errors=errors)

    @strawberry.mutation(
        description="Add transactions, all or nothing: one bad item and none is added."
    )
    async def add_transactions(
        self,
        input: Annotated[
            list[TransactionInput], strawberry.argument(description="The new transactions.")
        ],
    ) -> AddTransactionsPayload:
        transactions, errors = await attempt(
            charges.create_transactions([wire_fields(item) for item in input]),
            lambda records: [Transaction.from_record(t) for t in records],
        )
        return AddTransactionsPayload(transactions=transactions, user_errors=errors)

    @strawberry.mutation(description="Change a transaction while it is unbilled.")
    async def update_transaction(
        self,
        id: Annotated[strawberry.ID, strawberry.argument(description="The transaction's id.")],
        input: Annotated[
            UpdateTransactionInput, strawberry.argument(description="What to change.")
        ],
    ) -> TransactionPayload:
        transaction, errors = await attempt(
            charges.update_transaction(id, wire_fields(input)), Transaction.from_record
        )
        return TransactionPayload(transaction=transaction, user_errors=errors)

    @strawberry.mutation(description="Delete a transaction while it is unbilled.")
    async def delete_transaction(
        self,
        id: Annotated[strawberry.ID, strawberry.argument(description="The transaction's id.")],
    ) -> TransactionPayload:
        transaction, errors = await attempt(charges.delete_transaction(id), Transaction.from_record)
        return TransactionPayload(transaction=transaction, user_errors=errors)
