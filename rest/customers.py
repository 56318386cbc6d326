"""REST routes for /customers, declared from the customer actions and `render`."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from billing import customers
from rest.bodies import iso_datetime
from rest.routes import creates, lists, page_answer, reads, updates

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


lists(routes, BASE, page_answer(customers.list_customers, render))
reads(routes, BASE, customers.get_customer, render)
creates(routes, BASE, customers.create_customer, render)
updates(routes, BASE, customers.update_customer, render)
