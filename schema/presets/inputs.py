"""Preset inputs. Absent fields are left alone; null clears a field."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.core.inputs import optional_field


@strawberry.input(description="A new preset of a kind clients manage.")
class CreatePresetInput:
    kind: str = strawberry.field(description="billingSubrun, invoiceMessage or transactionType.")
    name: str = strawberry.field(description="Unique within its kind, 1 to 64 characters.")
    text: str | None = strawberry.field(
        default=None, description="For invoice messages, the text printed on invoices."
    )


@strawberry.input(description="Rename a preset, change its text, or retire or restore it.")
class UpdatePresetInput:
    name: str | None = optional_field("A new name.")
    text: str | None = optional_field("A new text.")
    retired: bool | None = optional_field(
        "True to stop the preset being chosen on new writes; false to restore it."
    )


#: The `input` argument of createPreset.
NewPreset = Annotated[CreatePresetInput, strawberry.argument(description="The new preset.")]
