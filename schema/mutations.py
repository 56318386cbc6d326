"""Mutations: each calls one `billing` action and wraps its result or its errors."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

import strawberry

from billing import presets, runs
from billing.presets import PresetRecord
from billing.runs import RunRecord
from schema.inputs import (
    CreateBillingRunInput,
    CreatePresetInput,
    UpdateBillingRunInput,
    UpdatePresetInput,
    wire_fields,
)
from schema.types import BillingRun, BillingRunPayload, Preset, PresetPayload, attempt


async def _run_payload(action: Awaitable[RunRecord]) -> BillingRunPayload:
    run, errors = await attempt(action, BillingRun.from_record)
    return BillingRunPayload(billing_run=run, user_errors=errors)


async def _preset_payload(action: Awaitable[PresetRecord]) -> PresetPayload:
    preset, errors = await attempt(action, Preset.from_record)
    return PresetPayload(preset=preset, user_errors=errors)


@strawberry.type(description="Create and change billing runs and presets.")
class Mutation:
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

    @strawberry.mutation(description="Add a subrun, invoice message or transaction type preset.")
    async def create_preset(
        self,
        input: Annotated[CreatePresetInput, strawberry.argument(description="The new preset.")],
    ) -> PresetPayload:
        return await _preset_payload(presets.create_preset(input.kind, input.name, input.text))

    @strawberry.mutation(description="Rename a preset, change its text, or retire or restore it.")
    async def update_preset(
        self,
        kind: Annotated[
            str,
            strawberry.argument(
                description="The preset's kind: billingSubrun, invoiceMessage or transactionType."
            ),
        ],
        name: Annotated[str, strawberry.argument(description="The preset's current name.")],
        input: Annotated[UpdatePresetInput, strawberry.argument(description="What to change.")],
    ) -> PresetPayload:
        return await _preset_payload(presets.update_preset(kind, name, wire_fields(input)))
