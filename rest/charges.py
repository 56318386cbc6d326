"""REST handlers for /calls and /transactions, and the charge lists nested under a
customer or an invoice: parse, call the action, render."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from aiohttp import web

from api.responses import json_response
from billing import charges, customers, invoices
from rest.bodies import iso_date, iso_datetime, read_object, read_object_or_array
from rest.listing import read_page, single

routes = web.RouteTableDef()
API = "/backend/api/v1"
CALLS = API + "/calls"
TRANSACTIONS = API + "/transactions"
CALL_PARAMS = ("billed", "unbilled", "minDate", "maxDate")
TRANSACTION_PARAMS = ("billed", "unbilled")
R = TypeVar("R")


def _id(value: int | None) -> str | None:
    return None if value is None else str(value)


def render_call(call: charges.CallRecord) -> dict[str, Any]:
    return {
        "id": str(call.id),
        "customerId": str(call.customer_id),
        "startTime": iso_datetime(call.start_time),
        "duration": call.duration,
        "numberDialled": call.number_dialled,
        "charge": call.charge,
        "invoiceId": _id(call.invoice_id),
        "createdDate": iso_datetime(call.created_date),
        "updatedDate": iso_datetime(call.updated_date),
    }


def render_transaction(transaction: charges.TransactionRecord) -> dict[str, Any]:
    return {
        "id": str(transaction.id),
        "customerId": str(transaction.customer_id),
        "transactionType": transaction.transaction_type,
        "transactionDate": iso_date(transaction.transaction_date),
        "billDate": iso_date(transaction.bill_date),
        "amount": transaction.amount,
        "description": transaction.description,
        "invoiceId": _id(transaction.invoice_id),
        "createdDate": iso_datetime(transaction.created_date),
        "updatedDate": iso_datetime(transaction.updated_date),
    }


async def _created(
    request: web.Request,
    one: Callable[[Mapping[str, Any]], Awaitable[R]],
    many: Callable[[Sequence[object]], Awaitable[list[R]]],
    render: Callable[[R], dict[str, Any]],
) -> web.Response:
    """POST of one object (answered with it) or an array (answered with an array)."""
    body = await read_object_or_array(request)
    if isinstance(body, list):
        return json_response([render(record) for record in await many(body)], status=201)
    return json_response(render(await one(body)), status=201)


# --- calls -------------------------------------------------------------------------


async def _calls(request: web.Request, **parent: int) -> web.Response:
    page = read_page(request.query, extra=CALL_PARAMS)
    extra = charges.build_charge_filter(*(single(request.query, name) for name in CALL_PARAMS))
    found = await charges.list_calls(
        page.filters,
        page.limit,
        page.offset,
        **parent,
        billed=extra.billed,
        min_date=extra.min_date,
        max_date=extra.max_date,
    )
    return json_response([render_call(call) for call in found])


@routes.get(CALLS)
@routes.get(CALLS + "/")
async def list_calls(request: web.Request) -> web.Response:
    return await _calls(request)


@routes.get(API + "/customers/{id}/calls")
@routes.get(API + "/customers/{id}/calls/")
async def list_customer_calls(request: web.Request) -> web.Response:
    customer = await customers.get_customer(request.match_info["id"])
    return await _calls(request, customer_id=customer.id)


@routes.get(API + "/invoices/{id}/calls")
@routes.get(API + "/invoices/{id}/calls/")
async def list_invoice_calls(request: web.Request) -> web.Response:
    invoice = await invoices.get_invoice(request.match_info["id"])
    return await _calls(request, invoice_id=invoice.id)


@routes.get(CALLS + "/{id}")
@routes.get(CALLS + "/{id}/")
async def get_call(request: web.Request) -> web.Response:
    return json_response(render_call(await charges.get_call(request.match_info["id"])))


@routes.post(CALLS)
@routes.post(CALLS + "/")
async def create_calls(request: web.Request) -> web.Response:
    return await _created(request, charges.create_call, charges.create_calls, render_call)


# --- transactions ------------------------------------------------------------------


async def _transactions(request: web.Request, **parent: int) -> web.Response:
    page = read_page(request.query, extra=TRANSACTION_PARAMS)
    extra = charges.build_charge_filter(
        *(single(request.query, name) for name in TRANSACTION_PARAMS)
    )
    found = await charges.list_transactions(
        page.filters, page.limit, page.offset, **parent, billed=extra.billed
    )
    return json_response([render_transaction(transaction) for transaction in found])


@routes.get(TRANSACTIONS)
@routes.get(TRANSACTIONS + "/")
async def list_transactions(request: web.Request) -> web.Response:
    return await _transactions(request)


@routes.get(API + "/customers/{id}/transactions")
@routes.get(API + "/customers/{id}/transactions/")
async def list_customer_transactions(request: web.Request) -> web.Response:
    customer = await customers.get_customer(request.match_info["id"])
    return await _transactions(request, customer_id=customer.id)


@routes.get(API + "/invoices/{id}/transactions")
@routes.get(API + "/invoices/{id}/transactions/")
async def list_invoice_transactions(request: web.Request) -> web.Response:
    invoice = await invoices.get_invoice(request.match_info["id"])
    return await _transactions(request, invoice_id=invoice.id)


@routes.get(TRANSACTIONS + "/{id}")
@routes.get(TRANSACTIONS + "/{id}/")
async def get_transaction(request: web.Request) -> web.Response:
    transaction = await charges.get_transaction(request.match_info["id"])
    return json_response(render_transaction(transaction))


@routes.post(TRANSACTIONS)
@routes.post(TRANSACTIONS + "/")
async def create_transactions(request: web.Request) -> web.Response:
    return await _created(
        request, charges.create_transaction, charges.create_transactions, render_transaction
    )


@routes.patch(TRANSACTIONS + "/{id}")
@routes.patch(TRANSACTIONS + "/{id}/")
@routes.put(TRANSACTIONS + "/{id}")
@routes.put(TRANSACTIONS + "/{id}/")
async def update_transaction(request: web.Request) -> web.Response:
    transaction = await charges.update_transaction(
        request.match_info["id"], await read_object(request)
    )
    return json_response(render_transaction(transaction))


@routes.delete(TRANSACTIONS + "/{id}")
@routes.delete(TRANSACTIONS + "/{id}/")
async def delete_transaction(request: web.Request) -> web.Response:
    """200 with the transaction as it was (what GraphQL's deleteTransaction returns)."""
    transaction = await charges.delete_transaction(request.match_info["id"])
    return json_response(render_transaction(transaction))
