"""REST handlers for /invoices (read-only), and the invoice lists nested under a billing
run or a customer, and a run's not-produced lines: parse, call the action, render."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from api.responses import json_response
from billing import customers, invoices, runs
from rest.bodies import iso_date, iso_datetime
from rest.listing import read_page

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


async def _invoices(request: web.Request, **parent: int) -> web.Response:
    page = read_page(request.query)
    found = await invoices.list_invoices(page.filters, page.limit, page.offset, **parent)
    return json_response([render(invoice) for invoice in found])


@routes.get(INVOICES)
@routes.get(INVOICES + "/")
async def list_invoices(request: web.Request) -> web.Response:
    return await _invoices(request)


@routes.get(INVOICES + "/{id}")
@routes.get(INVOICES + "/{id}/")
async def get_invoice(request: web.Request) -> web.Response:
    return json_response(render(await invoices.get_invoice(request.match_info["id"])))


@routes.get(API + "/billingRuns/{id}/invoices")
@routes.get(API + "/billingRuns/{id}/invoices/")
async def list_run_invoices(request: web.Request) -> web.Response:
    run = await runs.get_run(request.match_info["id"])
    return await _invoices(request, billing_run_id=run.id)


@routes.get(API + "/customers/{id}/invoices")
@routes.get(API + "/customers/{id}/invoices/")
async def list_customer_invoices(request: web.Request) -> web.Response:
    customer = await customers.get_customer(request.match_info["id"])
    return await _invoices(request, customer_id=customer.id)


@routes.get(API + "/billingRuns/{id}/notProduced")
@routes.get(API + "/billingRuns/{id}/notProduced/")
async def list_not_produced(request: web.Request) -> web.Response:
    run = await runs.get_run(request.match_info["id"])
    page = read_page(request.query)
    found = await invoices.list_not_produced(run.id, page.filters, page.limit, page.offset)
    return json_response([render_not_produced(line) for line in found])
