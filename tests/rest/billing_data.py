"""Helpers for the Part 2 REST tests: customers, charges and billed runs made over real
HTTP, and exact reading of money (JSON numbers as Decimal, and as the text written)."""

from __future__ import annotations

import re
from typing import Any

from billing import engine
from tests.data import READY, account_number
from tests.data import call_fields as call_fields
from tests.data import exact as exact
from tests.data import transaction_fields as transaction_fields
from tests.rest.helpers import create_run, request_bills
from tests.rest.helpers import refused as refused

CUSTOMERS = "/customers/"
CALLS = "/calls/"
TRANSACTIONS = "/transactions/"
INVOICES = "/invoices/"


async def create_customer(api: Any, **fields: Any) -> dict[str, Any]:
    body = {"accountNumber": account_number(), "name": "A customer", **fields}
    return await api.rest_json("POST", CUSTOMERS, 201, json=body)


async def create_call(api: Any, customer: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return await api.rest_json("POST", CALLS, 201, json=call_fields(customer, **fields))


async def create_transaction(api: Any, customer: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return await api.rest_json(
        "POST", TRANSACTIONS, 201, json=transaction_fields(customer, **fields)
    )


async def bill(api: Any, **fields: Any) -> dict[str, Any]:
    """Create a READY run, request bills and run the engine to the end; the run after."""
    run = await create_run(api, "Billing", **{**READY, **fields})
    await request_bills(api, run)
    with api.database():
        await engine.bill(int(run["id"]), "UTC")
    return await api.rest_json("GET", f"/billingRuns/{run['id']}")


def raw(text: str) -> dict[str, Any]:
    """Request arguments sending `text` as the JSON body, byte for byte (so numbers such
    as 0.10 or 1e2 reach the server as written)."""
    return {"data": text.encode(), "headers": {"Content-Type": "application/json"}}


async def written(api: Any, path: str, field: str) -> list[str]:
    """How each `field` of a GET response is written in the JSON text, e.g. ["12.50"]."""
    response = await api.rest("GET", path)
    text = await response.text()
    assert response.status == 200, text
    return re.findall(rf'"{field}":(-?[0-9.]+)', text)
