"""REST routes for /billingRuns, declared from the billing-run actions and `render`."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from billing import runs
from billing.money import two_places
from rest.bodies import iso_date, iso_datetime
from rest.routes import creates, lists, page_answer, reads, updates

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


lists(routes, BASE, page_answer(runs.list_runs, render))
reads(routes, BASE, runs.get_run, render)
creates(routes, BASE, runs.create_run, render)
updates(routes, BASE, runs.update_run, render)
