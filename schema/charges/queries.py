"""Query fields: calls and transactions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing import charges
from billing.listing import ListFilter
from schema.charges.types import Call, CallConnection, Transaction, TransactionConnection
from schema.core.pagination import (
    After,
    CreatedSince,
    First,
    IdAfter,
    UpdatedSince,
    list_filter,
    paginate,
)

Billed = Annotated[
    bool | None,
    strawberry.argument(description="True: only billed charges; false: only unbilled ones."),
]


async def _fetch_calls(filters: ListFilter, limit: int, billed: bool | None) -> list[Call]:
    return [Call.from_record(c) for c in await charges.list_calls(filters, limit, billed=billed)]


async def _fetch_transactions(
    filters: ListFilter, limit: int, billed: bool | None
) -> list[Transaction]:
    found = await charges.list_transactions(filters, limit, billed=billed)
    return [Transaction.from_record(t) for t in found]


@strawberry.type(description="Read calls and transactions.")
class ChargeQueries:
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
