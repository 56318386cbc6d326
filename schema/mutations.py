"""Mutations: each calls one `billing` action and wraps its result or its errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from billing import presets, runs
from billing.errors import BillingError
from billing.presets import PresetRecord
from billing.runs import RunRecord
from schema.inputs import (
    CreateBillingRunInput,
    CreatePresetInput,
    UpdateBillingRunInput,
    UpdatePresetInput,
    wire_fields,
)
from schema.types import BillingRun, BillingRunPayload, Preset, PresetPayload, UserError


async def _run_payload(action: Awaitable[RunRecord]) -> BillingRunPayload:
    try:
        run = await action
    except BillingError as error:
        return BillingRunPayload(billing_run=None, user_errors=UserError.from_error(error))
    return BillingRunPayload(billing_run=BillingRun.from_record(run), user_errors=[])


async def _preset_payload(action: Callable[[], Awaitable[PresetRecord]]) -> PresetPayload:
    try:
        preset = await action()
    except BillingError as error:
        return PresetPayload(preset=None, user_errors=UserError.from_error(error))
    return PresetPayload(preset=Preset.from_record(preset), user_errors=[])


@strawberry.type(description="Create and change billing runs and presets.")
class Mutation:
    @strawberry.mutation(description="Create a billing run; it starts Pending.")
    async def create_billing_run(self, input: CreateBillingRunInput) -> BillingRunPayload:
        return await _run_payload(runs.create_run(wire_fields(input)))

    @strawberry.mutation(
        description="Change a billing run. Dates, subrun and message lock once bills are requested."
    )
    async def update_billing_run(
        self, id: strawberry.ID, input: UpdateBillingRunInput
    ) -> BillingRunPayload:
        return await _run_payload(runs.update_run(id, wire_fields(input)))

    @strawberry.mutation(
        description=(
            "Request bills for a Pending run (invoiceDate and cutoffDate must be set): "
            "it becomes Requested and its dates lock."
        )
    )
    async def request_bills(self, id: strawberry.ID) -> BillingRunPayload:
        return await _run_payload(runs.request_bills(id))

    @strawberry.mutation(description="Add a subrun, invoice message or transaction type preset.")
    async def create_preset(self, input: CreatePresetInput) -> PresetPayload:
        return await _preset_payload(
            lambda: presets.create_preset(input.kind, input.name, input.text)
        )

    @strawberry.mutation(description="Rename a preset, change its text, or retire or restore it.")
    async def update_preset(self, kind: str, name: str, input: UpdatePresetInput) -> PresetPayload:
        return await _preset_payload(lambda: presets.update_preset(kind, name, wire_fields(input)))
