"""preBillingReport: what a run would produce now, by the engine's own code. It agrees
with what the run then produces, customer by customer, and writes nothing."""

from __future__ import annotations

import pytest

from billing import engine
from billing.settings import Settings
from tests.schema.billing_data import (
    READY,
    add_calls,
    add_transactions,
    call_input,
    create_customer,
    transaction_input,
)
from tests.schema.helpers import codes, create_preset, create_run, errors_of, request_bills

REPORT = """
query Report($id: ID!) {
  preBillingReport(billingRunId: $id) {
    customerId
    customer { accountNumber }
    callTotal
    callCount
    transactionTotal
    transactionCount
    adjustment
    total
    produced
    reason
  }
}
"""

RESULT = """
query Result($id: ID!) {
  billingRun(id: $id) {
    status
    invoices(first: 1000) {
      nodes {
        customerId callTotal callCount transactionTotal transactionCount adjustment total
      }
    }
    notProduced { customerId reason amount }
  }
  calls(billed: false) { totalCount }
  transactions(billed: false) { totalCount }
  invoices { totalCount }
}
"""


@pytest.fixture
def zone() -> str:
    """The server's BILLING_TIMEZONE (a test parametrizes `zone` to change it)."""
    return "UTC"


@pytest.fixture
def settings(database_url: str, zone: str) -> Settings:
    return Settings(database_url=database_url, run_engine=False, billing_timezone=zone)


async def _report(api, run_id: str) -> list[dict] | None:
    return (await api.gql(REPORT, {"id": run_id}))["preBillingReport"]


async def _every_kind_of_customer(api) -> None:
    """Customers who are invoiced plainly, padded, charged a fee, skipped, credited or empty."""
    await create_preset(api, "transactionType", "Rental")
    plain = await create_customer(api, accountNumber="PLAIN")
    padded = await create_customer(
        api, accountNumber="PAD", lowValuePolicy="PAD", minimumAmount="20"
    )
    fee = await create_customer(
        api, accountNumber="FEE", lowValuePolicy="FEE", minimumAmount="5", lowUsageFee="1.50"
    )
    skipped = await create_customer(
        api, accountNumber="SKIP", lowValuePolicy="SKIP", minimumAmount="5"
    )
    credit = await create_customer(
        api, accountNumber="CREDIT", lowValuePolicy="SKIP", minimumAmount="5"
    )
    netting = await create_customer(api, accountNumber="ZERO")
    await create_customer(api, accountNumber="EMPTY")
    await add_calls(
        api,
        call_input(plain, charge="1.2345"),
        call_input(plain, charge="2.0001"),
        call_input(padded, charge="5.00"),
        call_input(fee, charge="0.125"),
        call_input(skipped, charge="1.005"),
        call_input(netting, charge="3.00"),
        # After the cutoff: left for a later run.
        call_input(plain, startTime="2026-12-01T00:00:00Z", charge="99.00"),
    )
    await add_transactions(
        api,
        transaction_input(plain, amount="10.00"),
        transaction_input(credit, amount="-7.5"),
        transaction_input(netting, amount="-3.00"),
        transaction_input(fee, transactionDate="2026-11-01", billDate="2026-12-05"),
    )


def _as_invoice(line: dict) -> dict:
    keys = ("customerId", "callTotal", "callCount", "transactionTotal", "transactionCount")
    return {
        **{key: line[key] for key in keys},
        "adjustment": line["adjustment"],
        "total": line["total"],
    }


async def test_the_report_agrees_with_what_the_run_then_produces_customer_by_customer(api):
    await _every_kind_of_customer(api)
    run = await create_run(api, **READY)

    report = await _report(api, run["id"])
    assert (await request_bills(api, run["id"]))["userErrors"] == []
    with api.database():
        await engine.bill(int(run["id"]), "UTC")
    result = (await api.gql(RESULT, {"id": run["id"]}))["billingRun"]

    assert [_as_invoice(line) for line in report if line["produced"]] == result["invoices"]["nodes"]
    assert [
        {"customerId": line["customerId"], "reason": line["reason"], "amount": line["total"]}
        for line in report
        if not line["produced"]
    ] == result["notProduced"]
    by_account = {line["customer"]["accountNumber"]: line for line in report}
    assert list(by_account) == ["PLAIN", "PAD", "FEE", "SKIP", "CREDIT", "ZERO", "EMPTY"]
    assert {
        account: (line["callTotal"], line["transactionTotal"], line["adjustment"], line["total"])
        for account, line in by_account.items()
    } == {
        "PLAIN": ("3.2346", "10.00", "0.00", "13.23"),
        "PAD": ("5.00", "0.00", "15.00", "20.00"),
        "FEE": ("0.1250", "0.00", "1.50", "1.63"),
        "SKIP": ("1.0050", "0.00", "0.00", "1.01"),
        "CREDIT": ("0.00", "-7.50", "0.00", "-7.50"),
        "ZERO": ("3.00", "-3.00", "0.00", "0.00"),
        "EMPTY": ("0.00", "0.00", "0.00", "0.00"),
    }
    assert [(a, line["reason"]) for a, line in by_account.items() if not line["produced"]] == [
        ("SKIP", "TOO_LOW"),
        ("EMPTY", "EMPTY"),
    ]


async def test_the_report_writes_nothing(api):
    await _every_kind_of_customer(api)
    run = await create_run(api, **READY)
    before = await api.gql(RESULT, {"id": run["id"]})

    first = await _report(api, run["id"])
    second = await _report(api, run["id"])

    assert first == second
    assert await api.gql(RESULT, {"id": run["id"]}) == before
    assert before["billingRun"]["status"] == "Pending"
    assert before["invoices"]["totalCount"] == 0
    assert before["calls"]["totalCount"] == 7


async def test_a_completed_run_has_nothing_left_to_report(api):
    await _every_kind_of_customer(api)
    run = await create_run(api, **READY)
    await request_bills(api, run["id"])
    with api.database():
        await engine.bill(int(run["id"]), "UTC")

    assert await _report(api, run["id"]) == []


@pytest.mark.parametrize("run_id", ["999999", "99999999999", "abc"])
async def test_the_report_of_an_unknown_run_is_null(api, run_id):
    assert await _report(api, run_id) is None


async def test_a_run_without_a_cutoff_date_cannot_be_reported_on(api):
    run = await create_run(api, invoiceDate="2026-12-01")

    errors = await errors_of(api, REPORT, {"id": run["id"]})

    assert codes(errors) == ["BAD_USER_INPUT"]
    assert "cutoffDate" in errors[0]["message"]


@pytest.mark.parametrize(("zone", "included"), [("UTC", True), ("Europe/London", False)])
async def test_the_report_cuts_calls_off_at_midnight_in_the_billing_timezone(api, zone, included):
    customer = await create_customer(api)
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST, UTC+1): after its midnight.
    await add_calls(api, call_input(customer, startTime="2026-06-30T23:30:00Z", charge="4.00"))
    run = await create_run(api, invoiceDate="2026-07-01", cutoffDate="2026-07-01")

    (line,) = await _report(api, run["id"])

    assert (line["produced"], line["callTotal"]) == (
        (True, "4.00") if included else (False, "0.00")
    )
