"""Data for the fuzzers to find: the values they try first (the id 1, the name "0") name
real rows, so generated requests get past "no such customer" into the code behind it."""

from __future__ import annotations

from billing import charges, customers, engine, presets, runs
from models import PresetKind

#: The simplest text a generator tries after the empty string.
NAME = "0"
CUSTOMERS = 3


async def seed() -> None:
    """Presets named "0", customers 1..3 with calls and transactions, and a billed run
    (so there are invoices and not-produced lines), plus a Pending run."""
    for kind in (
        PresetKind.BILLING_SUBRUN,
        PresetKind.INVOICE_MESSAGE,
        PresetKind.TRANSACTION_TYPE,
    ):
        await presets.create_preset(kind, NAME, "seeded")
    made = [
        await customers.create_customer({"accountNumber": f"SEED{n}", "name": f"Customer {n}"})
        for n in range(1, CUSTOMERS + 1)
    ]
    for customer in made[:-1]:  # the last has nothing to bill: not produced
        await charges.create_calls(
            [
                {
                    "customerId": customer.id,
                    "startTime": "2026-11-20T10:00:00Z",
                    "duration": 60,
                    "numberDialled": "0123",
                    "charge": "1.25",
                }
            ]
        )
        await charges.create_transactions(
            [
                {
                    "customerId": customer.id,
                    "transactionType": NAME,
                    "transactionDate": "2026-11-15",
                    "amount": "-0.50",
                }
            ]
        )
    dates = {"invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01", "dueDate": "2026-12-15"}
    billed = await runs.create_run({"name": "Seeded", **dates})
    await runs.request_bills(billed.id)
    await engine.bill(billed.id, "UTC")
    await runs.create_run({"name": "Pending", **dates})
