"""Query fields: presets."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing import presets
from billing.errors import BillingError
from schema.core.errors import BadUserInput
from schema.presets.types import Preset


@strawberry.type(description="Read presets.")
class PresetQueries:
    @strawberry.field(description="Presets, of one kind or of every kind.")
    async def presets(
        self,
        kind: Annotated[
            str | None,
            strawberry.argument(
                description="billingRunStatus, billingSubrun, invoiceMessage or transactionType."
            ),
        ] = None,
    ) -> list[Preset]:
        try:
            found = await presets.list_presets(kind)
        except BillingError as exc:
            raise BadUserInput(exc.message, "kind") from None
        return Preset.from_records(found)
