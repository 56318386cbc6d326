"""Billing-run mutations: each calls one `billing` action and wraps its result or its errors."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

import strawberry

from billing import runs
from billing.runs import RunRecord
from schema.core.inputs import wire_fields
from schema.core.mutations import attempt
from schema.runs.inputs import CreateBillingRunInput, UpdateBillingRunInput
from schema.runs.types import BillingRun, BillingRunPayload


async def _run_payload(action: Awaitable[RunRecord]) -> BillingRunPayload:
    run, errors = await attempt(action, BillingRun.from_record)
    return BillingRunPayload(billing_run=run, user_errors=errors)


@strawberry.type(description="Create and change billing runs.")
class RunMutations:
    @strawberry.mutation(description="Create a billing run; it starts Pending.")
    async def create_billing_run(
        self,
        input: Annotated[CreateBillingRunInput, strawberry.argument(description="The new run.")],
    ) -> BillingRunPayload:
        return await _run_payload(runs.create_run(wire_fields(input)))

    @strawberry.mutation(
        description="Change a billing run. Dates, subrun and message lock once bills are requested."
    )
    async def update_billing_run(
        self,
        id: Annotated[strawberry.ID, strawberry.argument(description="The run's id.")],
        input: Annotated[UpdateBillingRunInput, strawberry.argument(description="What to change.")],
    ) -> BillingRunPayload:
        return await _run_payload(runs.update_run(id, wire_fields(input)))

    @strawberry.mutation(
        description=(
            "Request bills for a Pending run (invoiceDate and cutoffDate must be set): "
            "it becomes Requested and its dates lock."
        )
    )
    async def request_bills(
        self, id: Annotated[strawberry.ID, strawberry.argument(description="The run's id.")]
    ) -> BillingRunPayload:
        return await _run_payload(runs.request_bills(id))
