"""REST handlers for /billingRuns: parse, call the action, render."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from multidict import MultiMapping

from billing import runs
from billing.errors import BillingError, ErrorCode
from billing.values import MAX_ID
from rest.bodies import currency, iso_date, iso_datetime, json_response, read_object

routes = web.RouteTableDef()
BASE = "/backend/api/v1/billingRuns"
DEFAULT_LIMIT = 100
_LIST_PARAMS = ("idAfter", "createdSince", "updatedSince", "limit", "offset")


def render(run: runs.RunRecord) -> dict[str, Any]:
    return {
        "id": str(run.id),
        "name": run.name,
        "status": run.status,
        "subrun": run.subrun,
        "invoiceMessage": run.invoice_message,
        "invoiceAmount": currency(run.invoice_amount),
        "invoiceDate": iso_date(run.invoice_date),
        "cutoffDate": iso_date(run.cutoff_date),
        "transactionCutoffDate": iso_date(run.transaction_cutoff_date),
        "dueDate": iso_date(run.due_date),
        "commencedDate": iso_datetime(run.commenced_date),
        "completedDate": iso_datetime(run.completed_date),
        "createdDate": iso_datetime(run.created_date),
        "updatedDate": iso_datetime(run.updated_date),
    }


def _bad(name: str, message: str) -> BillingError:
    return BillingError(ErrorCode.BAD_REQUEST, message, name)


def _single(query: MultiMapping[str], name: str) -> str | None:
    values = query.getall(name, [])
    if len(values) > 1:
        raise _bad(name, f"{name} may be given only once")
    return values[0] if values else None


def _whole(query: MultiMapping[str], name: str, default: int, low: int, high: int) -> int:
    raw = _single(query, name)
    if raw is None:
        return default
    # ASCII digits only, and few enough of them for int() and the 64-bit range.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19 or not low <= int(raw) <= high:
        raise _bad(name, f"{name} must be a whole number from {low} to {high}")
    return int(raw)


@routes.get(BASE)
@routes.get(BASE + "/")
async def list_billing_runs(request: web.Request) -> web.Response:
    query = request.query
    unknown = sorted(set(query) - set(_LIST_PARAMS))
    if unknown:
        raise _bad(unknown[0], f"unknown parameter {unknown[0]}; known: {', '.join(_LIST_PARAMS)}")
    filters = runs.build_filter(
        _single(query, "idAfter"), _single(query, "createdSince"), _single(query, "updatedSince")
    )
    limit = _whole(query, "limit", DEFAULT_LIMIT, 1, runs.PAGE_MAX)
    offset = _whole(query, "offset", 0, 0, MAX_ID)
    found = await runs.list_runs(filters, limit=limit, offset=offset)
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
