"""Subscriptions (graphql-transport-ws)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import strawberry

from billing import runs
from billing.errors import BillingError
from models import BillingRunStatus
from schema.errors import BadUserInput
from schema.types import BillingRun

#: How often a subscription looks at its run (the engine may be in another process).
PROGRESS_POLL_SECONDS = 0.25


@strawberry.type(description="Live updates.")
class Subscription:
    @strawberry.subscription(
        description=(
            "The run now, then again each time it changes, until it is Complete "
            "(then the subscription ends)."
        )
    )
    async def billing_run_progress(self, id: strawberry.ID) -> AsyncGenerator[BillingRun, None]:
        seen = None
        while True:
            try:
                run = await runs.get_run(id)
            except BillingError as exc:
                raise BadUserInput(exc.message, "id") from None
            if run.version != seen:
                seen = run.version
                yield BillingRun.from_record(run)
            if run.status == BillingRunStatus.COMPLETE:
                return
            await asyncio.sleep(PROGRESS_POLL_SECONDS)
