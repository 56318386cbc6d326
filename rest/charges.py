"""REST handlers for /calls and /transactions, and the charge lists nested under a
customer or an invoice: parse, call the action, render."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from aiohttp import web

from api.responses import json_response
from billing import charges, customers, invoices
from rest.bodies import iso_date, iso_datetime, read_object_or_array
from rest.listing import read_page, single
from rest.routes import ListAnswer, lists, nested_lists, on, reads, updates

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


def _creates(
    path: str,
    one: Callable[[Mapping[str, Any]], Awaitable[R]],
    many: Callable[[Sequence[object]], Awaitable[list[R]]],
    render: Callable[[R], dict[str, Any]],
) -> None:
    """POST of one object (answered with it) or an array (answered with an array)."""

    @on(routes, "POST", path=path)
    async def handler(request: web.Request) -> web.Response:
        body = await read_object_or_array(request)
        if isinstance(body, list):
            return json_response([render(record) for record in await many(body)], status=201)
        return json_response(render(await one(body)), status=201)


def _charge_lists(base: str, answer: ListAnswer) -> None:
    """The list at `base`, and the same list nested under a customer and an invoice."""
    name = base.rsplit("/", 1)[-1]
    lists(routes, base, answer)
    nested_lists(
        routes, f"{API}/customers/{{id}}/{name}", customers.get_customer, "customer_id", answer
    )
    nested_lists(
        routes, f"{API}/invoices/{{id}}/{name}", invoices.get_invoice, "invoice_id", answer
    )


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


_charge_lists(CALLS, _calls)
reads(routes, CALLS, charges.get_call, render_call)
_creates(CALLS, charges.create_call, charges.create_calls, render_call)


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


_charge_lists(TRANSACTIONS, _transactions)
reads(routes, TRANSACTIONS, charges.get_transaction, render_transaction)
_creates(TRANSACTIONS, charges.create_transaction, charges.create_transactions, render_transaction)
updates(routes, TRANSACTIONS, charges.update_transaction, render_transaction)


@on(routes, "DELETE", path=TRANSACTIONS + "/{id}")
async def delete_transaction(request: web.Request) -> web.Response:
    """200 with the transaction as it was (what GraphQL's deleteTransaction returns)."""
    transaction = await charges.delete_transaction(request.match_info["id"])
    return json_response(render_transaction(transaction))
