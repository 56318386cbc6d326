"""Query fields: calls and transactions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing.charges import count_calls, count_transactions, list_calls, list_transactions
from schema.charges.types import CallConnection, TransactionConnection
from schema.core.fields import ListArgument, connection_field

_BILLED = ListArgument(
    Annotated[
        bool | None,
        strawberry.argument(description="True: only billed charges; false: only unbilled ones."),
    ]
)


@strawberry.type(description="Read calls and transactions.")
class ChargeQueries:
    calls = connection_field(CallConnection, list_calls, count_calls, "Calls", billed=_BILLED)
    transactions = connection_field(
        TransactionConnection, list_transactions, count_transactions, "Transactions", billed=_BILLED
    )
