"""Billing-run mutations: each calls one `billing` action and returns its payload."""

from __future__ import annotations

import strawberry

from billing import runs
from schema.core.inputs import Changes, wire_fields
from schema.core.mutations import Payload, UserError, result_field, user_errors_field
from schema.runs.inputs import NewBillingRun, UpdateBillingRunInput
from schema.runs.types import BillingRun, RunId


@strawberry.type(description="The result of a billing-run mutation.")
class BillingRunPayload(Payload, result=BillingRun.from_record):
    billing_run: BillingRun | None = result_field("The run as it now is")
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Create and change billing runs.")
class RunMutations:
    @strawberry.mutation(description="Create a billing run; it starts Pending.")
    async def create_billing_run(self, input: NewBillingRun) -> BillingRunPayload:
        return await BillingRunPayload.attempt(runs.create_run(wire_fields(input)))

    @strawberry.mutation(
        description="Change a billing run. Dates, subrun and message lock once bills are requested."
    )
    async def update_billing_run(
        self, id: RunId, input: Changes[UpdateBillingRunInput]
    ) -> BillingRunPayload:
        return await BillingRunPayload.attempt(runs.update_run(id, wire_fields(input)))

    @strawberry.mutation(
        description=(
            "Request bills for a Pending run (invoiceDate and cutoffDate must be set): "
            "it becomes Requested and its dates lock."
        )
    )
    async def request_bills(self, id: RunId) -> BillingRunPayload:
        return await BillingRunPayload.attempt(runs.request_bills(id))
