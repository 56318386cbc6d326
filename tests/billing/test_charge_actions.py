"""The customer, charge and invoice actions as GraphQL calls them: typed values (dates,
datetimes, Decimals) as well as wire text, the batch loaders and the counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from billing import charges, customers, engine, invoices, presets, runs
from billing.errors import BillingError, ErrorCode
from billing.listing import ListFilter

EVERYTHING = ListFilter()


async def _customer(account: str = "ACC1", **fields) -> customers.CustomerRecord:
    return await customers.create_customer({"accountNumber": account, "name": "C", **fields})


def _call(customer_id: int, **fields) -> dict:
    return {
        "customerId": customer_id,
        "startTime": datetime(2026, 11, 20, 12, tzinfo=timezone(timedelta(hours=2))),
        "duration": 60,
        "numberDialled": "999",
        "charge": Decimal("1.5"),
        **fields,
    }


async def _billed() -> runs.RunRecord:
    run = await runs.create_run(
        {"name": "R", "invoiceDate": date(2026, 12, 1), "cutoffDate": date(2026, 12, 1)}
    )
    await runs.request_bills(run.id)
    await engine.bill(run.id, "UTC")
    return run


async def test_typed_values_are_accepted_and_times_stored_in_utc(database):
    with database:
        customer = await _customer(minimumAmount=Decimal("2.5"))
        assert customer.minimum_amount == Decimal("2.50")
        [call] = await charges.create_calls([_call(customer.id)])
        assert call.start_time == datetime(2026, 11, 20, 10, tzinfo=UTC)
        assert call.charge == Decimal("1.50")
        await presets.create_preset("transactionType", "Rental")
        made = await charges.create_transaction(
            {
                "customerId": str(customer.id),
                "transactionType": "Rental",
                "transactionDate": date(2026, 11, 1),
                "amount": Decimal("-0.0001"),
            }
        )
        assert (made.transaction_date, made.amount, made.bill_date) == (
            date(2026, 11, 1),
            Decimal("-0.0001"),
            None,
        )


async def test_a_float_charge_is_refused_even_from_python(database):
    with database:
        customer = await _customer()
        with pytest.raises(BillingError) as raised:
            await charges.create_calls([_call(customer.id), _call(customer.id, charge=0.1)])
        assert raised.value.code == ErrorCode.VALIDATION_FAILED
        assert raised.value.field == "[1].charge"
        assert await charges.count_calls(EVERYTHING) == 0


async def test_counts_match_the_lists_whatever_the_page(database):
    with database:
        customer = await _customer()
        other = await _customer("ACC2")
        await charges.create_calls([_call(customer.id) for _ in range(3)] + [_call(other.id)])
        assert await charges.count_calls(EVERYTHING) == 4
        assert await charges.count_calls(EVERYTHING, customer_id=customer.id) == 3
        assert len(await charges.list_calls(EVERYTHING, 2, customer_id=customer.id)) == 2
        assert await charges.count_calls(EVERYTHING, min_date=date(2026, 11, 21)) == 0
        assert await customers.count_customers(ListFilter(id_after=customer.id)) == 1


async def test_batch_loaders_group_by_key_with_empty_lists_for_unknown_keys(database):
    with database:
        first, second = await _customer(), await _customer("ACC2")
        await charges.create_calls([_call(first.id), _call(first.id), _call(second.id)])
        run = await _billed()
        by_run = await invoices.invoices_by_run([run.id, 999])
        assert [invoice.customer_id for invoice in by_run[run.id]] == [first.id, second.id]
        assert by_run[999] == []
        invoice_ids = [invoice.id for invoice in by_run[run.id]]
        calls = await charges.calls_by_invoice([*invoice_ids, 999])
        assert [len(calls[ident]) for ident in invoice_ids] == [2, 1]
        assert calls[999] == []
        loaded = await customers.get_customers([second.id, first.id, 999])
        assert set(loaded) == {first.id, second.id}
        assert (await invoices.invoices_by_customer([first.id]))[first.id] == by_run[run.id][:1]
        assert await invoices.not_produced_by_run([run.id]) == {run.id: []}


async def test_a_billed_transaction_update_is_already_billed(database):
    with database:
        customer = await _customer()
        await presets.create_preset("transactionType", "Rental")
        made = await charges.create_transaction(
            {
                "customerId": customer.id,
                "transactionType": "Rental",
                "transactionDate": "2026-11-01",
                "amount": "5",
            }
        )
        await _billed()
        for action in (
            lambda: charges.update_transaction(made.id, {"amount": Decimal("6")}),
            lambda: charges.delete_transaction(made.id),
        ):
            with pytest.raises(BillingError) as raised:
                await action()
            assert raised.value.code == ErrorCode.ALREADY_BILLED
            assert raised.value.http_status == 409
        assert (await charges.get_transaction(made.id)).amount == Decimal("5.00")
