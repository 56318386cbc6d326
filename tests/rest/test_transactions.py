"""The /transactions resource: one or an array (all or nothing), exact amounts that may
be negative, changes and deletes only while unbilled, lists, and bad input."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from billing import engine
from tests.rest.billing_data import (
    TRANSACTIONS,
    bill,
    create_customer,
    create_transaction,
    exact,
    raw,
    refused,
    transaction_fields,
    written,
)
from tests.rest.helpers import READY, add_preset, create_run, error_of, request_bills, retire_preset

FIELDS = [
    "id",
    "customerId",
    "transactionType",
    "transactionDate",
    "billDate",
    "amount",
    "description",
    "invoiceId",
    "createdDate",
    "updatedDate",
]


@pytest.fixture
async def customer(api) -> dict:
    await add_preset(api, "transactionType", "Rental")
    await add_preset(api, "transactionType", "Credit")
    return await create_customer(api)


def path(transaction: dict) -> str:
    return f"{TRANSACTIONS}{transaction['id']}"


async def list_transactions(api, **params) -> list[dict]:
    return await api.rest_json("GET", TRANSACTIONS, params=params)


async def refused_post(api, field: str | None, body) -> dict:
    return await refused(
        api,
        "POST",
        TRANSACTIONS,
        422,
        "VALIDATION_FAILED",
        field,
        unchanged=TRANSACTIONS,
        json=body,
    )


async def refused_write(
    api, method: str, transaction: dict, status: int, code: str, field=None, **kw
):
    return await refused(
        api, method, path(transaction), status, code, field, unchanged=TRANSACTIONS, **kw
    )


# --- create and read ---------------------------------------------------------------------


async def test_post_one_transaction_returns_201_shaped_like_the_contract(api, customer):
    made = await create_transaction(api, customer, description="Line rental")
    assert list(made) == FIELDS
    assert made["customerId"] == customer["id"]
    assert made["transactionType"] == "Rental"
    assert (made["transactionDate"], made["billDate"]) == ("2026-11-15", None)
    assert made["description"] == "Line rental"
    assert made["invoiceId"] is None
    assert await api.rest_json("GET", path(made)) == made


async def test_description_and_bill_date_are_optional(api, customer):
    made = await create_transaction(api, customer, billDate="2026-12-20", description=None)
    assert made["description"] == ""
    assert made["billDate"] == "2026-12-20"


@pytest.mark.parametrize(
    ("sent", "text"),
    [("-5.5", "-5.50"), ("-0.0001", "-0.0001"), ("1234.5678", "1234.5678"), (-3, "-3.00")],
)
async def test_amounts_may_be_negative_and_are_written_exactly(api, customer, sent, text):
    made = await create_transaction(api, customer, transactionType="Credit", amount=sent)
    assert await written(api, path(made), "amount") == [text]


async def test_json_number_amounts_stay_exact(api, customer):
    body = (
        f'{{"customerId": "{customer["id"]}", "transactionType": "Rental", '
        f'"transactionDate": "2026-11-15", "amount": -0.30}}'
    )
    made = await exact(api, "POST", TRANSACTIONS, 201, **raw(body))
    assert made["amount"] == Decimal("-0.30")


async def test_post_an_array_creates_every_transaction_in_order(api, customer):
    body = [transaction_fields(customer, amount=str(n), description=f"#{n}") for n in range(4)]
    made = await api.rest_json("POST", TRANSACTIONS, 201, json=body)
    assert [t["description"] for t in made] == ["#0", "#1", "#2", "#3"]
    assert await list_transactions(api) == made


# --- bad input ---------------------------------------------------------------------------


async def test_one_bad_item_in_an_array_creates_nothing(api, customer):
    body = [transaction_fields(customer) for _ in range(4)]
    body[2]["transactionType"] = "Unknown"
    error = await refused_post(api, "[2].transactionType", body)
    assert error["message"].startswith("[2].transactionType")
    assert "Rental" in error["message"] and "Credit" in error["message"]


async def test_a_retired_transaction_type_cannot_be_chosen(api, customer):
    await retire_preset(api, "transactionType", "Credit")
    error = await refused_post(
        api, "transactionType", transaction_fields(customer, transactionType="Credit")
    )
    assert "retired" in error["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("customerId", "424242"),
        ("customerId", "one"),
        ("transactionType", None),
        ("transactionType", 3),
        ("transactionDate", "2026-02-29"),
        ("transactionDate", "2026-1-05"),
        ("transactionDate", "2026-11-15T00:00:00Z"),
        ("transactionDate", None),
        ("billDate", "31/12/2026"),
        ("billDate", 20261231),
        ("amount", "1.00001"),
        ("amount", -1.00001),
        ("amount", "ten"),
        ("amount", False),
        ("amount", None),
        ("description", "x" * 256),
        ("description", 5),
    ],
)
async def test_a_bad_field_is_422_naming_it(api, customer, field, value):
    await refused_post(api, field, transaction_fields(customer, **{field: value}))


@pytest.mark.parametrize("field", ["customerId", "transactionType", "transactionDate", "amount"])
async def test_each_required_field_is_required(api, customer, field):
    body = transaction_fields(customer)
    body.pop(field)
    await refused_post(api, field, body)


async def test_unknown_and_read_only_fields_are_422_on_create(api, customer):
    await refused_post(api, "kind", transaction_fields(customer, kind="x"))
    await refused_post(api, "invoiceId", transaction_fields(customer, invoiceId=7))
    await refused_post(
        api, "[0].updatedDate", [transaction_fields(customer, updatedDate="2026-01-01")]
    )


# --- changing and deleting ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
async def test_patch_changes_an_unbilled_transaction(api, customer, method):
    made = await create_transaction(api, customer)
    other = await create_customer(api)
    changed = await api.rest_json(
        method,
        path(made),
        json={"amount": "-2.5", "billDate": "2026-12-02", "customerId": other["id"]},
    )
    assert (changed["amount"], changed["billDate"]) == (-2.5, "2026-12-02")
    assert changed["customerId"] == other["id"]
    assert changed["updatedDate"] > made["updatedDate"]
    assert changed["createdDate"] == made["createdDate"]
    assert await written(api, path(made), "amount") == ["-2.50"]


async def test_a_patch_that_changes_nothing_keeps_updated_date(api, customer):
    made = await create_transaction(api, customer, amount="10")
    assert await api.rest_json("PATCH", path(made), json={**made, "amount": "10.0000"}) == made


async def test_patch_bad_input_is_422_and_changes_nothing(api, customer):
    made = await create_transaction(api, customer)
    await refused_write(
        api, "PATCH", made, 422, "VALIDATION_FAILED", "amount", json={"amount": "x"}
    )
    await refused_write(
        api, "PATCH", made, 422, "VALIDATION_FAILED", "customerId", json={"customerId": "999"}
    )
    await refused_write(
        api, "PATCH", made, 422, "VALIDATION_FAILED", "invoiceId", json={"invoiceId": "1"}
    )
    await refused_write(
        api,
        "PATCH",
        made,
        422,
        "VALIDATION_FAILED",
        "transactionDate",
        json={"transactionDate": None},
    )
    await refused_write(
        api, "PATCH", made, 422, "VALIDATION_FAILED", "customerId", json={"customerId": None}
    )


async def test_delete_removes_an_unbilled_transaction_and_returns_it(api, customer):
    made = await create_transaction(api, customer)
    kept = await create_transaction(api, customer)
    assert await api.rest_json("DELETE", path(made)) == made
    await error_of(await api.rest("GET", path(made)), 404, "NOT_FOUND")
    await error_of(await api.rest("DELETE", path(made)), 404, "NOT_FOUND")
    assert await list_transactions(api) == [kept]


async def test_a_billed_transaction_cannot_be_changed_or_deleted(api, customer):
    made = await create_transaction(api, customer)
    await bill(api)
    billed = await api.rest_json("GET", path(made))
    assert billed["invoiceId"] is not None
    error = await refused_write(api, "PATCH", billed, 409, "ALREADY_BILLED", json={"amount": "1"})
    assert billed["invoiceId"] in error["message"]
    await refused_write(api, "PUT", billed, 409, "ALREADY_BILLED", json={"description": "x"})
    await refused_write(api, "DELETE", billed, 409, "ALREADY_BILLED")
    # Repeating what it holds changes nothing, so it is not refused.
    assert await api.rest_json("PATCH", path(billed), json=billed) == billed


async def test_deletes_racing_a_billing_run_either_land_first_or_get_409(api, customer):
    owners = [customer, *[await create_customer(api) for _ in range(9)]]
    made = [
        await create_transaction(api, owner, amount=f"{n}.01")
        for owner in owners
        for n in range(1, 3)
    ]
    run = await create_run(api, "Race", **READY)
    await request_bills(api, run)

    async def billing() -> None:
        with api.database():  # a chunk per customer: deletes land between the chunks
            await engine.bill(int(run["id"]), "UTC", chunk_size=1)

    responses = await asyncio.gather(
        billing(), *(api.rest("DELETE", path(transaction)) for transaction in made)
    )
    statuses = [response.status for response in responses[1:]]
    assert set(statuses) <= {200, 409}
    left = await exact(api, "GET", TRANSACTIONS)
    assert len(left) == statuses.count(409)
    assert all(transaction["invoiceId"] is not None for transaction in left)
    # Every invoice billed exactly what the deletes left of its customer's transactions.
    for invoice in await exact(api, "GET", f"/billingRuns/{run['id']}/invoices"):
        mine = [t["amount"] for t in left if t["invoiceId"] == invoice["id"]]
        assert invoice["transactionTotal"] == sum(mine)
        assert invoice["transactionCount"] == len(mine) > 0


@pytest.mark.parametrize("ident", ["424242", "abc"])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_an_unknown_transaction_is_404(api, method, ident):
    response = await api.rest(method, f"{TRANSACTIONS}{ident}", json={"amount": "1"})
    await error_of(response, 404, "NOT_FOUND")


# --- lists -------------------------------------------------------------------------------


async def test_billed_and_unbilled_filter_transactions(api, customer):
    early = await create_transaction(api, customer, transactionDate="2026-11-01")
    late = await create_transaction(api, customer, transactionDate="2026-12-05")
    await bill(api)
    assert [t["id"] for t in await list_transactions(api, billed="true")] == [early["id"]]
    assert [t["id"] for t in await list_transactions(api, unbilled="true")] == [late["id"]]
    assert len(await list_transactions(api)) == 2


async def test_min_date_is_not_a_transaction_filter(api, customer):
    response = await api.rest("GET", TRANSACTIONS, params={"minDate": "2026-01-01"})
    await error_of(response, 400, "BAD_REQUEST", "minDate")


async def test_the_shared_list_parameters_work_on_transactions(api, customer):
    made = [await create_transaction(api, customer) for _ in range(4)]
    assert await list_transactions(api, idAfter=made[1]["id"]) == made[2:]
    assert await list_transactions(api, limit=1, offset=2) == [made[2]]
    changed = await api.rest_json("PATCH", path(made[0]), json={"description": "changed"})
    assert await list_transactions(api, updatedSince=changed["updatedDate"]) == [changed]


async def test_transactions_nest_under_their_customer_and_invoice(api, customer):
    other = await create_customer(api)
    mine = await create_transaction(api, customer)
    await create_transaction(api, other)
    assert await api.rest_json("GET", f"/customers/{customer['id']}/transactions/") == [mine]
    run = await bill(api)
    invoices = await api.rest_json("GET", f"/customers/{customer['id']}/invoices")
    assert invoices[0]["billingRunId"] == run["id"]
    listed = await api.rest_json("GET", f"/invoices/{invoices[0]['id']}/transactions")
    assert [t["id"] for t in listed] == [mine["id"]]
    billed = await api.rest_json(
        "GET", f"/customers/{customer['id']}/transactions", params={"billed": "true"}
    )
    assert billed == listed


@pytest.mark.parametrize("parent", ["customers", "invoices"])
async def test_transactions_of_an_unknown_parent_are_404(api, parent):
    await error_of(await api.rest("GET", f"/{parent}/424242/transactions"), 404, "NOT_FOUND")
