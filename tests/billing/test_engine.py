"""The billing engine's rules, pinned on a real database (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

from billing import engine, runs
from billing.money import from_units
from billing.sql import Sql
from models import BillingRunStatus, Call, ChargeTransaction, Invoice
from tests.billing.builders import (
    billed_run,
    call,
    customer,
    invoice_of,
    not_produced_of,
    transaction,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def money(units: int) -> Decimal:
    return from_units(units)


# --- cutoffs -------------------------------------------------------------------------


async def test_a_call_a_second_before_the_cutoff_is_billed_and_one_at_midnight_is_not(database):
    with database:
        owner = await customer()
        before = await call(owner, utc(2026, 11, 30, 23, 59, 59), "1.00")
        at_midnight = await call(owner, utc(2026, 12, 1, 0, 0, 0), "2.00")

        run = await billed_run()

        invoice = await invoice_of(owner)
        assert (await Call.get(id=before.id)).invoice_id == invoice.id
        assert (await Call.get(id=at_midnight.id)).invoice_id is None
        assert money(invoice.total) == Decimal("1.00")
        assert run.status == BillingRunStatus.COMPLETE


async def test_the_billing_timezone_moves_the_call_cutoff_across_a_clock_change(database):
    # Europe/London: midnight of 2026-03-29 is 00:00 UTC (GMT); the clocks go forward at
    # 01:00 that night, so midnight of 2026-03-30 is 23:00 UTC the day before (BST).
    with database:
        winter, summer = await customer(), await customer()
        await call(winter, utc(2026, 3, 28, 23, 59, 59), "1.00")  # before GMT midnight
        late_winter = await call(winter, utc(2026, 3, 29, 0, 0, 0), "1.00")  # at it
        await call(summer, utc(2026, 3, 29, 22, 59, 59), "1.00")  # before BST midnight
        late_summer = await call(summer, utc(2026, 3, 29, 23, 0, 0), "1.00")  # at it

        first = await billed_run("Europe/London", invoiceDate="2026-03-29", cutoffDate="2026-03-29")
        assert (await invoice_of(winter, first.id)).call_count == 1
        assert (await Call.get(id=late_winter.id)).invoice_id is None

        # Both summer calls are after the first cutoff; the second cutoff takes one.
        second = await billed_run(
            "Europe/London", invoiceDate="2026-03-30", cutoffDate="2026-03-30"
        )
        assert (await invoice_of(summer, second.id)).call_count == 1
        assert (await Call.get(id=late_summer.id)).invoice_id is None
        assert (await Call.get(id=late_winter.id)).invoice_id is not None


async def test_a_transaction_is_billed_by_its_bill_date_before_the_cutoff(database):
    with database:
        owner = await customer()
        billed_early = await transaction(owner, "5.00", date(2026, 12, 20), date(2026, 11, 30))
        billed_late = await transaction(owner, "7.00", date(2026, 11, 1), date(2026, 12, 1))
        by_date = await transaction(owner, "1.00", date(2026, 11, 30))
        on_cutoff = await transaction(owner, "3.00", date(2026, 12, 1))

        await billed_run()

        invoice = await invoice_of(owner)
        billed = {t.id for t in await ChargeTransaction.filter(invoice_id=invoice.id)}
        assert billed == {billed_early.id, by_date.id}
        assert not billed & {billed_late.id, on_cutoff.id}
        assert money(invoice.transaction_total) == Decimal("6.00")


async def test_a_transaction_cutoff_includes_its_own_date_and_ignores_bill_dates(database):
    with database:
        owner = await customer()
        on_it = await transaction(owner, "2.00", date(2026, 12, 10), date(2027, 1, 31))
        after = await transaction(owner, "4.00", date(2026, 12, 11), date(2026, 11, 1))

        await billed_run(transactionCutoffDate="2026-12-10")

        invoice = await invoice_of(owner)
        assert [t.id for t in await ChargeTransaction.filter(invoice_id=invoice.id)] == [on_it.id]
        assert (await ChargeTransaction.get(id=after.id)).invoice_id is None


# --- empty and low-value invoices ------------------------------------------------------


async def test_a_customer_without_charges_gets_no_invoice_and_an_empty_line(database):
    with database:
        owner = await customer()

        run = await billed_run()

        line = await not_produced_of(owner, run.id)
        assert (line.reason, line.amount) == ("EMPTY", 0)
        assert await invoice_of(owner) is None
        assert (run.invoices_produced, run.invoices_not_produced) == (0, 1)


async def test_charges_that_net_to_zero_are_not_empty(database):
    with database:
        produced = await customer()
        skipped = await customer(policy="SKIP", minimum="10.00")
        for owner in (produced, skipped):
            await call(owner, utc(2026, 11, 2), "3.50")
            await transaction(owner, "-3.50", date(2026, 11, 2))

        run = await billed_run()

        invoice = await invoice_of(produced)
        assert money(invoice.total) == Decimal("0.00")
        assert (invoice.call_count, invoice.transaction_count) == (1, 1)
        assert (await not_produced_of(skipped, run.id)).reason == "TOO_LOW"


async def test_skip_leaves_a_low_invoice_unproduced_and_its_charges_for_a_later_run(database):
    with database:
        owner = await customer(policy="SKIP", minimum="10.00")
        low = await call(owner, utc(2026, 11, 2), "9.995")

        run = await billed_run()

        line = await not_produced_of(owner, run.id)
        assert line.reason == "TOO_LOW"
        assert money(line.amount) == Decimal("10.00")  # the rounded subtotal
        assert (await Call.get(id=low.id)).invoice_id is None
        assert await invoice_of(owner) is None


async def test_the_minimum_compares_the_exact_subtotal(database):
    with database:
        exactly = await customer(policy="SKIP", minimum="10.00")
        await call(exactly, utc(2026, 11, 2), "10.00")

        await billed_run()

        assert money((await invoice_of(exactly)).total) == Decimal("10.00")


async def test_pad_adds_an_adjustment_up_to_the_minimum(database):
    with database:
        owner = await customer(policy="PAD", minimum="15.00")
        await call(owner, utc(2026, 11, 2), "4.1234")

        await billed_run()

        invoice = await invoice_of(owner)
        assert money(invoice.adjustment) == Decimal("10.8766")
        assert money(invoice.total) == Decimal("15.00")


async def test_fee_adds_the_low_usage_fee(database):
    with database:
        owner = await customer(policy="FEE", minimum="15.00", fee="2.50")
        await call(owner, utc(2026, 11, 2), "4.1234")

        await billed_run()

        invoice = await invoice_of(owner)
        assert money(invoice.adjustment) == Decimal("2.50")
        assert money(invoice.total) == Decimal("6.62")  # 6.6234 rounded once


async def test_none_produces_a_low_invoice_as_it_is(database):
    with database:
        owner = await customer(policy="NONE", minimum="15.00", fee="2.50")
        await call(owner, utc(2026, 11, 2), "1.00")

        await billed_run()

        invoice = await invoice_of(owner)
        assert (money(invoice.adjustment), money(invoice.total)) == (
            Decimal("0.00"),
            Decimal("1.00"),
        )


async def test_a_negative_subtotal_is_a_credit_invoice_whatever_the_policy(database):
    with database:
        owner = await customer(policy="SKIP", minimum="10.00")
        await call(owner, utc(2026, 11, 2), "1.00")
        await transaction(owner, "-6.005", date(2026, 11, 3))

        await billed_run()

        invoice = await invoice_of(owner)
        assert money(invoice.total) == Decimal("-5.01")  # half-up: away from zero
        assert money(invoice.adjustment) == Decimal("0.00")


# --- totals, messages, scope and numbering ---------------------------------------------


async def test_totals_are_exact_where_floats_are_not_and_round_once_per_invoice(database):
    with database:
        owner = await customer()
        for _ in range(10):
            await call(owner, utc(2026, 11, 2), "0.1")
        for _ in range(20):
            await call(owner, utc(2026, 11, 2), "0.2")
        await call(owner, utc(2026, 11, 3), "0.0049")
        await call(owner, utc(2026, 11, 3), "0.0001")
        other = await customer()
        for _ in range(3):
            await call(other, utc(2026, 11, 2), "0.0015")  # 0.0045: rounds down, once

        run = await billed_run()

        invoice = await invoice_of(owner)
        assert sum([0.1] * 10 + [0.2] * 20) != 5.0  # what floats would have billed
        assert money(invoice.call_total) == Decimal("5.0050")
        assert money(invoice.total) == Decimal("5.01")
        assert money((await invoice_of(other)).total) == Decimal("0.00")
        assert run.invoice_amount == Decimal("5.01")


async def test_the_runs_invoice_message_overrides_the_customers(database):
    with database:
        plain = await customer(message="Default")
        other = await customer(message="Default")
        await call(plain, utc(2026, 11, 2), "1.00")
        await call(other, utc(2026, 11, 2), "1.00")

        await billed_run(cutoffDate="2026-11-03", invoiceDate="2026-11-03")
        assert (await invoice_of(plain)).message == "Default text"

        await call(other, utc(2026, 11, 10), "1.00")
        await customer(message="Seasonal")  # creates the preset
        run = await billed_run(invoiceMessage="Seasonal")
        assert (await invoice_of(other, run.id)).message == "Seasonal text"


async def test_a_run_bills_its_subrun_and_a_run_without_one_bills_customers_without_one(
    database,
):
    with database:
        north = await customer(subrun="North")
        south = await customer(subrun="South")
        nowhere = await customer()
        for owner in (north, south, nowhere):
            await call(owner, utc(2026, 11, 2), "1.00")

        north_run = await billed_run(subrun="North")
        plain_run = await billed_run()

        assert (await invoice_of(north)).billing_run_id == north_run.id
        assert (await invoice_of(nowhere)).billing_run_id == plain_run.id
        assert await invoice_of(south) is None
        assert north_run.customers_in_scope == 1 and plain_run.customers_in_scope == 1


async def test_invoice_numbers_count_produced_invoices_only(database):
    with database:
        owner = await customer(policy="SKIP", minimum="5.00")
        await call(owner, utc(2026, 10, 2), "6.00")
        first = await billed_run(invoiceDate="2026-11-01", cutoffDate="2026-11-01")
        await billed_run(invoiceDate="2026-11-15", cutoffDate="2026-11-15")  # empty: no number
        await call(owner, utc(2026, 11, 20), "1.00")
        await billed_run(invoiceDate="2026-11-25", cutoffDate="2026-11-25")  # too low: none
        await call(owner, utc(2026, 11, 26), "5.00")
        last = await billed_run()

        numbers = [i.number for i in await Invoice.filter(customer_id=owner.id).order_by("id")]
        assert numbers == [f"{owner.account_number}/1", f"{owner.account_number}/2"]
        assert (await invoice_of(owner, first.id)).number.endswith("/1")
        assert money((await invoice_of(owner, last.id)).total) == Decimal("6.00")


async def test_a_second_run_bills_only_what_the_first_left(database):
    with database:
        owner = await customer()
        early = await call(owner, utc(2026, 10, 30), "1.00")
        late = await call(owner, utc(2026, 11, 15), "2.00")
        credit = await transaction(owner, "-0.50", date(2026, 11, 20))

        first = await billed_run(invoiceDate="2026-11-01", cutoffDate="2026-11-01")
        second = await billed_run()

        one, two = await invoice_of(owner, first.id), await invoice_of(owner, second.id)
        assert (await Call.get(id=early.id)).invoice_id == one.id
        assert (await Call.get(id=late.id)).invoice_id == two.id
        assert (await ChargeTransaction.get(id=credit.id)).invoice_id == two.id
        assert (money(one.total), money(two.total)) == (Decimal("1.00"), Decimal("1.50"))
        assert await Call.filter(invoice_id__isnull=True).count() == 0


async def test_invoices_carry_the_runs_dates_and_the_period_ends_the_day_before_cutoff(
    database,
):
    with database:
        owner = await customer()
        await call(owner, utc(2026, 11, 2), "1.00")

        await billed_run(invoiceDate="2026-12-02", cutoffDate="2026-12-01", dueDate="2026-12-16")

        invoice = await invoice_of(owner)
        assert (invoice.invoice_date, invoice.due_date, invoice.period_ended) == (
            date(2026, 12, 2),
            date(2026, 12, 16),
            date(2026, 11, 30),
        )


# --- the run's life ---------------------------------------------------------------------


async def test_a_billed_run_is_complete_with_its_progress_and_dates(database):
    with database:
        owners = [await customer() for _ in range(5)]
        for owner in owners[:3]:
            await call(owner, utc(2026, 11, 2), "1.25")

        run = await billed_run(chunk_size=2)

        assert run.status == BillingRunStatus.COMPLETE
        assert run.commenced_date <= run.completed_date
        assert (run.customers_in_scope, run.customers_done) == (5, 5)
        assert (run.invoices_produced, run.invoices_not_produced) == (3, 2)
        assert run.invoice_amount == Decimal("3.75")


async def test_a_completed_run_frees_its_subrun_for_the_next_request(database):
    with database:
        await billed_run()
        second = await runs.create_run(
            {"name": "Next", "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01"}
        )

        requested = await runs.request_bills(second.id)

        assert requested.status == BillingRunStatus.REQUESTED


async def test_the_pre_billing_report_matches_what_the_run_produces(database):
    with database:
        owners = [
            await customer(),
            await customer(policy="SKIP", minimum="5.00"),
            await customer(policy="PAD", minimum="5.00"),
            await customer(policy="FEE", minimum="5.00", fee="1.00"),
            await customer(),
        ]
        for i, owner in enumerate(owners[:4]):
            await call(owner, utc(2026, 11, 2), f"{i + 1}.1234")
            await transaction(owner, "-0.0050", date(2026, 11, 3))
        run = await runs.create_run(
            {"name": "Run", "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01"}
        )

        report = await engine.pre_billing(await engine.load_run(run.id, "UTC"))
        unchanged = await Call.filter(invoice_id__isnull=False).count()
        await runs.request_bills(run.id)
        await engine.bill(run.id, "UTC", chunk_size=2)

        assert unchanged == 0  # the report wrote nothing
        for line in report:
            owner = next(o for o in owners if o.id == line.terms.customer_id)
            invoice = await invoice_of(owner, run.id)
            if line.produced:
                assert (invoice.call_total, invoice.transaction_total) == (
                    line.charges.call_total,
                    line.charges.transaction_total,
                )
                assert (invoice.adjustment, invoice.total) == (line.adjustment, line.total)
            else:
                missing = await not_produced_of(owner, run.id)
                assert invoice is None
                assert (missing.reason, missing.amount) == (line.reason, line.total)
        assert len(report) == len(owners)


async def test_a_charge_changed_between_the_sum_and_the_claim_makes_the_chunk_start_again(
    database,
):
    with database:
        owner = await customer()
        await call(owner, utc(2026, 11, 2), "1.00")
        changed = await transaction(owner, "2.00", date(2026, 11, 3))
        run = await runs.create_run(
            {"name": "Run", "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01"}
        )
        await runs.request_bills(run.id)
        terms = await engine.load_run(run.id, "UTC")
        await engine.start(terms, chunk_size=10)

        async with in_transaction() as conn:  # the chunk's transaction, rolled back
            sql = Sql(conn)
            members = "SELECT CAST(? AS BIGINT)"
            outcomes = await engine._outcomes(sql, members, [owner.id], terms.cutoffs)
            await ChargeTransaction.filter(id=changed.id).using_db(conn).update(amount=30_000)
            await engine._insert_invoices(sql, terms, outcomes, datetime.now(UTC))
            with pytest.raises(engine.ChunkChanged):
                await engine._claim(sql, terms, outcomes, datetime.now(UTC))
            await conn.rollback()

        await engine.bill(run.id, "UTC")  # the chunk again, from the start

        assert money((await invoice_of(owner, run.id)).total) == Decimal("3.00")


async def test_every_step_of_the_engine_that_changes_the_run_bumps_its_version(database):
    # Followers (the progress subscription) and conditional writes both go by the version:
    # a step that changes what a client sees without bumping it can go unseen.
    with database:
        for _ in range(3):
            await call(await customer(), utc(2026, 11, 2), "1.25")
        run = await runs.create_run(
            {"name": "Run", "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01"}
        )
        seen = [await runs.request_bills(run.id)]
        terms = await engine.load_run(run.id, "UTC")
        assert terms is not None

        assert await engine.start(terms, chunk_size=2)
        seen.append(await runs.get_run(run.id))
        while await engine.bill_next_chunk(terms):
            seen.append(await runs.get_run(run.id))
        assert await engine.complete(terms)
        seen.append(await runs.get_run(run.id))
        assert not await engine.complete(terms)  # already Complete: no write, no bump
        assert await runs.get_run(run.id) == seen[-1]

        assert [(r.status, r.customers_done) for r in seen] == [
            ("Requested", 0),
            ("Running", 0),
            ("Running", 2),
            ("Running", 3),
            ("Complete", 3),
        ]
        assert seen[-1].invoice_amount == Decimal("3.75")
        versions = [r.version for r in seen]
        assert versions == sorted(set(versions)), versions
