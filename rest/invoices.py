"""REST handlers for /invoices (read-only), and the invoice lists nested under a billing
run or a customer, and a run's not-produced lines: parse, call the action, render."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from billing import customers, invoices, runs
from billing.listing import ListFilter
from rest.bodies import iso_date, iso_datetime
from rest.routes import lists, nested_lists, page_answer, reads

routes = web.RouteTableDef()
API = "/backend/api/v1"
INVOICES = API + "/invoices"


def render(invoice: invoices.InvoiceRecord) -> dict[str, Any]:
    return {
        "id": str(invoice.id),
        "number": invoice.number,
        "customerId": str(invoice.customer_id),
        "billingRunId": str(invoice.billing_run_id),
        "invoiceDate": iso_date(invoice.invoice_date),
        "dueDate": iso_date(invoice.due_date),
        "periodEnded": iso_date(invoice.period_ended),
        "message": invoice.message,
        "callTotal": invoice.call_total,
        "transactionTotal": invoice.transaction_total,
        "adjustment": invoice.adjustment,
        "total": invoice.total,
        "callCount": invoice.call_count,
        "transactionCount": invoice.transaction_count,
        "createdDate": iso_datetime(invoice.created_date),
    }


def render_not_produced(line: invoices.NotProducedRecord) -> dict[str, Any]:
    return {"customerId": str(line.customer_id), "reason": line.reason, "amount": line.amount}


async def _not_produced(
    filters: ListFilter, limit: int, offset: int, *, billing_run_id: int
) -> list[invoices.NotProducedRecord]:
    return await invoices.list_not_produced(billing_run_id, filters, limit, offset)


_invoices = page_answer(invoices.list_invoices, render)
lists(routes, INVOICES, _invoices)
reads(routes, INVOICES, invoices.get_invoice, render)
nested_lists(routes, API + "/billingRuns/{id}/invoices", runs.get_run, "billing_run_id", _invoices)
nested_lists(
    routes, API + "/customers/{id}/invoices", customers.get_customer, "customer_id", _invoices
)
nested_lists(
    routes,
    API + "/billingRuns/{id}/notProduced",
    runs.get_run,
    "billing_run_id",
    page_answer(_not_produced, render_not_produced),
)
