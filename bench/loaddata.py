"""Bulk-load billing runs (and the presets they name) through the app's own writes.

The presets through `billing.presets`, the runs through `billing.tables.insert_rows`,
so each database stores them as the app does. Into a migrated database, one database
kind per process (Tortoise keeps dialect-specific state on the model classes):

    python bench/loaddata.py DATABASE_URL COUNT
"""

from __future__ import annotations

import asyncio
import random
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import common  # noqa: F401  (first: it puts the app's packages on sys.path)

from billing import db, presets, tables
from billing.sql import Sql
from models import PresetKind

SUBRUNS = ("North", "South", "East", "West", "Business", "Wholesale")
INVOICE_MESSAGES = {
    "Standard": "Thank you for your business.",
    "Seasonal": "Season's greetings from all of us.",
    "Overdue": "Your account has an overdue balance; please pay promptly.",
}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def generate_runs(
    count: int, subrun_ids: list[int], message_ids: list[int], seed: int = 2026
) -> Iterator[dict[str, object]]:
    """`count` rows, column -> value, with ids 1..count, created over ~5 years, oldest first.

    Most runs are Complete (dates, commenced/completed, an amount); the newest 2% are
    Pending (a quarter of them without dates); the very last ones are one Running run per
    subrun group (`active_group` is unique, so at most one per group). 20% have no
    subrun, 30% no invoice message, 40% no transaction cutoff date, 10% no due date.
    """
    rng = random.Random(seed)
    random_float, random_range, choice = rng.random, rng.randrange, rng.choice
    start = datetime(2021, 1, 1, tzinfo=UTC)
    span_us = 5 * 365 * 86_400 * 10**6
    step_us = span_us // count
    groups: list[int | None] = [*subrun_ids, None]
    group_names: dict[int | None, str] = dict(zip(subrun_ids, SUBRUNS, strict=False))
    in_progress_from = count - len(groups)
    pending_from = int(count * 0.98)
    midnight = datetime.min.time()
    zero = Decimal(0)
    for index in range(count):
        ident = index + 1
        created = start + timedelta(microseconds=index * step_us + random_range(step_us))
        created_day = created.date()
        subrun: int | None
        if index >= in_progress_from:
            subrun = groups[index - in_progress_from]
            status = "Running"
        else:
            subrun = choice(subrun_ids) if random_float() < 0.8 else None
            status = "Pending" if index >= pending_from else "Complete"
        message = choice(message_ids) if random_float() < 0.7 else None
        invoice: date | None = created_day + timedelta(days=random_range(3, 21))
        if status == "Pending" and random_float() < 0.25:
            invoice = None
        cutoff = transaction_cutoff = due = None
        if invoice is not None:
            cutoff = invoice - timedelta(days=random_range(2))
            if random_float() < 0.6:
                transaction_cutoff = cutoff - timedelta(days=1)
            if random_float() < 0.9:
                due = invoice + timedelta(days=choice((14, 21, 30)))
        commenced = completed = None
        amount = zero
        updated = created
        version = 0
        if status != "Pending":
            base = datetime.combine(invoice or created_day, midnight, tzinfo=UTC)
            commenced = base + timedelta(microseconds=random_range(3600 * 10**6, 86400 * 10**6))
            updated = commenced
            version = 2
        if status == "Complete":
            assert commenced is not None
            completed = commenced + timedelta(microseconds=random_range(60 * 10**6, 7200 * 10**6))
            amount = Decimal(random_range(10_000, 200_000_000)).scaleb(-2)
            updated = completed
            version = 3
        day = invoice or created_day
        name = f"{_MONTHS[day.month - 1]} {day.year} {group_names.get(subrun, 'All')} #{ident}"
        active_group = None
        if status == "Running":
            active_group = f"subrun:{subrun}" if subrun is not None else "subrun:none"
        yield {
            "id": ident,
            "name": name,
            "status": status,
            "subrun_id": subrun,
            "invoice_message_id": message,
            "invoice_amount": amount,
            "invoice_date": invoice,
            "cutoff_date": cutoff,
            "transaction_cutoff_date": transaction_cutoff,
            "due_date": due,
            "commenced_date": commenced,
            "completed_date": completed,
            "created_date": created,
            "updated_date": updated,
            "version": version,
            "active_group": active_group,
        }


async def load_runs(database_url: str, count: int) -> None:
    """Insert the presets and `count` runs into a migrated database."""
    await db.in_database(database_url, lambda: _load(count))


async def _load(count: int) -> None:
    subrun_ids = [
        (await presets.create_preset(PresetKind.BILLING_SUBRUN, name)).id for name in SUBRUNS
    ]
    message_ids = [
        (await presets.create_preset(PresetKind.INVOICE_MESSAGE, name, text)).id
        for name, text in INVOICE_MESSAGES.items()
    ]
    rows = list(generate_runs(count, subrun_ids, message_ids))
    await tables.insert_rows("billing_run", list(rows[0]), [list(row.values()) for row in rows])
    sql = Sql()
    if sql.postgres:  # the ids were given: move the sequence past them
        await sql.run(
            "SELECT setval(pg_get_serial_sequence('billing_run', 'id'), "
            "(SELECT max(id) FROM billing_run))"
        )
    await sql.run("ANALYZE")


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[2].isdigit():
        sys.exit("usage: python bench/loaddata.py DATABASE_URL COUNT")
    asyncio.run(load_runs(sys.argv[1], int(sys.argv[2])))
