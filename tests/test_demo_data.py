"""`server.py demo-data`: presets, customers, charges and a Pending run a newcomer can bill."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from billing import engine, runs
from billing.demo import DemoPlan, create_demo_data, first_of_next_month
from billing.money import from_units
from models import (
    BillingRun,
    Call,
    ChargeTransaction,
    Customer,
    Invoice,
    InvoiceNotProduced,
    Preset,
)
from tests.conftest import run_server

TODAY = date(2026, 11, 20)


def plan(**changes: object) -> DemoPlan:
    fields = {"customers": 40, "calls_per_customer": 5, "transactions_per_customer": 3}
    return DemoPlan(**{**fields, "today": TODAY, **changes})


async def customers_made(first: int, count: int) -> list[dict]:
    accounts = [f"DEMO{n:04d}" for n in range(first, first + count)]
    return (
        await Customer.filter(account_number__in=accounts)
        .order_by("account_number")
        .values(
            "name",
            "low_value_policy",
            "minimum_amount",
            "low_usage_fee",
            "subrun__name",
            "invoice_message__name",
        )
    )


async def charges_of(first: int, count: int) -> tuple[list[dict], list[dict]]:
    accounts = [f"DEMO{n:04d}" for n in range(first, first + count)]
    calls = (
        await Call.filter(customer__account_number__in=accounts)
        .order_by("id")
        .values("start_time", "duration", "number_dialled", "charge")
    )
    transactions = (
        await ChargeTransaction.filter(customer__account_number__in=accounts)
        .order_by("id")
        .values("transaction_type__name", "transaction_date", "bill_date", "amount")
    )
    return calls, transactions


async def test_the_command_creates_the_data_and_says_how_to_bill_it(database, database_url):
    code, out, err = await run_server(
        "demo-data",
        "--customers",
        "12",
        "--calls-per-customer",
        "3",
        "--transactions-per-customer",
        "2",
        "--seed",
        "5",
        database_url=database_url,
    )

    assert code == 0, err
    assert "12 customers (DEMO0001 to DEMO0012)" in out
    assert "requestBills" in out and "Authorization: Bearer $KEY" in out
    with database:
        accounts = await Customer.all().order_by("id").values_list("account_number", flat=True)
        (run,) = await BillingRun.all().values("id", "status", "invoice_date", "cutoff_date")
        calls, transactions = await Call.all().count(), await ChargeTransaction.all().count()
    assert accounts == [f"DEMO{n:04d}" for n in range(1, 13)]
    assert f"{calls:,} calls and {transactions:,} transactions" in out
    assert 0 < calls <= 36 and calls % 3 == 0 and transactions == calls // 3 * 2
    assert run["status"] == "Pending"
    assert f"billing run {run['id']} " in out
    next_months = {
        first_of_next_month(datetime.now(UTC).date() + timedelta(days=d)) for d in (-1, 0)
    }
    assert run["invoice_date"] == run["cutoff_date"] and run["cutoff_date"] in next_months


async def test_a_count_below_zero_is_refused(database_url):
    code, _, err = await run_server("demo-data", "--customers", "-1", database_url=database_url)

    assert code == 2
    assert "must be a whole number, 0 or more" in err and "Traceback" not in err


async def test_the_data_mixes_policies_subruns_messages_credits_and_bill_dates(database):
    with database:
        summary = await create_demo_data(plan(customers=80))
        customers = await customers_made(1, 80)
        calls, transactions = await charges_of(1, 80)
        messages = await Preset.filter(kind="invoiceMessage").values_list("text", flat=True)

    assert summary.customers == 80 and summary.calls == len(calls)
    assert {c["low_value_policy"] for c in customers} == {"NONE", "SKIP", "PAD", "FEE"}
    assert {c["subrun__name"] for c in customers} == {None, "Business", "Wholesale"}
    assert None in {c["invoice_message__name"] for c in customers}
    assert all(messages)
    assert all(c["minimum_amount"] > 0 for c in customers if c["low_value_policy"] != "NONE")
    assert all(c["low_usage_fee"] > 0 for c in customers if c["low_value_policy"] == "FEE")
    window = datetime.combine(TODAY - timedelta(days=30), time(), tzinfo=UTC)
    assert all(window <= c["start_time"] < window + timedelta(days=30) for c in calls)
    assert any(t["amount"] < 0 for t in transactions)
    cutoff = first_of_next_month(TODAY)
    bill_dates = [t["bill_date"] for t in transactions if t["bill_date"] is not None]
    assert any(d < cutoff for d in bill_dates) and any(d >= cutoff for d in bill_dates)
    assert summary.run is not None and summary.run.invoice_date == cutoff


async def test_the_same_seed_makes_the_same_data_and_a_rerun_adds_more_customers(database):
    with database:
        first = await create_demo_data(plan(seed=7))
        second = await create_demo_data(plan(seed=7))
        other = await create_demo_data(plan(seed=8))
        made = [await customers_made(start, 40) for start in (1, 41, 81)]
        charges = [await charges_of(start, 40) for start in (1, 41, 81)]

    accounts = (first.first_account, second.first_account, other.first_account)
    assert accounts == ("DEMO0001", "DEMO0041", "DEMO0081")
    assert second.presets_created == 0 < first.presets_created
    assert made[0] == made[1] != made[2]
    assert charges[0] == charges[1] != charges[2]
    assert (first.calls, first.transactions) == (second.calls, second.transactions)


async def test_the_demo_run_bills_to_complete(database):
    with database:
        summary = await create_demo_data(plan(customers=30))
        assert summary.run is not None
        await runs.request_bills(summary.run.id)
        await engine.bill(summary.run.id, "UTC")
        run = await runs.get_run(summary.run.id)
        totals = await Invoice.filter(billing_run_id=run.id).values_list("total", flat=True)
        unbilled = await ChargeTransaction.filter(invoice_id=None).values_list(
            "customer_id", "bill_date", "customer__subrun_id"
        )
        too_low = await InvoiceNotProduced.filter(billing_run_id=run.id, reason="TOO_LOW")

    assert run.status == "Complete"
    assert run.customers_in_scope == summary.customers_in_run_scope
    assert run.invoices_produced + run.invoices_not_produced == run.customers_in_scope
    assert run.invoices_produced == len(totals) > 0
    assert run.invoice_amount == from_units(sum(totals))
    cutoff = first_of_next_month(TODAY)
    skipped = {line.customer_id for line in too_low}
    # What stays unbilled is out of scope (a subrun), skipped as too low, or billed later.
    assert unbilled and all(
        subrun is not None or customer in skipped or (bill and bill >= cutoff)
        for customer, bill, subrun in unbilled
    )
