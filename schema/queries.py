"""Query fields: billing runs and presets."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing import presets, runs
from billing.errors import BillingError
from billing.listing import ListFilter
from schema.errors import BadUserInput
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
from schema.types import BillingRun, Preset


@strawberry.type(description="A page of billing runs in id order.")
class BillingRunConnection(Connection[BillingRun]):
    cursor_kind = "billingRun"


async def _fetch_runs(filters: ListFilter, limit: int) -> list[BillingRun]:
    return [BillingRun.from_record(run) for run in await runs.list_runs(filters, limit)]


@strawberry.type(description="Read billing runs and presets.")
class Query:
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

    @strawberry.field(description="Presets, of one kind or of every kind.")
    async def presets(
        self,
        kind: Annotated[
            str | None,
            strawberry.argument(
                description="billingRunStatus, billingSubrun, invoiceMessage or transactionType."
            ),
        ] = None,
    ) -> list[Preset]:
        try:
            found = await presets.list_presets(kind)
        except BillingError as exc:
            raise BadUserInput(exc.message, "kind") from None
        return [Preset.from_record(p) for p in found]
