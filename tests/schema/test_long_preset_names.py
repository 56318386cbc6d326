"""A preset name longer than the column (64 characters) is a userError naming the field
on every GraphQL mutation that names a preset, never INTERNAL_SERVER_ERROR: no preset
can have such a name.

Regression: the lookup handed the name to Tortoise, which refuses to filter on a value
longer than the column and raised a ValidationError.
"""

from __future__ import annotations

import pytest

from billing.presets import NAME_MAX
from tests.schema.billing_data import (
    ADD_TRANSACTIONS,
    CREATE_CUSTOMER,
    UPDATE_CUSTOMER,
    add_transactions,
    create_customer,
    transaction_input,
)
from tests.schema.helpers import (
    CREATE_RUN,
    create_preset,
    create_run,
    list_presets,
    list_runs,
    update_preset,
    update_run,
    user_errors,
)

LONGEST = "x" * NAME_MAX
TOO_LONG = ["x" * (NAME_MAX + 1), "y" * 300]
RUN_PRESETS = [("subrun", "billingSubrun"), ("invoiceMessage", "invoiceMessage")]

UPDATE_TRANSACTION = """
mutation UpdateTransaction($id: ID!, $input: UpdateTransactionInput!) {
  updateTransaction(id: $id, input: $input) {
    transaction { id transactionType }
    userErrors { field code message }
  }
}
"""
LIST_CUSTOMERS = "query { customers(first: 1000) { nodes { id subrun invoiceMessage } } }"
LIST_TRANSACTIONS = "query { transactions(first: 1000) { nodes { id transactionType } } }"


async def _payload(api, query: str, variables: dict, name: str) -> dict:
    return (await api.gql(query, variables))[name]


@pytest.mark.parametrize("name", TOO_LONG, ids=["65", "300"])
@pytest.mark.parametrize(("field", "kind"), RUN_PRESETS)
async def test_a_run_naming_a_too_long_preset_is_a_user_error(api, field, kind, name):
    await create_preset(api, kind, LONGEST)
    run = await create_run(api)
    before = await list_runs(api)

    created = await _payload(
        api, CREATE_RUN, {"input": {"name": "New", field: name}}, "createBillingRun"
    )
    updated = await update_run(api, run["id"], **{field: name})

    for payload in (created, updated):
        assert payload["billingRun"] is None
        assert user_errors(payload) == [(field, "VALIDATION_FAILED")]
    assert LONGEST in created["userErrors"][0]["message"]
    assert await list_runs(api) == before
    longest = await update_run(api, run["id"], **{field: LONGEST})
    assert longest["billingRun"][field] == LONGEST


@pytest.mark.parametrize("name", TOO_LONG, ids=["65", "300"])
@pytest.mark.parametrize(("field", "kind"), RUN_PRESETS)
async def test_a_customer_naming_a_too_long_preset_is_a_user_error(api, field, kind, name):
    await create_preset(api, kind, LONGEST)
    customer = await create_customer(api)
    before = await api.gql(LIST_CUSTOMERS)

    created = await _payload(
        api,
        CREATE_CUSTOMER,
        {"input": {"accountNumber": "NEW1", "name": "New", field: name}},
        "createCustomer",
    )
    updated = await _payload(
        api, UPDATE_CUSTOMER, {"id": customer["id"], "input": {field: name}}, "updateCustomer"
    )

    for payload in (created, updated):
        assert payload["customer"] is None
        assert user_errors(payload) == [(field, "VALIDATION_FAILED")]
    assert await api.gql(LIST_CUSTOMERS) == before
    longest = await _payload(
        api, UPDATE_CUSTOMER, {"id": customer["id"], "input": {field: LONGEST}}, "updateCustomer"
    )
    assert longest["customer"][field] == LONGEST


@pytest.mark.parametrize("name", TOO_LONG, ids=["65", "300"])
async def test_a_transaction_naming_a_too_long_type_is_a_user_error(api, name):
    await create_preset(api, "transactionType", LONGEST)
    customer = await create_customer(api)
    [existing] = await add_transactions(api, transaction_input(customer))
    before = await api.gql(LIST_TRANSACTIONS)

    added = await _payload(
        api,
        ADD_TRANSACTIONS,
        {"input": [transaction_input(customer), transaction_input(customer, transactionType=name)]},
        "addTransactions",
    )
    updated = await _payload(
        api,
        UPDATE_TRANSACTION,
        {"id": existing["id"], "input": {"transactionType": name}},
        "updateTransaction",
    )

    assert added["transactions"] is None
    assert user_errors(added) == [("[1].transactionType", "VALIDATION_FAILED")]
    assert updated["transaction"] is None
    assert user_errors(updated) == [("transactionType", "VALIDATION_FAILED")]
    assert await api.gql(LIST_TRANSACTIONS) == before
    longest = await _payload(
        api,
        UPDATE_TRANSACTION,
        {"id": existing["id"], "input": {"transactionType": LONGEST}},
        "updateTransaction",
    )
    assert longest["transaction"]["transactionType"] == LONGEST


@pytest.mark.parametrize("name", TOO_LONG, ids=["65", "300"])
@pytest.mark.parametrize("kind", ["billingSubrun", "invoiceMessage", "transactionType"])
async def test_updating_a_preset_by_a_too_long_name_is_a_validation_error(api, kind, name):
    """No preset can have such a name: the error says why, naming the field."""
    await create_preset(api, kind, LONGEST)
    before = await list_presets(api)

    payload = await update_preset(api, kind, name, text="x")

    assert payload["preset"] is None
    assert user_errors(payload) == [("name", "VALIDATION_FAILED")]
    assert await list_presets(api) == before
    renamed = await update_preset(api, kind, LONGEST, name="Short")
    assert renamed["preset"]["name"] == "Short"
