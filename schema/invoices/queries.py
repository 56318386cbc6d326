"""Query fields: invoices, and the pre-billing report of what a run would produce."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing import reports
from billing.errors import BillingError, ErrorCode
from billing.invoices import count_invoices, get_invoice, list_invoices
from billing.values import parse_id
from schema.core.context import Info
from schema.core.errors import BadUserInput
from schema.core.fields import ListArgument, connection_field, node_field
from schema.invoices.types import Invoice, InvoiceConnection, InvoiceId, PreBillingLine


def _run_id(billing_run_id: strawberry.ID | None) -> int | None:
    if billing_run_id is None:
        return None
    try:
        return parse_id(billing_run_id)
    except ValueError as exc:
        raise BadUserInput(f"billingRunId {exc}", "billingRunId") from None


@strawberry.type(description="Read invoices, and what a run would produce.")
class InvoiceQueries:
    invoice = node_field(Invoice, get_invoice, InvoiceId, "invoice")
    invoices = connection_field(
        InvoiceConnection,
        list_invoices,
        count_invoices,
        "Invoices",
        note="Invoices never change, so updatedSince compares when they were produced.",
        billing_run_id=ListArgument(
            Annotated[
                strawberry.ID | None,
                strawberry.argument(description="Only the invoices this billing run produced."),
            ],
            read=_run_id,
        ),
    )

    @strawberry.field(
        description=(
            "What the run would produce if it ran now, customer by customer in id order, "
            "by the same rules as the run itself; reading it writes nothing. Null if there "
            "is no such run; a run without a cutoffDate is BAD_USER_INPUT."
        )
    )
    async def pre_billing_report(
        self,
        info: Info,
        billing_run_id: Annotated[
            strawberry.ID, strawberry.argument(description="The run to report on.")
        ],
    ) -> list[PreBillingLine] | None:
        try:
            outcomes = await reports.pre_billing_report(
                billing_run_id, info.context.settings.billing_timezone
            )
        except BillingError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                return None
            raise BadUserInput(exc.message, "billingRunId") from None
        return [PreBillingLine.from_outcome(outcome) for outcome in outcomes]
