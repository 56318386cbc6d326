"""Calls and transactions over GraphQL: adding them all or nothing with exact money,
changing and deleting unbilled transactions, the connections and their `billed` filter,
links to customer and invoice, and the same records read through REST."""

from __future__ import annotations

import pytest

from tests.schema.billing_data import (
    ADD_CALLS,
    ADD_TRANSACTIONS,
    CALL_FIELDS,
    TRANSACTION_FIELDS,
    add_calls,
    add_transactions,
    as_graphql,
    bill,
    call_input,
    create_customer,
    rest_exact,
    transaction_input,
)
from tests.schema.helpers import codes, create_preset, errors_of, user_errors

LIST_CALLS = (
    CALL_FIELDS
    + """
query ListCalls($billed: Boolean, $first: Int = 100, $after: String, $idAfter: ID) {
  calls(billed: $billed, first: $first, after: $after, idAfter: $idAfter) {
    totalCount
    nodes { ...CallFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
)

LIST_TRANSACTIONS = (
    TRANSACTION_FIELDS
    + """
query ListTransactions($billed: Boolean, $first: Int = 100, $after: String) {
  transactions(billed: $billed, first: $first, after: $after) {
    totalCount
    nodes { ...TransactionFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
)

UPDATE_TRANSACTION = (
    TRANSACTION_FIELDS
    + """
mutation UpdateTransaction($id: ID!, $input: UpdateTransactionInput!) {
  updateTransaction(id: $id, input: $input) {
    transaction { ...TransactionFields }
    userErrors { field code message }
  }
}
"""
)

DELETE_TRANSACTION = (
    TRANSACTION_FIELDS
    + """
mutation DeleteTransaction($id: ID!) {
  deleteTransaction(id: $id) {
    transaction { ...TransactionFields }
    userErrors { field code message }
  }
}
"""
)

CHARGE_LINKS = """
query ChargeLinks {
  calls { nodes { id customer { accountNumber } invoice { number } } }
  transactions { nodes { id customer { accountNumber } invoice { number } } }
}
"""


async def _calls(api, **arguments) -> dict:
    return (await api.gql(LIST_CALLS, arguments))["calls"]


async def _transactions(api, **arguments) -> dict:
    return (await api.gql(LIST_TRANSACTIONS, arguments))["transactions"]


async def _update(api, transaction_id: str, **fields) -> dict:
    variables = {"id": transaction_id, "input": fields}
    return (await api.gql(UPDATE_TRANSACTION, variables))["updateTransaction"]


async def _delete(api, transaction_id: str) -> dict:
    return (await api.gql(DELETE_TRANSACTION, {"id": transaction_id}))["deleteTransaction"]


# --- calls ---------------------------------------------------------------------------


async def test_added_calls_come_back_in_order_with_every_field(api):
    customer = await create_customer(api)

    calls = await add_calls(
        api,
        call_input(customer, startTime="2026-11-20T10:00:00+01:00", duration=0),
        call_input(customer, numberDialled="999", charge="0"),
    )

    assert [call["numberDialled"] for call in calls] == ["01234567890", "999"]
    assert int(calls[0]["id"]) < int(calls[1]["id"])
    assert calls[0]["startTime"] == "2026-11-20T09:00:00.000000+00:00"
    assert (calls[0]["duration"], calls[0]["customerId"], calls[0]["invoiceId"]) == (
        0,
        customer["id"],
        None,
    )
    assert calls[1]["charge"] == "0.00"


@pytest.mark.parametrize(
    ("sent", "written"),
    [("1.2345", "1.2345"), ("12.5", "12.50"), ("3", "3.00"), ("0.001", "0.0010"), ("7.10", "7.10")],
)
async def test_a_charge_keeps_its_four_places_and_is_written_with_at_least_two(api, sent, written):
    customer = await create_customer(api)

    (call,) = await add_calls(api, call_input(customer, charge=sent))

    assert call["charge"] == written
    assert (await _calls(api))["nodes"][0]["charge"] == written


async def test_one_bad_call_adds_none_and_every_bad_item_is_named(api):
    customer = await create_customer(api)

    payload = (
        await api.gql(
            ADD_CALLS,
            {
                "input": [
                    call_input(customer),
                    call_input(customer, charge="-1.00"),
                    call_input({"id": "999999"}, duration=-5),
                ]
            },
        )
    )["addCalls"]

    assert payload["calls"] is None
    assert user_errors(payload) == [
        ("[1].charge", "VALIDATION_FAILED"),
        ("[2].customerId", "VALIDATION_FAILED"),
        ("[2].duration", "VALIDATION_FAILED"),
    ]
    assert (await _calls(api))["totalCount"] == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("charge", 1.5),
        ("charge", "1.23456"),
        ("charge", "1,50"),
        ("startTime", "2026-11-20 10:00"),
        ("duration", "60"),
    ],
)
async def test_a_call_value_of_the_wrong_type_is_bad_user_input(api, field, value):
    customer = await create_customer(api)

    errors = await errors_of(api, ADD_CALLS, {"input": [call_input(customer, **{field: value})]})

    assert codes(errors) == ["BAD_USER_INPUT"]
    assert (await _calls(api))["totalCount"] == 0


async def test_an_empty_list_adds_nothing(api):
    payload = (await api.gql(ADD_CALLS, {"input": []}))["addCalls"]

    assert payload == {"calls": [], "userErrors": []}


async def test_calls_filter_by_billed_and_page_with_cursors(api):
    customer = await create_customer(api)
    billed = await add_calls(api, *[call_input(customer) for _ in range(3)])
    await bill(api)
    unbilled = await add_calls(api, *[call_input(customer) for _ in range(2)])

    only_billed = await _calls(api, billed=True)
    only_unbilled = await _calls(api, billed=False)
    first = await _calls(api, first=4)
    rest = await _calls(api, first=4, after=first["pageInfo"]["endCursor"])

    assert [c["id"] for c in only_billed["nodes"]] == [c["id"] for c in billed]
    assert only_billed["totalCount"] == 3
    assert all(c["invoiceId"] for c in only_billed["nodes"])
    assert [c["id"] for c in only_unbilled["nodes"]] == [c["id"] for c in unbilled]
    assert only_unbilled["totalCount"] == 2
    assert [c["id"] for c in first["nodes"] + rest["nodes"]] == [c["id"] for c in billed + unbilled]
    assert (first["pageInfo"]["hasNextPage"], rest["pageInfo"]["hasNextPage"]) == (True, False)
    assert first["totalCount"] == rest["totalCount"] == 5


async def test_a_call_reads_the_same_through_rest_and_graphql(api):
    customer = await create_customer(api)
    (call,) = await add_calls(api, call_input(customer, charge="0.0005"))
    await bill(api, cutoffDate="2026-12-01")

    rest = as_graphql(await rest_exact(api, f"/calls/{call['id']}"), "charge")
    graphql = (await _calls(api))["nodes"][0]

    assert rest == graphql
    assert graphql["invoiceId"] is not None and graphql["charge"] == "0.0005"


# --- transactions ----------------------------------------------------------------------


async def test_added_transactions_keep_credits_and_optional_fields(api):
    customer = await create_customer(api)

    transactions = await add_transactions(
        api,
        transaction_input(customer, amount="-12.3456", description="Refund"),
        transaction_input(customer, billDate="2026-11-30"),
    )

    assert [t["amount"] for t in transactions] == ["-12.3456", "10.00"]
    assert [t["description"] for t in transactions] == ["Refund", ""]
    assert [t["billDate"] for t in transactions] == [None, "2026-11-30"]
    assert {t["transactionType"] for t in transactions} == {"Rental"}


async def test_one_bad_transaction_adds_none(api):
    customer = await create_customer(api)
    await create_preset(api, "transactionType", "Rental")

    payload = (
        await api.gql(
            ADD_TRANSACTIONS,
            {
                "input": [
                    transaction_input(customer),
                    transaction_input(customer, transactionType="Nothing"),
                ]
            },
        )
    )["addTransactions"]

    assert payload["transactions"] is None
    assert user_errors(payload) == [("[1].transactionType", "VALIDATION_FAILED")]
    assert (await _transactions(api))["totalCount"] == 0


async def test_an_update_changes_only_the_fields_sent(api):
    customer = await create_customer(api)
    other = await create_customer(api)
    (transaction,) = await add_transactions(api, transaction_input(customer, description="Old"))

    payload = await _update(
        api, transaction["id"], amount="-1.5", customerId=other["id"], billDate=None
    )

    updated = payload["transaction"]
    assert payload["userErrors"] == []
    assert (updated["amount"], updated["customerId"], updated["description"]) == (
        "-1.50",
        other["id"],
        "Old",
    )
    assert updated["updatedDate"] >= transaction["updatedDate"]
    assert (await _transactions(api))["nodes"] == [updated]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"amount": None}, [("amount", "VALIDATION_FAILED")]),
        ({"customerId": "999999"}, [("customerId", "VALIDATION_FAILED")]),
        ({"transactionType": "Nothing"}, [("transactionType", "VALIDATION_FAILED")]),
        ({"description": "x" * 256}, [("description", "VALIDATION_FAILED")]),
    ],
)
async def test_a_bad_update_is_user_errors_and_changes_nothing(api, fields, expected):
    customer = await create_customer(api)
    (transaction,) = await add_transactions(api, transaction_input(customer))

    payload = await _update(api, transaction["id"], **fields)

    assert payload["transaction"] is None
    assert user_errors(payload) == expected
    assert (await _transactions(api))["nodes"] == [transaction]


async def test_delete_removes_an_unbilled_transaction_and_returns_it(api):
    customer = await create_customer(api)
    kept, deleted = await add_transactions(
        api, transaction_input(customer), transaction_input(customer, amount="2.00")
    )

    payload = await _delete(api, deleted["id"])

    assert payload == {"transaction": deleted, "userErrors": []}
    assert (await _transactions(api))["nodes"] == [kept]


async def test_a_billed_transaction_cannot_be_changed_or_deleted(api):
    customer = await create_customer(api)
    (transaction,) = await add_transactions(api, transaction_input(customer))
    await bill(api)
    (billed,) = (await _transactions(api))["nodes"]

    updated = await _update(api, transaction["id"], amount="1.00")
    repeated = await _update(api, transaction["id"], amount="10.00")
    deleted = await _delete(api, transaction["id"])

    assert user_errors(updated) == user_errors(deleted) == [(None, "ALREADY_BILLED")]
    assert repeated == {"transaction": billed, "userErrors": []}
    assert (await _transactions(api))["nodes"] == [billed]


@pytest.mark.parametrize("ident", ["999999", "abc"])
async def test_an_unknown_transaction_is_not_found(api, ident):
    updated = await _update(api, ident, amount="1.00")
    deleted = await _delete(api, ident)

    assert [e["code"] for e in updated["userErrors"] + deleted["userErrors"]] == ["NOT_FOUND"] * 2


async def test_transactions_filter_by_billed(api):
    customer = await create_customer(api)
    billed = await add_transactions(api, transaction_input(customer))
    await bill(api)
    unbilled = await add_transactions(api, transaction_input(customer, amount="-3.00"))

    assert [t["id"] for t in (await _transactions(api, billed=True))["nodes"]] == [
        t["id"] for t in billed
    ]
    assert [t["id"] for t in (await _transactions(api, billed=False))["nodes"]] == [
        t["id"] for t in unbilled
    ]
    assert (await _transactions(api, billed=False))["totalCount"] == 1


async def test_a_transaction_reads_the_same_through_rest_and_graphql(api):
    customer = await create_customer(api)
    (transaction,) = await add_transactions(
        api, transaction_input(customer, amount="-0.0001", billDate="2026-11-16")
    )

    rest = as_graphql(await rest_exact(api, f"/transactions/{transaction['id']}"), "amount")

    assert rest == transaction
    assert rest == (await _transactions(api))["nodes"][0]


# --- links --------------------------------------------------------------------------


async def test_charges_link_to_their_customer_and_once_billed_their_invoice(api):
    customer = await create_customer(api, accountNumber="LINKED")
    await add_calls(api, call_input(customer))
    await add_transactions(api, transaction_input(customer))
    await bill(api)
    await add_calls(api, call_input(customer))

    found = await api.gql(CHARGE_LINKS)

    assert [c["customer"]["accountNumber"] for c in found["calls"]["nodes"]] == ["LINKED"] * 2
    assert [c["invoice"] for c in found["calls"]["nodes"]] == [{"number": "LINKED/1"}, None]
    assert [t["invoice"] for t in found["transactions"]["nodes"]] == [{"number": "LINKED/1"}]
