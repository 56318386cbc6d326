"""Query fields: billing runs."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing import runs
from billing.errors import BillingError
from billing.listing import ListFilter
from schema.core.pagination import (
    After,
    CreatedSince,
    First,
    IdAfter,
    UpdatedSince,
    list_filter,
    paginate,
)
from schema.runs.types import BillingRun, BillingRunConnection


async def _fetch_runs(filters: ListFilter, limit: int) -> list[BillingRun]:
    return [BillingRun.from_record(run) for run in await runs.list_runs(filters, limit)]


@strawberry.type(description="Read billing runs.")
class RunQueries:
    @strawberry.field(description="The billing run with this id, or null if there is none.")
    async def billing_run(
        self, id: Annotated[strawberry.ID, strawberry.argument(description="The run's id.")]
    ) -> BillingRun | None:
        try:
            return BillingRun.from_record(await runs.get_run(id))
        except BillingError:
            return None

    @strawberry.field(description="Billing runs in id order, filtered (filters combine with AND).")
    async def billing_runs(
        self,
        id_after: IdAfter = None,
        created_since: CreatedSince = None,
        updated_since: UpdatedSince = None,
        first: First = 100,
        after: After = None,
    ) -> BillingRunConnection:
        filters = list_filter(id_after, created_since, updated_since)
        return await paginate(
            BillingRunConnection,
            first,
            after,
            _fetch_runs,
            lambda: runs.count_runs(filters),
            filters,
        )
