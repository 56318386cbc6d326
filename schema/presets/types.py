"""A preset and its mutation payload."""

from __future__ import annotations

import strawberry

from billing.presets import PresetRecord
from schema.core.mutations import UserError


@strawberry.type(
    description=(
        "A named value of one kind: billingRunStatus (fixed), billingSubrun, "
        "invoiceMessage or transactionType."
    )
)
class Preset:
    kind: str = strawberry.field(description="The kind of value.")
    name: str = strawberry.field(description="What clients write and read.")
    text: str | None = strawberry.field(
        description="For invoice messages, the text printed on invoices."
    )
    retired: bool = strawberry.field(
        description="A retired preset stays on old runs but cannot be chosen for new writes."
    )

    @classmethod
    def from_record(cls, preset: PresetRecord) -> Preset:
        return cls(kind=preset.kind, name=preset.name, text=preset.text, retired=preset.retired)


@strawberry.type(description="The result of a preset mutation.")
class PresetPayload:
    preset: Preset | None = strawberry.field(description="The preset; null when it failed.")
    user_errors: list[UserError] = strawberry.field(
        description="Why the mutation failed; empty on success."
    )
