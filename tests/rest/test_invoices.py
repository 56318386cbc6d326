"""The read-only /invoices resource, the invoice lists nested under a billing run or a
customer, a run's not-produced lines, and exact money as the engine produced it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.rest.billing_data import (
    CALLS,
    INVOICES,
    bill,
    call_fields,
    create_call,
    create_customer,
    create_transaction,
    exact,
    raw,
    written,
)
from tests.rest.helpers import add_preset, error_of

FIELDS = [
    "id",
    "number",
    "customerId",
    "billingRunId",
    "invoiceDate",
    "dueDate",
    "periodEnded",
    "message",
    "callTotal",
    "transactionTotal",
    "adjustment",
    "total",
    "callCount",
    "transactionCount",
    "createdDate",
]


def path(invoice: dict) -> str:
    return f"{INVOICES}{invoice['id']}"


async def list_invoices(api, **params) -> list[dict]:
    return await api.rest_json("GET", INVOICES, params=params)


async def invoice_of(api, customer: dict) -> dict:
    found = await api.rest_json("GET", f"/customers/{customer['id']}/invoices")
    assert len(found) == 1, found
    return found[0]


async def test_an_invoice_is_shaped_like_the_contract_with_exact_money(api):
    await add_preset(api, "transactionType", "Rental")
    await add_preset(api, "invoiceMessage", "Thanks")
    customer = await create_customer(api, accountNumber="DEMO1234", invoiceMessage="Thanks")
    # 0.1 + 0.2 is 0.30000000000000004 in floats; JSON numbers must stay exact.
    body = (
        "["
        + ", ".join(
            f'{{"customerId": {customer["id"]}, "startTime": "2026-11-20T10:00:00Z", '
            f'"duration": 60, "numberDialled": "999", "charge": {charge}}}'
            for charge in ("0.1", "0.2")
        )
        + "]"
    )
    await exact(api, "POST", CALLS, 201, **raw(body))
    await create_transaction(api, customer, amount="-0.05")
    run = await bill(api)

    invoice = await exact(api, "GET", path(await invoice_of(api, customer)))
    assert list(invoice) == FIELDS
    assert invoice["number"] == "DEMO1234/1"
    assert (invoice["customerId"], invoice["billingRunId"]) == (customer["id"], run["id"])
    assert (invoice["invoiceDate"], invoice["dueDate"]) == ("2026-12-01", "2026-12-15")
    assert invoice["periodEnded"] == "2026-11-30"
    assert invoice["message"] == "Thanks"
    assert invoice["callTotal"] == Decimal("0.30")
    assert invoice["transactionTotal"] == Decimal("-0.05")
    assert invoice["adjustment"] == Decimal("0.00")
    assert invoice["total"] == Decimal("0.25")
    assert (invoice["callCount"], invoice["transactionCount"]) == (2, 1)
    for field, text in [("callTotal", "0.30"), ("adjustment", "0.00"), ("total", "0.25")]:
        assert await written(api, path(invoice), field) == [text]


async def test_charge_totals_keep_four_places_and_the_total_has_two(api):
    customer = await create_customer(api)
    await create_call(api, customer, charge="0.0050")
    await create_call(api, customer, charge="0.0001")
    await bill(api)
    invoice = await invoice_of(api, customer)
    assert await written(api, path(invoice), "callTotal") == ["0.0051"]
    assert await written(api, path(invoice), "total") == ["0.01"]


async def test_a_padded_invoice_shows_the_adjustment(api):
    customer = await create_customer(api, lowValuePolicy="PAD", minimumAmount="10")
    await create_call(api, customer, charge="2.3456")
    await bill(api)
    invoice = await invoice_of(api, customer)
    assert await written(api, path(invoice), "adjustment") == ["7.6544"]
    assert await written(api, path(invoice), "total") == ["10.00"]


async def test_invoices_list_in_id_order_with_the_shared_parameters(api):
    made = [await create_customer(api) for _ in range(3)]
    for customer in made:
        await create_call(api, customer)
    await bill(api)
    invoices = await list_invoices(api)
    assert [invoice["customerId"] for invoice in invoices] == [c["id"] for c in made]
    assert await list_invoices(api, idAfter=invoices[0]["id"]) == invoices[1:]
    assert await list_invoices(api, limit=1, offset=1) == invoices[1:2]
    assert await list_invoices(api, createdSince=invoices[0]["createdDate"]) == invoices
    assert await api.rest_json("GET", INVOICES.rstrip("/")) == invoices
    assert await api.rest_json("GET", path(invoices[0]) + "/") == invoices[0]


async def test_updated_since_on_invoices_compares_the_created_date(api):
    customer = await create_customer(api)
    await create_call(api, customer)
    await bill(api)
    first = await invoice_of(api, customer)
    await create_call(api, customer, startTime="2026-12-20T00:00:00Z")
    await bill(api, invoiceDate="2027-01-01", cutoffDate="2027-01-01", dueDate="2027-01-15")
    both = await api.rest_json("GET", f"/customers/{customer['id']}/invoices")
    assert [invoice["number"] for invoice in both] == [
        f"{customer['accountNumber']}/{n}" for n in (1, 2)
    ]
    assert await list_invoices(api, updatedSince=both[1]["createdDate"]) == both[1:]
    assert await list_invoices(api, updatedSince=first["createdDate"]) == both


async def test_a_runs_invoices_are_listed_under_it(api):
    first, second = await create_customer(api), await create_customer(api)
    await create_call(api, first)
    run_one = await bill(api)
    await create_call(api, second)
    run_two = await bill(api)
    under_one = await api.rest_json("GET", f"/billingRuns/{run_one['id']}/invoices/")
    under_two = await api.rest_json("GET", f"/billingRuns/{run_two['id']}/invoices")
    assert [invoice["customerId"] for invoice in under_one] == [first["id"]]
    assert [invoice["customerId"] for invoice in under_two] == [second["id"]]
    assert (
        await api.rest_json(
            "GET", f"/billingRuns/{run_one['id']}/invoices", params={"idAfter": under_one[0]["id"]}
        )
        == []
    )


async def test_not_produced_lines_give_the_reason_and_amount(api):
    empty = await create_customer(api)
    low = await create_customer(api, lowValuePolicy="SKIP", minimumAmount="10")
    await create_call(api, low, charge="2.345")
    produced = await create_customer(api)
    await create_call(api, produced)
    run = await bill(api)
    lines_path = f"/billingRuns/{run['id']}/notProduced"
    lines = await exact(api, "GET", lines_path)
    assert lines == [
        {"customerId": empty["id"], "reason": "EMPTY", "amount": Decimal("0.00")},
        {"customerId": low["id"], "reason": "TOO_LOW", "amount": Decimal("2.35")},
    ]
    assert await written(api, lines_path, "amount") == ["0.00", "2.35"]
    assert await exact(api, "GET", lines_path + "/", params={"idAfter": empty["id"]}) == lines[1:]
    assert await exact(api, "GET", lines_path, params={"limit": 1}) == lines[:1]


async def test_a_run_that_has_not_run_has_no_invoices_or_lines(api):
    run = await api.rest_json("POST", "/billingRuns/", 201, json={"name": "Not yet"})
    assert await api.rest_json("GET", f"/billingRuns/{run['id']}/invoices") == []
    assert await api.rest_json("GET", f"/billingRuns/{run['id']}/notProduced") == []


@pytest.mark.parametrize(
    "nested",
    [
        "/billingRuns/{}/invoices",
        "/billingRuns/{}/notProduced",
        "/customers/{}/invoices",
        "/invoices/{}",
        "/invoices/{}/calls",
        "/invoices/{}/transactions",
    ],
)
@pytest.mark.parametrize("ident", ["424242", "abc"])
async def test_an_unknown_parent_or_invoice_is_404(api, nested, ident):
    await error_of(await api.rest("GET", nested.format(ident)), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("param", "value"), [("limit", "0"), ("updatedSince", "yesterday"), ("billed", "true")]
)
async def test_a_bad_list_parameter_is_400(api, param, value):
    await error_of(await api.rest("GET", INVOICES, params={param: value}), 400, "BAD_REQUEST")


async def test_invoices_cannot_be_written(api):
    customer = await create_customer(api)
    await create_call(api, customer)
    await bill(api)
    invoice = await invoice_of(api, customer)
    await error_of(await api.rest("POST", INVOICES, json={}), 405, "METHOD_NOT_ALLOWED")
    for method in ("PATCH", "PUT", "DELETE"):
        response = await api.rest(method, path(invoice), json={"total": 0})
        await error_of(response, 405, "METHOD_NOT_ALLOWED")


async def test_billed_charges_point_at_their_invoice(api):
    customer = await create_customer(api)
    posted = await api.rest_json(
        "POST", CALLS, 201, json=[call_fields(customer), call_fields(customer)]
    )
    await bill(api)
    invoice = await invoice_of(api, customer)
    for call in posted:
        assert (await api.rest_json("GET", f"{CALLS}{call['id']}"))["invoiceId"] == invoice["id"]
