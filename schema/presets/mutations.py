"""Preset mutations: each calls one `billing` action and wraps its result or its errors."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

import strawberry

from billing import presets
from billing.presets import PresetRecord
from schema.core.inputs import wire_fields
from schema.core.mutations import attempt
from schema.presets.inputs import CreatePresetInput, UpdatePresetInput
from schema.presets.types import Preset, PresetPayload


async def _preset_payload(action: Awaitable[PresetRecord]) -> PresetPayload:
    preset, errors = await attempt(action, Preset.from_record)
    return PresetPayload(preset=preset, user_errors=errors)


@strawberry.type(description="Create and change presets.")
class PresetMutations:
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
