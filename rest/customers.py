"""REST handlers for /customers: parse, call the action, render."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from api.responses import json_response
from billing import customers
from rest.bodies import iso_datetime, read_object
from rest.listing import read_page

routes = web.RouteTableDef()
BASE = "/backend/api/v1/customers"


def render(customer: customers.CustomerRecord) -> dict[str, Any]:
    return {
        "id": str(customer.id),
        "accountNumber": customer.account_number,
        "name": customer.name,
        "subrun": customer.subrun,
        "invoiceMessage": customer.invoice_message,
        "lowValuePolicy": customer.low_value_policy,
        "minimumAmount": customer.minimum_amount,
        "lowUsageFee": customer.low_usage_fee,
        "createdDate": iso_datetime(customer.created_date),
        "updatedDate": iso_datetime(customer.updated_date),
    }


@routes.get(BASE)
@routes.get(BASE + "/")
async def list_customers(request: web.Request) -> web.Response:
    page = read_page(request.query)
    found = await customers.list_customers(page.filters, page.limit, page.offset)
    return json_response([render(customer) for customer in found])


@routes.get(BASE + "/{id}")
@routes.get(BASE + "/{id}/")
async def get_customer(request: web.Request) -> web.Response:
    return json_response(render(await customers.get_customer(request.match_info["id"])))


@routes.post(BASE)
@routes.post(BASE + "/")
async def create_customer(request: web.Request) -> web.Response:
    customer = await customers.create_customer(await read_object(request))
    return json_response(render(customer), status=201)


@routes.patch(BASE + "/{id}")
@routes.patch(BASE + "/{id}/")
@routes.put(BASE + "/{id}")
@routes.put(BASE + "/{id}/")
async def update_customer(request: web.Request) -> web.Response:
    customer = await customers.update_customer(request.match_info["id"], await read_object(request))
    return json_response(render(customer))
