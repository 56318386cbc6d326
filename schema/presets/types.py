"""A preset."""

from __future__ import annotations

import strawberry

from schema.core.nodes import FromRecord


@strawberry.type(
    description=(
        "A named value of one kind: billingRunStatus (fixed), billingSubrun, "
        "invoiceMessage or transactionType."
    )
)
class Preset(FromRecord):
    kind: str = strawberry.field(description="The kind of value.")
    name: str = strawberry.field(description="What clients write and read.")
    text: str | None = strawberry.field(
        description="For invoice messages, the text printed on invoices."
    )
    retired: bool = strawberry.field(
        description="A retired preset stays on old runs but cannot be chosen for new writes."
    )
