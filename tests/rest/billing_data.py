"""Helpers for the Part 2 REST tests: customers, charges and billed runs made over real
HTTP, and exact reading of money (JSON numbers as Decimal, and as the text written)."""

from __future__ import annotations

import itertools
import json
import re
from decimal import Decimal
from typing import Any

from billing import engine
from tests.rest.helpers import READY, create_run, error_of, request_bills

CUSTOMERS = "/customers/"
CALLS = "/calls/"
TRANSACTIONS = "/transactions/"
INVOICES = "/invoices/"
_accounts = itertools.count(1)


async def create_customer(api: Any, **fields: Any) -> dict[str, Any]:
    body = {"accountNumber": f"ACC{next(_accounts)}", "name": "A customer", **fields}
    return await api.rest_json("POST", CUSTOMERS, 201, json=body)


def call_fields(customer: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A valid new call for `customer`, before the cutoff of `READY` runs."""
    return {
        "customerId": customer["id"],
        "startTime": "2026-11-20T10:00:00Z",
        "duration": 60,
        "numberDialled": "01234567890",
        "charge": "1.00",
        **fields,
    }


def transaction_fields(customer: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A valid new transaction for `customer` (type Rental), before the READY cutoff."""
    return {
        "customerId": customer["id"],
        "transactionType": "Rental",
        "transactionDate": "2026-11-15",
        "amount": "10.00",
        **fields,
    }


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


async def exact(api: Any, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
    """The response body with JSON numbers read as Decimal (so 12.50 keeps its places)."""
    response = await api.rest(method, path, **kwargs)
    text = await response.text()
    assert response.status == status, text
    return json.loads(text, parse_float=Decimal)


async def written(api: Any, path: str, field: str) -> list[str]:
    """How each `field` of a GET response is written in the JSON text, e.g. ["12.50"]."""
    response = await api.rest("GET", path)
    text = await response.text()
    assert response.status == 200, text
    return re.findall(rf'"{field}":(-?[0-9.]+)', text)


async def refused(
    api: Any,
    method: str,
    path: str,
    status: int,
    code: str,
    field: str | None = None,
    *,
    unchanged: str,
    **kwargs: Any,
) -> dict[str, Any]:
    """Send a request that must fail; the list at `unchanged` reads the same after."""
    before = await api.rest_json("GET", unchanged, params={"limit": 1000})
    error = await error_of(await api.rest(method, path, **kwargs), status, code, field)
    assert await api.rest_json("GET", unchanged, params={"limit": 1000}) == before
    return error
