"""Short ways to put customers, charges and runs in the database for engine tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from billing import engine, presets, runs
from billing.money import to_units
from models import Call, ChargeTransaction, Customer, Invoice, InvoiceNotProduced
from tests.data import account_number

NOW = datetime(2026, 11, 20, tzinfo=UTC)


async def customer(
    *,
    policy: str = "NONE",
    minimum: str = "0",
    fee: str = "0",
    subrun: str | None = None,
    message: str | None = None,
) -> Customer:
    subrun_id = (await _preset("billingSubrun", subrun)).id if subrun else None
    message_id = (
        (await _preset("invoiceMessage", message, f"{message} text")).id if message else None
    )
    return await Customer.create(
        account_number=account_number(),
        name="Customer",
        low_value_policy=policy,
        minimum_amount=to_units(Decimal(minimum)),
        low_usage_fee=to_units(Decimal(fee)),
        subrun_id=subrun_id,
        invoice_message_id=message_id,
        created_date=NOW,
        updated_date=NOW,
    )


async def _preset(kind: str, name: str, text: str | None = None) -> presets.PresetRecord:
    found = await presets.get_preset(kind, name)
    return found or await presets.create_preset(kind, name, text)


async def call(owner: Customer, start: datetime, charge: str) -> Call:
    return await Call.create(
        customer_id=owner.id,
        start_time=start,
        duration=60,
        number_dialled="01234567890",
        charge=to_units(Decimal(charge)),
        created_date=NOW,
        updated_date=NOW,
    )


async def transaction(
    owner: Customer, amount: str, transaction_date: date, bill_date: date | None = None
) -> ChargeTransaction:
    kind = await _preset("transactionType", "Rental")
    return await ChargeTransaction.create(
        customer_id=owner.id,
        transaction_type_id=kind.id,
        transaction_date=transaction_date,
        bill_date=bill_date,
        amount=to_units(Decimal(amount)),
        description="",
        created_date=NOW,
        updated_date=NOW,
    )


async def billed_run(zone: str = "UTC", chunk_size: int = 2, **fields: object) -> runs.RunRecord:
    """Create a run (cutoff 2026-12-01 unless given), request bills and bill it to Complete."""
    wire = {"name": "Run", "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01", **fields}
    run = await runs.create_run(wire)
    await runs.request_bills(run.id)
    await engine.bill(run.id, zone, chunk_size=chunk_size)
    return await runs.get_run(run.id)


async def invoice_of(owner: Customer, run_id: int | None = None) -> Invoice | None:
    query = Invoice.filter(customer_id=owner.id)
    if run_id is not None:
        query = query.filter(billing_run_id=run_id)
    return await query.order_by("-id").first()


async def not_produced_of(owner: Customer, run_id: int) -> InvoiceNotProduced | None:
    return await InvoiceNotProduced.filter(customer_id=owner.id, billing_run_id=run_id).first()
