"""Billing-run subscriptions (graphql-transport-ws)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from billing import progress, runs
from billing.errors import BillingError
from models import BillingRunStatus
from schema.core.context import Info
from schema.core.errors import BadUserInput
from schema.core.unavailable import through_outages
from schema.dataloaders import Loaders
from schema.runs.types import BillingRun

#: How often a subscription looks at its run unprompted: a safety poll in case news was
#: lost. A change made by any process wakes it at once (billing/progress.py).
PROGRESS_POLL_SECONDS = 5.0


@strawberry.type(description="Live updates.")
class RunSubscriptions:
    @strawberry.subscription(
        description=(
            "The run now, then again each time it changes, until it is Complete "
            "(then the subscription ends). While the database cannot be reached the "
            "updates pause, and go on when it is back; if it cannot be reached at the "
            "start, the subscription ends with an UNAVAILABLE error."
        )
    )
    async def billing_run_progress(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The run to follow.")],
    ) -> AsyncGenerator[BillingRun, None]:
        run = await _read(id)
        with progress.follow(run.id) as follower:
            sent: runs.RunRecord | None = None
            while True:
                # Send whenever what is sent would differ, not only when `version` moved:
                # the record holds the version and every field the run's own fields are
                # made of, so no write can change those unsent, even one that forgets the
                # version. (Its invoices change only with its progress counts.)
                if run != sent:
                    sent = run
                    # A connection's context lives as long as it does: each update reads
                    # nested fields afresh, not from what an earlier update cached.
                    info.context.loaders = Loaders()
                    yield BillingRun.from_record(run)
                if run.status == BillingRunStatus.COMPLETE:
                    return
                await follower.wait(PROGRESS_POLL_SECONDS)
                follower.look()
                # An outage pauses the subscription; it goes on when the database is back.
                run = await through_outages(lambda: _read(id), info.context.request)


async def _read(id: strawberry.ID) -> runs.RunRecord:
    try:
        return await runs.get_run(id)
    except BillingError as exc:
        raise BadUserInput(exc.message, "id") from None
