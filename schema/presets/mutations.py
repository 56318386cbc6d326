"""Preset mutations: each calls one `billing` action and returns its payload."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing import presets
from schema.core.inputs import Changes, wire_fields
from schema.core.mutations import Payload, UserError, user_errors_field
from schema.presets.inputs import NewPreset, UpdatePresetInput
from schema.presets.types import Preset

_KIND = "The preset's kind: billingSubrun, invoiceMessage or transactionType."


@strawberry.type(description="The result of a preset mutation.")
class PresetPayload(Payload, result=Preset.from_record):
    preset: Preset | None = strawberry.field(description="The preset; null when it failed.")
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Create and change presets.")
class PresetMutations:
    @strawberry.mutation(description="Add a subrun, invoice message or transaction type preset.")
    async def create_preset(self, input: NewPreset) -> PresetPayload:
        return await PresetPayload.attempt(
            presets.create_preset(input.kind, input.name, input.text)
        )

    @strawberry.mutation(description="Rename a preset, change its text, or retire or restore it.")
    async def update_preset(
        self,
        kind: Annotated[str, strawberry.argument(description=_KIND)],
        name: Annotated[str, strawberry.argument(description="The preset's current name.")],
        input: Changes[UpdatePresetInput],
    ) -> PresetPayload:
        return await PresetPayload.attempt(presets.update_preset(kind, name, wire_fields(input)))
