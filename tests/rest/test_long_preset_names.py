"""A preset name longer than the column (64 characters) is an ordinary 422 on every REST
write that names a preset, never a 500: no preset can have such a name.

Regression: the lookup handed the name to Tortoise, which refuses to filter on a value
longer than the column and raised a ValidationError (500 INTERNAL).
"""

from __future__ import annotations

import pytest

from billing.presets import NAME_MAX
from tests.rest.billing_data import (
    CUSTOMERS,
    TRANSACTIONS,
    create_customer,
    create_transaction,
    refused,
    transaction_fields,
)
from tests.rest.helpers import RUNS, add_preset, create_run, run_path

LONGEST = "x" * NAME_MAX
TOO_LONG = ["x" * (NAME_MAX + 1), "y" * 300]
RUN_PRESETS = [("subrun", "billingSubrun"), ("invoiceMessage", "invoiceMessage")]


@pytest.mark.parametrize("name", TOO_LONG, ids=["65", "300"])
@pytest.mark.parametrize(("field", "kind"), RUN_PRESETS)
async def test_a_run_naming_a_too_long_preset_is_422(api, field, kind, name):
    await add_preset(api, kind, LONGEST)
    run = await create_run(api, "Target")

    error = await refused(
        api,
        "POST",
        RUNS,
        422,
        "VALIDATION_FAILED",
        field,
        unchanged=RUNS,
        json={"name": "New", field: name},
    )
    assert LONGEST in error["message"]  # it lists the valid names, as for any unknown name
    for method in ("PATCH", "PUT"):
        await refused(
            api,
            method,
            run_path(run),
            422,
            "VALIDATION_FAILED",
            field,
            unchanged=RUNS,
            json={field: name},
        )

    # The longest name a preset may have still works.
    patched = await api.rest_json("PATCH", run_path(run), json={field: LONGEST})
    assert patched[field] == LONGEST


@pytest.mark.parametrize("name", TOO_LONG, ids=["65", "300"])
@pytest.mark.parametrize(("field", "kind"), RUN_PRESETS)
async def test_a_customer_naming_a_too_long_preset_is_422(api, field, kind, name):
    await add_preset(api, kind, LONGEST)
    customer = await create_customer(api)
    body = {"accountNumber": "NEW1", "name": "New", field: name}

    await refused(
        api, "POST", CUSTOMERS, 422, "VALIDATION_FAILED", field, unchanged=CUSTOMERS, json=body
    )
    for method in ("PATCH", "PUT"):
        await refused(
            api,
            method,
            f"{CUSTOMERS}{customer['id']}",
            422,
            "VALIDATION_FAILED",
            field,
            unchanged=CUSTOMERS,
            json={field: name},
        )

    patched = await api.rest_json("PATCH", f"{CUSTOMERS}{customer['id']}", json={field: LONGEST})
    assert patched[field] == LONGEST


@pytest.mark.parametrize("name", TOO_LONG, ids=["65", "300"])
async def test_a_transaction_naming_a_too_long_type_is_422(api, name):
    await add_preset(api, "transactionType", "Rental")
    await add_preset(api, "transactionType", LONGEST)
    customer = await create_customer(api)
    existing = await create_transaction(api, customer)
    bad = transaction_fields(customer, transactionType=name)

    await refused(
        api,
        "POST",
        TRANSACTIONS,
        422,
        "VALIDATION_FAILED",
        "transactionType",
        unchanged=TRANSACTIONS,
        json=bad,
    )
    await refused(
        api,
        "POST",
        TRANSACTIONS,
        422,
        "VALIDATION_FAILED",
        "[1].transactionType",
        unchanged=TRANSACTIONS,
        json=[transaction_fields(customer), bad],
    )
    for method in ("PATCH", "PUT"):
        await refused(
            api,
            method,
            f"{TRANSACTIONS}{existing['id']}",
            422,
            "VALIDATION_FAILED",
            "transactionType",
            unchanged=TRANSACTIONS,
            json={"transactionType": name},
        )

    made = await create_transaction(api, customer, transactionType=LONGEST)
    assert made["transactionType"] == LONGEST
