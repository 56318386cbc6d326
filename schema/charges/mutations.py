"""Call and transaction mutations: each calls one `billing` action and wraps its result
or its errors."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing import charges
from schema.charges.inputs import CallInput, TransactionInput, UpdateTransactionInput
from schema.charges.types import (
    AddCallsPayload,
    AddTransactionsPayload,
    Call,
    Transaction,
    TransactionPayload,
)
from schema.core.inputs import wire_fields
from schema.core.mutations import attempt


@strawberry.type(description="Add calls; add, change and delete transactions.")
class ChargeMutations:
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
