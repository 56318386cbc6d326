"""Invoices over GraphQL: the type with exact money, its links (customer, run, calls,
transactions), the connection and its billingRunId filter, a run's invoices and
not-produced lines, and the same invoices and lines read through REST."""

from __future__ import annotations

import pytest

from tests.schema.billing_data import (
    GET_INVOICE,
    INVOICE_FIELDS,
    add_calls,
    add_transactions,
    as_graphql,
    bill,
    call_input,
    create_customer,
    rest_exact,
    transaction_input,
)
from tests.schema.helpers import codes, create_preset, errors_of

LIST_INVOICES = (
    INVOICE_FIELDS
    + """
query ListInvoices($billingRunId: ID, $first: Int = 100, $after: String, $idAfter: ID) {
  invoices(billingRunId: $billingRunId, first: $first, after: $after, idAfter: $idAfter) {
    totalCount
    nodes { ...InvoiceFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
)

RUN_RESULT = (
    INVOICE_FIELDS
    + """
query RunResult($id: ID!, $first: Int = 100, $after: String) {
  billingRun(id: $id) {
    status
    invoiceAmount
    invoices(first: $first, after: $after) {
      totalCount
      nodes { ...InvoiceFields }
      edges { cursor node { id } }
      pageInfo { hasNextPage endCursor }
    }
    notProduced { customerId reason amount customer { accountNumber } }
  }
}
"""
)

INVOICE_LINKS = """
query InvoiceLinks($id: ID!) {
  invoice(id: $id) {
    customer { accountNumber }
    billingRun { id status }
    calls { totalCount nodes { charge invoiceId } }
    transactions { totalCount nodes { amount invoiceId } }
  }
}
"""

MONEY = ("callTotal", "transactionTotal", "adjustment", "total")


async def _four_customers_and_one_empty(api) -> dict[str, dict]:
    """Customers whose invoices show each money rule, with their charges."""
    await create_preset(api, "invoiceMessage", "Thanks", "Thank you")
    customers = {
        "plain": await create_customer(api, accountNumber="DEMO1234", invoiceMessage="Thanks"),
        "padded": await create_customer(api, lowValuePolicy="PAD", minimumAmount="20.00"),
        "fee": await create_customer(
            api, lowValuePolicy="FEE", minimumAmount="5.00", lowUsageFee="1.50"
        ),
        "skipped": await create_customer(api, lowValuePolicy="SKIP", minimumAmount="5.00"),
        "empty": await create_customer(api),
    }
    await add_calls(
        api,
        call_input(customers["plain"], charge="1.2345"),
        call_input(customers["plain"], charge="0.0001"),
        call_input(customers["padded"], charge="5.00"),
        call_input(customers["fee"], charge="0.125"),
        call_input(customers["skipped"], charge="1.005"),
    )
    await add_transactions(api, transaction_input(customers["plain"], amount="10.00"))
    return customers


async def _run_result(api, run_id: str, **arguments) -> dict:
    return (await api.gql(RUN_RESULT, {"id": run_id, **arguments}))["billingRun"]


async def test_a_billed_run_lists_its_invoices_with_exact_money(api):
    customers = await _four_customers_and_one_empty(api)
    run_id = await bill(api)

    run = await _run_result(api, run_id)

    invoices = run["invoices"]["nodes"]
    assert run["status"] == "Complete"
    assert [i["customerId"] for i in invoices] == [
        customers[name]["id"] for name in ("plain", "padded", "fee")
    ]
    assert [
        (i["callTotal"], i["transactionTotal"], i["adjustment"], i["total"]) for i in invoices
    ] == [
        ("1.2346", "10.00", "0.00", "11.23"),
        ("5.00", "0.00", "15.00", "20.00"),
        ("0.1250", "0.00", "1.50", "1.63"),
    ]
    assert run["invoiceAmount"] == "32.86"
    assert run["invoices"]["totalCount"] == 3
    plain = invoices[0]
    assert (plain["number"], plain["message"], plain["billingRunId"]) == (
        "DEMO1234/1",
        "Thank you",
        run_id,
    )
    assert (plain["invoiceDate"], plain["dueDate"], plain["periodEnded"]) == (
        "2026-12-01",
        "2026-12-15",
        "2026-11-30",
    )
    assert (plain["callCount"], plain["transactionCount"]) == (2, 1)


async def test_a_run_lists_the_customers_it_did_not_invoice_by_customer_id(api):
    customers = await _four_customers_and_one_empty(api)
    run_id = await bill(api)

    run = await _run_result(api, run_id)

    assert run["notProduced"] == [
        {
            "customerId": customers["skipped"]["id"],
            "reason": "TOO_LOW",
            "amount": "1.01",
            "customer": {"accountNumber": customers["skipped"]["accountNumber"]},
        },
        {
            "customerId": customers["empty"]["id"],
            "reason": "EMPTY",
            "amount": "0.00",
            "customer": {"accountNumber": customers["empty"]["accountNumber"]},
        },
    ]


async def test_a_pending_run_has_no_invoices_and_an_amount_of_zero(api):
    await _four_customers_and_one_empty(api)
    run_id = (
        await api.gql('mutation { createBillingRun(input: {name: "R"}) { billingRun { id } } }')
    )["createBillingRun"]["billingRun"]["id"]

    run = await _run_result(api, run_id)

    assert run["invoiceAmount"] == "0.00"
    assert run["invoices"]["nodes"] == [] and run["invoices"]["totalCount"] == 0
    assert run["notProduced"] == []


async def test_a_run_s_invoices_page_through_cursors(api):
    for _ in range(5):
        await add_calls(api, call_input(await create_customer(api)))
    run_id = await bill(api)
    every = [i["id"] for i in (await _run_result(api, run_id))["invoices"]["nodes"]]

    pages = []
    after = None
    while True:
        page = (await _run_result(api, run_id, first=2, after=after))["invoices"]
        pages.append([node["id"] for node in page["nodes"]])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]

    assert pages == [every[:2], every[2:4], every[4:]]
    assert len(every) == 5


async def test_an_invoice_links_to_its_customer_run_and_charges(api):
    customers = await _four_customers_and_one_empty(api)
    run_id = await bill(api)
    (invoice,) = [
        i
        for i in (await _run_result(api, run_id))["invoices"]["nodes"]
        if i["customerId"] == customers["plain"]["id"]
    ]

    found = (await api.gql(INVOICE_LINKS, {"id": invoice["id"]}))["invoice"]

    assert found["customer"] == {"accountNumber": "DEMO1234"}
    assert found["billingRun"] == {"id": run_id, "status": "Complete"}
    assert found["calls"]["totalCount"] == 2
    assert found["calls"]["nodes"] == [
        {"charge": "1.2345", "invoiceId": invoice["id"]},
        {"charge": "0.0001", "invoiceId": invoice["id"]},
    ]
    assert found["transactions"]["nodes"] == [{"amount": "10.00", "invoiceId": invoice["id"]}]


async def test_invoices_filter_by_billing_run_and_page(api):
    customer = await create_customer(api, accountNumber="TWICE")
    await add_calls(api, call_input(customer))
    first_run = await bill(api)
    await add_calls(api, call_input(customer, startTime="2026-12-20T10:00:00Z"))
    second_run = await bill(api, invoiceDate="2027-01-01", cutoffDate="2027-01-01", dueDate=None)

    every = (await api.gql(LIST_INVOICES))["invoices"]
    of_second = (await api.gql(LIST_INVOICES, {"billingRunId": second_run}))["invoices"]
    first_page = (await api.gql(LIST_INVOICES, {"first": 1}))["invoices"]
    unknown = (await api.gql(LIST_INVOICES, {"billingRunId": "99999999999"}))["invoices"]

    assert [(i["number"], i["billingRunId"]) for i in every["nodes"]] == [
        ("TWICE/1", first_run),
        ("TWICE/2", second_run),
    ]
    assert [i["number"] for i in of_second["nodes"]] == ["TWICE/2"]
    assert of_second["totalCount"] == 1
    assert [i["number"] for i in first_page["nodes"]] == ["TWICE/1"]
    assert first_page["pageInfo"]["hasNextPage"] is True and first_page["totalCount"] == 2
    assert unknown["nodes"] == [] and unknown["totalCount"] == 0


@pytest.mark.parametrize("ident", ["999999", "abc"])
async def test_an_unknown_invoice_reads_as_null(api, ident):
    assert (await api.gql(GET_INVOICE, {"id": ident}))["invoice"] is None


@pytest.mark.parametrize("run_id", ["abc", "-1", "9223372036854775808"])
async def test_a_malformed_billing_run_id_filter_is_bad_user_input(api, run_id):
    errors = await errors_of(api, LIST_INVOICES, {"billingRunId": run_id})

    assert codes(errors) == ["BAD_USER_INPUT"]
    assert "billingRunId" in errors[0]["message"]


async def test_invoices_and_not_produced_lines_read_the_same_through_rest_and_graphql(api):
    await _four_customers_and_one_empty(api)
    run_id = await bill(api)
    run = await _run_result(api, run_id)

    for invoice in run["invoices"]["nodes"]:
        rest = as_graphql(await rest_exact(api, f"/invoices/{invoice['id']}"), *MONEY)
        assert rest == invoice == (await api.gql(GET_INVOICE, {"id": invoice["id"]}))["invoice"]
    rest_lines = await rest_exact(api, f"/billingRuns/{run_id}/notProduced")
    assert [as_graphql(line, "amount") for line in rest_lines] == [
        {key: line[key] for key in ("customerId", "reason", "amount")}
        for line in run["notProduced"]
    ]
    rest_run = await rest_exact(api, f"/billingRuns/{run_id}")
    assert str(rest_run["invoiceAmount"]) == run["invoiceAmount"]
