"""Query fields: invoices, and the pre-billing report of what a run would produce."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing import invoices, reports
from billing.errors import BillingError, ErrorCode
from billing.listing import ListFilter
from billing.values import parse_id
from schema.core.context import Info
from schema.core.errors import BadUserInput
from schema.core.pagination import (
    After,
    CreatedSince,
    First,
    IdAfter,
    UpdatedSince,
    list_filter,
    paginate,
)
from schema.invoices.types import Invoice, InvoiceConnection, PreBillingLine


def _run_id(billing_run_id: strawberry.ID | None) -> int | None:
    if billing_run_id is None:
        return None
    try:
        return parse_id(billing_run_id)
    except ValueError as exc:
        raise BadUserInput(f"billingRunId {exc}", "billingRunId") from None


async def _fetch_invoices(
    filters: ListFilter, limit: int, billing_run_id: int | None
) -> list[Invoice]:
    found = await invoices.list_invoices(filters, limit, billing_run_id=billing_run_id)
    return [Invoice.from_record(invoice) for invoice in found]


@strawberry.type(description="Read invoices, and what a run would produce.")
class InvoiceQueries:
    @strawberry.field(description="The invoice with this id, or null if there is none.")
    async def invoice(
        self, id: Annotated[strawberry.ID, strawberry.argument(description="The invoice's id.")]
    ) -> Invoice | None:
        try:
            return Invoice.from_record(await invoices.get_invoice(id))
        except BillingError:
            return None

    @strawberry.field(
        description=(
            "Invoices in id order, filtered (filters combine with AND). Invoices never "
            "change, so updatedSince compares when they were produced."
        )
    )
    async def invoices(
        self,
        id_after: IdAfter = None,
        created_since: CreatedSince = None,
        updated_since: UpdatedSince = None,
        first: First = 100,
        after: After = None,
        billing_run_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only the invoices this billing run produced."),
        ] = None,
    ) -> InvoiceConnection:
        filters = list_filter(id_after, created_since, updated_since)
        run_id = _run_id(billing_run_id)
        return await paginate(
            InvoiceConnection,
            first,
            after,
            lambda page_filters, limit: _fetch_invoices(page_filters, limit, run_id),
            lambda: invoices.count_invoices(filters, billing_run_id=run_id),
            filters,
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
