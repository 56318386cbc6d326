"""Customers over GraphQL: the type, the connection, the mutations and their userErrors,
and the same customer read through REST."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from models import Customer
from tests.schema.billing_data import (
    CREATE_CUSTOMER,
    CUSTOMER_FIELDS,
    GET_CUSTOMER,
    UPDATE_CUSTOMER,
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

LIST_CUSTOMERS = (
    CUSTOMER_FIELDS
    + """
query ListCustomers(
  $idAfter: ID, $createdSince: DateTime, $updatedSince: DateTime, $first: Int = 100,
  $after: String
) {
  customers(
    idAfter: $idAfter, createdSince: $createdSince, updatedSince: $updatedSince,
    first: $first, after: $after
  ) {
    totalCount
    nodes { ...CustomerFields }
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
)

CUSTOMER_CHILDREN = """
query CustomerChildren($id: ID!) {
  customer(id: $id) {
    invoices { totalCount nodes { number customer { id } } }
    calls { totalCount nodes { charge invoiceId } }
    transactions { totalCount nodes { amount invoiceId } }
  }
}
"""

MONEY = ("minimumAmount", "lowUsageFee")


async def _create(api, **fields) -> dict:
    """The payload of createCustomer (which may hold userErrors)."""
    variables = {"input": {"accountNumber": "ACC1", "name": "A customer", **fields}}
    return (await api.gql(CREATE_CUSTOMER, variables))["createCustomer"]


async def _update(api, customer_id: str, **fields) -> dict:
    return (await api.gql(UPDATE_CUSTOMER, {"id": customer_id, "input": fields}))["updateCustomer"]


async def _list(api, **arguments) -> dict:
    return (await api.gql(LIST_CUSTOMERS, arguments))["customers"]


async def test_a_new_customer_has_every_contract_field_and_the_defaults(api):
    payload = await _create(api, accountNumber="DEMO-1234", name="Demo Ltd")

    customer = payload["customer"]
    assert payload["userErrors"] == []
    assert {k: v for k, v in customer.items() if not k.endswith("Date") and k != "id"} == {
        "accountNumber": "DEMO-1234",
        "name": "Demo Ltd",
        "subrun": None,
        "invoiceMessage": None,
        "lowValuePolicy": "NONE",
        "minimumAmount": "0.00",
        "lowUsageFee": "0.00",
    }
    assert customer["createdDate"] == customer["updatedDate"]
    assert customer["createdDate"].endswith("+00:00")


async def test_presets_are_set_by_name_and_money_is_written_with_two_places(api):
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "invoiceMessage", "Thanks", "Thank you")

    customer = await create_customer(
        api,
        subrun="North",
        invoiceMessage="Thanks",
        lowValuePolicy="FEE",
        minimumAmount="12.5",
        lowUsageFee="3",
    )

    assert (customer["subrun"], customer["invoiceMessage"]) == ("North", "Thanks")
    assert (customer["lowValuePolicy"], customer["minimumAmount"], customer["lowUsageFee"]) == (
        "FEE",
        "12.50",
        "3.00",
    )


@pytest.mark.parametrize("ident", ["999999", "99999999999", "abc", "-1"])
async def test_an_unknown_or_malformed_id_reads_as_null(api, ident):
    await create_customer(api)

    assert (await api.gql(GET_CUSTOMER, {"id": ident}))["customer"] is None


async def test_an_update_changes_only_the_fields_sent(api):
    customer = await create_customer(api, name="Before", minimumAmount="5.00")
    await _set_dates(api, customer["id"], datetime(2026, 1, 1, tzinfo=UTC))

    payload = await _update(api, customer["id"], name="After", lowValuePolicy="PAD")

    updated = payload["customer"]
    assert payload["userErrors"] == []
    assert (updated["name"], updated["lowValuePolicy"], updated["minimumAmount"]) == (
        "After",
        "PAD",
        "5.00",
    )
    assert updated["accountNumber"] == customer["accountNumber"]
    assert updated["updatedDate"] > updated["createdDate"] == "2026-01-01T00:00:00.000000+00:00"
    assert (await api.gql(GET_CUSTOMER, {"id": customer["id"]}))["customer"] == updated


async def test_an_update_that_changes_nothing_keeps_the_updated_date(api):
    customer = await create_customer(api, name="Same")

    payload = await _update(api, customer["id"], name="Same")

    assert payload == {"customer": customer, "userErrors": []}


async def test_null_clears_a_preset(api):
    await create_preset(api, "billingSubrun", "North")
    customer = await create_customer(api, subrun="North")

    payload = await _update(api, customer["id"], subrun=None)

    assert payload["customer"]["subrun"] is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"accountNumber": "has space"}, [("accountNumber", "VALIDATION_FAILED")]),
        ({"accountNumber": "X" * 33}, [("accountNumber", "VALIDATION_FAILED")]),
        ({"name": " "}, [("name", "VALIDATION_FAILED")]),
        ({"lowValuePolicy": "SOMETIMES"}, [("lowValuePolicy", "VALIDATION_FAILED")]),
        ({"lowValuePolicy": None}, [("lowValuePolicy", "VALIDATION_FAILED")]),
        ({"minimumAmount": "1.005"}, [("minimumAmount", "VALIDATION_FAILED")]),
        ({"lowUsageFee": "-1.00"}, [("lowUsageFee", "VALIDATION_FAILED")]),
        ({"subrun": "Nowhere"}, [("subrun", "VALIDATION_FAILED")]),
        (
            {"name": "", "invoiceMessage": "Nothing"},
            [("name", "VALIDATION_FAILED"), ("invoiceMessage", "VALIDATION_FAILED")],
        ),
    ],
)
async def test_bad_input_is_user_errors_and_creates_nothing(api, fields, expected):
    payload = await _create(api, **fields)

    assert payload["customer"] is None
    assert user_errors(payload) == expected
    assert (await _list(api))["totalCount"] == 0


async def test_a_duplicate_account_number_is_a_user_error_on_create_and_update(api):
    first = await create_customer(api, accountNumber="TAKEN")
    second = await create_customer(api, accountNumber="FREE")

    created = await _create(api, accountNumber="TAKEN")
    updated = await _update(api, second["id"], accountNumber="TAKEN")

    assert user_errors(created) == user_errors(updated) == [("accountNumber", "VALIDATION_FAILED")]
    assert [node["id"] for node in (await _list(api))["nodes"]] == [first["id"], second["id"]]


async def test_the_account_number_locks_once_the_customer_is_invoiced(api):
    customer = await create_customer(api, accountNumber="BEFORE")
    await add_calls(api, call_input(customer))
    await bill(api)

    locked = await _update(api, customer["id"], accountNumber="AFTER")
    renamed = await _update(api, customer["id"], accountNumber="BEFORE", name="Renamed")

    assert user_errors(locked) == [("accountNumber", "FIELD_LOCKED")]
    assert renamed["userErrors"] == [] and renamed["customer"]["name"] == "Renamed"


@pytest.mark.parametrize("ident", ["999999", "abc"])
async def test_updating_an_unknown_customer_is_not_found(api, ident):
    payload = await _update(api, ident, name="Nobody")

    assert payload["customer"] is None
    assert [error["code"] for error in payload["userErrors"]] == ["NOT_FOUND"]


@pytest.mark.parametrize("amount", [12.5, 12, "12.50000", "1e2", " 12.50", "\uff11\uff12.50"])
async def test_money_that_is_not_a_decimal_string_of_up_to_4_places_is_bad_user_input(api, amount):
    errors = await errors_of(
        api, CREATE_CUSTOMER, {"input": {"accountNumber": "A", "name": "A", "lowUsageFee": amount}}
    )

    assert codes(errors) == ["BAD_USER_INPUT"]
    assert (await _list(api))["totalCount"] == 0


async def test_customers_page_in_id_order_with_cursors_and_a_total(api):
    ids = [(await create_customer(api))["id"] for _ in range(5)]

    first = await _list(api, first=2)
    second = await _list(api, first=2, after=first["pageInfo"]["endCursor"])
    last = await _list(api, first=2, after=second["pageInfo"]["endCursor"])

    assert [[n["id"] for n in page["nodes"]] for page in (first, second, last)] == [
        ids[:2],
        ids[2:4],
        ids[4:],
    ]
    assert [page["pageInfo"]["hasNextPage"] for page in (first, second, last)] == [
        True,
        True,
        False,
    ]
    assert {page["totalCount"] for page in (first, second, last)} == {5}


async def test_customers_filter_by_id_and_dates(api):
    ids = [(await create_customer(api))["id"] for _ in range(4)]
    for hour, ident in enumerate(ids):
        await _set_dates(api, ident, datetime(2026, 1, 1, hour, tzinfo=UTC))

    after_first = await _list(api, idAfter=ids[0])
    created = await _list(api, createdSince="2026-01-01T02:00:00Z")
    updated = await _list(api, idAfter=int(ids[0]), updatedSince="2026-01-01T01:00:00+00:00")

    assert [n["id"] for n in after_first["nodes"]] == ids[1:]
    assert [n["id"] for n in created["nodes"]] == ids[2:]
    assert [n["id"] for n in updated["nodes"]] == ids[1:]
    assert updated["totalCount"] == 3


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ({"idAfter": "abc"}, "idAfter"),
        ({"createdSince": "yesterday"}, "createdSince"),
        ({"first": 1001}, "first"),
        ({"after": base64.urlsafe_b64encode(b"billingRun:1").decode()}, "after"),
    ],
)
async def test_a_bad_list_argument_is_bad_user_input(api, arguments, argument):
    await create_customer(api)

    errors = await errors_of(api, LIST_CUSTOMERS, arguments)

    assert codes(errors) == ["BAD_USER_INPUT"]
    assert argument in errors[0]["message"]


async def test_a_customer_lists_its_invoices_calls_and_transactions(api):
    customer = await create_customer(api, accountNumber="KIDS")
    other = await create_customer(api)
    await add_calls(api, call_input(customer, charge="1.2345"), call_input(other))
    await add_transactions(api, transaction_input(customer, amount="-0.50"))
    await bill(api)
    await add_calls(api, call_input(customer, charge="2.00"))

    found = (await api.gql(CUSTOMER_CHILDREN, {"id": customer["id"]}))["customer"]

    assert found["invoices"]["totalCount"] == 1
    assert found["invoices"]["nodes"] == [{"number": "KIDS/1", "customer": {"id": customer["id"]}}]
    assert found["calls"]["totalCount"] == 2
    assert [c["charge"] for c in found["calls"]["nodes"]] == ["1.2345", "2.00"]
    assert found["calls"]["nodes"][1]["invoiceId"] is None
    assert [t["amount"] for t in found["transactions"]["nodes"]] == ["-0.50"]


async def test_a_customer_reads_the_same_through_rest_and_graphql(api):
    await create_preset(api, "billingSubrun", "North")
    through_graphql = await create_customer(
        api, subrun="North", lowValuePolicy="PAD", minimumAmount="10.10", lowUsageFee="0.5"
    )
    through_rest = await api.rest_json(
        "POST",
        "/customers/",
        201,
        json={"accountNumber": "RESTONE", "name": "Over REST", "minimumAmount": 7.25},
    )

    for customer_id in (through_graphql["id"], through_rest["id"]):
        rest = as_graphql(await rest_exact(api, f"/customers/{customer_id}"), *MONEY)
        graphql = (await api.gql(GET_CUSTOMER, {"id": customer_id}))["customer"]
        assert rest == graphql
    assert through_graphql["minimumAmount"] == "10.10"


async def _set_dates(api, customer_id: str, when: datetime) -> None:
    with api.database():
        await Customer.filter(id=int(customer_id)).update(created_date=when, updated_date=when)
