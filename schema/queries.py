"""Query fields: billing runs and presets."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Annotated

import strawberry

from billing import presets, runs
from billing.errors import BillingError
from billing.listing import PAGE_MAX, ListFilter, build_filter
from schema.errors import BadUserInput
from schema.pagination import decode_cursor, encode_cursor
from schema.types import BillingRun, BillingRunEdge, PageInfo, Preset


@strawberry.type(description="A page of billing runs in id order.")
class BillingRunConnection:
    edges: list[BillingRunEdge] = strawberry.field(description="The page's runs with cursors.")
    nodes: list[BillingRun] = strawberry.field(description="The page's runs.")
    page_info: PageInfo = strawberry.field(description="Whether more runs follow.")
    filters: strawberry.Private[ListFilter]

    @strawberry.field(description="How many runs match the filters, whatever first/after are.")
    async def total_count(self) -> int:
        return await runs.count_runs(self.filters)


def _filter(
    id_after: strawberry.ID | None,
    created_since: datetime.datetime | None,
    updated_since: datetime.datetime | None,
) -> ListFilter:
    try:
        return build_filter(id_after, created_since, updated_since)
    except BillingError as exc:
        raise BadUserInput(exc.message, exc.field) from None


@strawberry.type(description="Read billing runs and presets.")
class Query:
    @strawberry.field(description="The billing run with this id, or null if there is none.")
    async def billing_run(self, id: strawberry.ID) -> BillingRun | None:
        try:
            return BillingRun.from_record(await runs.get_run(id))
        except BillingError:
            return None

    @strawberry.field(description="Billing runs in id order, filtered (filters combine with AND).")
    async def billing_runs(
        self,
        id_after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only runs with a higher id (a number or numeric string)."
            ),
        ] = None,
        created_since: Annotated[
            datetime.datetime | None,
            strawberry.argument(description="Only runs created at or after this instant."),
        ] = None,
        updated_since: Annotated[
            datetime.datetime | None,
            strawberry.argument(description="Only runs updated at or after this instant."),
        ] = None,
        first: Annotated[
            int, strawberry.argument(description=f"Page size, 0 to {PAGE_MAX}.")
        ] = 100,
        after: Annotated[
            str | None, strawberry.argument(description="A cursor: continue after that run.")
        ] = None,
    ) -> BillingRunConnection:
        if not 0 <= first <= PAGE_MAX:
            raise BadUserInput(f"first must be between 0 and {PAGE_MAX}", "first")
        filters = _filter(id_after, created_since, updated_since)
        page_filters = filters
        if after is not None:
            after_id = decode_cursor(after)
            if filters.id_after is None or after_id > filters.id_after:
                page_filters = dataclasses.replace(filters, id_after=after_id)
        found = await runs.list_runs(page_filters, limit=first + 1) if first else []
        page = [BillingRun.from_record(run) for run in found[:first]]
        edges = [BillingRunEdge(cursor=encode_cursor(int(node.id)), node=node) for node in page]
        has_next = len(found) > first if first else bool(await runs.list_runs(page_filters, 1))
        return BillingRunConnection(
            edges=edges,
            nodes=page,
            page_info=PageInfo(
                has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None
            ),
            filters=filters,
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
