"""Billing-run subscriptions (graphql-transport-ws)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from billing import runs
from billing.errors import BillingError
from models import BillingRunStatus
from schema.core.context import Info
from schema.core.errors import BadUserInput
from schema.dataloaders import Loaders
from schema.runs.types import BillingRun

#: How often a subscription looks at its run (the engine may be in another process).
PROGRESS_POLL_SECONDS = 0.25


@strawberry.type(description="Live updates.")
class RunSubscriptions:
    @strawberry.subscription(
        description=(
            "The run now, then again each time it changes, until it is Complete "
            "(then the subscription ends)."
        )
    )
    async def billing_run_progress(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The run to follow.")],
    ) -> AsyncGenerator[BillingRun, None]:
        seen = None
        while True:
            try:
                run = await runs.get_run(id)
            except BillingError as exc:
                raise BadUserInput(exc.message, "id") from None
            if run.version != seen:
                seen = run.version
                # A connection's context lives as long as it does: each update reads
                # nested fields afresh, not from what an earlier update cached.
                info.context.loaders = Loaders()
                yield BillingRun.from_record(run)
            if run.status == BillingRunStatus.COMPLETE:
                return
            await asyncio.sleep(PROGRESS_POLL_SECONDS)
