"""Call and transaction mutations: each calls one `billing` action and returns its payload."""

from __future__ import annotations

import strawberry

from billing import charges
from schema.charges.inputs import NewCalls, NewTransactions, UpdateTransactionInput
from schema.charges.types import Call, Transaction, TransactionId
from schema.core.inputs import Changes, wire_fields
from schema.core.mutations import Payload, UserError, result_field, user_errors_field


def _item_errors(example: str) -> list[UserError]:
    """The userErrors of an all-or-nothing batch: each names its item."""
    return user_errors_field(
        f"Why it failed, naming the item and field (`[3].{example}`); empty on success."
    )


@strawberry.type(description="The result of addCalls: every call added, or none.")
class AddCallsPayload(Payload, result=Call.from_records):
    calls: list[Call] | None = result_field("The new calls, in the order given")
    user_errors: list[UserError] = _item_errors("charge")


@strawberry.type(description="The result of addTransactions: every transaction added, or none.")
class AddTransactionsPayload(Payload, result=Transaction.from_records):
    transactions: list[Transaction] | None = result_field(
        "The new transactions, in the order given"
    )
    user_errors: list[UserError] = _item_errors("amount")


@strawberry.type(description="The result of a transaction mutation.")
class TransactionPayload(Payload, result=Transaction.from_record):
    transaction: Transaction | None = result_field(
        "The transaction as it now is (as it was, once deleted)"
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Add calls; add, change and delete transactions.")
class ChargeMutations:
    @strawberry.mutation(description="Add calls, all or nothing: one bad item and none is added.")
    async def add_calls(self, input: NewCalls) -> AddCallsPayload:
        items = [wire_fields(item) for item in input]
        return await AddCallsPayload.attempt(charges.create_calls(items))

    @strawberry.mutation(
        description="Add transactions, all or nothing: one bad item and none is added."
    )
    async def add_transactions(self, input: NewTransactions) -> AddTransactionsPayload:
        items = [wire_fields(item) for item in input]
        return await AddTransactionsPayload.attempt(charges.create_transactions(items))

    @strawberry.mutation(description="Change a transaction while it is unbilled.")
    async def update_transaction(
        self, id: TransactionId, input: Changes[UpdateTransactionInput]
    ) -> TransactionPayload:
        return await TransactionPayload.attempt(charges.update_transaction(id, wire_fields(input)))

    @strawberry.mutation(description="Delete a transaction while it is unbilled.")
    async def delete_transaction(self, id: TransactionId) -> TransactionPayload:
        return await TransactionPayload.attempt(charges.delete_transaction(id))
