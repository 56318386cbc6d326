"""REST handlers for /billingRuns: parse, call the action, render."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from billing import runs
from billing.money import two_places
from rest.bodies import iso_date, iso_datetime, json_response, read_object
from rest.listing import read_page

routes = web.RouteTableDef()
BASE = "/backend/api/v1/billingRuns"


def render(run: runs.RunRecord) -> dict[str, Any]:
    return {
        "id": str(run.id),
        "name": run.name,
        "status": run.status,
        "subrun": run.subrun,
        "invoiceMessage": run.invoice_message,
        "invoiceAmount": two_places(run.invoice_amount),
        "invoiceDate": iso_date(run.invoice_date),
        "cutoffDate": iso_date(run.cutoff_date),
        "transactionCutoffDate": iso_date(run.transaction_cutoff_date),
        "dueDate": iso_date(run.due_date),
        "commencedDate": iso_datetime(run.commenced_date),
        "completedDate": iso_datetime(run.completed_date),
        "createdDate": iso_datetime(run.created_date),
        "updatedDate": iso_datetime(run.updated_date),
        "customersInScope": run.customers_in_scope,
        "customersDone": run.customers_done,
        "invoicesProduced": run.invoices_produced,
        "invoicesNotProduced": run.invoices_not_produced,
    }


@routes.get(BASE)
@routes.get(BASE + "/")
async def list_billing_runs(request: web.Request) -> web.Response:
    page = read_page(request.query)
    found = await runs.list_runs(page.filters, limit=page.limit, offset=page.offset)
    return json_response([render(run) for run in found])


@routes.get(BASE + "/{id}")
@routes.get(BASE + "/{id}/")
async def get_billing_run(request: web.Request) -> web.Response:
    return json_response(render(await runs.get_run(request.match_info["id"])))


@routes.post(BASE)
@routes.post(BASE + "/")
async def create_billing_run(request: web.Request) -> web.Response:
    run = await runs.create_run(await read_object(request))
    return json_response(render(run), status=201)


@routes.patch(BASE + "/{id}")
@routes.patch(BASE + "/{id}/")
@routes.put(BASE + "/{id}")
@routes.put(BASE + "/{id}/")
async def update_billing_run(request: web.Request) -> web.Response:
    run = await runs.update_run(request.match_info["id"], await read_object(request))
    return json_response(render(run))
