"""Demo data: presets, customers, calls and transactions, and a Pending run to request.

Everything is generated from a seed (the same seed on the same day gives the same data)
and bulk-loaded in one transaction: COPY on PostgreSQL, `executemany` on SQLite. The
benchmark (`bench/engine.py`) loads its million calls with the same code.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from billing import presets, runs
from billing.charges import CALL_COLUMNS, TRANSACTION_COLUMNS
from billing.customers import CUSTOMER_COLUMNS
from billing.money import UNITS
from billing.tables import copy_rows
from models import PresetKind

ACCOUNT_PREFIX = "DEMO"
SUBRUNS = ("Business", "Wholesale")
INVOICE_MESSAGES = {
    "Standard": "Thank you for your business.",
    "Paperless": "Switch to paperless billing and save 1.00 a month.",
    "Seasonal": "Season's greetings from all of us.",
}
#: Transaction type -> (description, amount range in cents (negative: a credit), weight).
TRANSACTION_TYPES = {
    "Rental": ("Line rental", (500, 2_500), 50),
    "Installation": ("Installation charge", (4_999, 4_999), 10),
    "Equipment": ("Router", (3_000, 12_000), 10),
    "Credit": ("Goodwill credit", (-2_000, -500), 30),
}
_POLICIES = ("NONE", "SKIP", "PAD", "FEE")
_POLICY_WEIGHTS = (55, 15, 15, 15)
_MINIMUMS = (20, 50, 100, 150)  # whole currency units
_FEES = (250, 500)  # cents
_RATES = (200, 500, 1_000, 2_500)  # a customer's call rate, in units per minute
_FIRST = ("Ada", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hugo", "Iris", "Jon")
_LAST = ("Archer", "Byrne", "Cole", "Doyle", "Evans", "Flynn", "Gray", "Hale", "Irwin")
_BUSINESS = ("Ltd", "& Co", "Trading", "Services", "Group")
_BATCH = 50_000


@dataclass(frozen=True)
class DemoPlan:
    customers: int = 100
    calls_per_customer: int = 50
    transactions_per_customer: int = 3
    seed: int = 1
    #: Share of customers in a subrun (the demo run bills those without one).
    subrun_share: float = 0.3
    #: Share of customers with no charges at all (the run reports them EMPTY).
    quiet_share: float = 0.05
    #: The day the data is made on: calls fall in the 30 days before it.
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    #: Whether to create a Pending billing run.
    with_run: bool = True


@dataclass(frozen=True)
class DemoSummary:
    presets_created: int
    customers: int
    first_account: str | None
    last_account: str | None
    calls: int
    transactions: int
    run: runs.RunRecord | None
    customers_in_run_scope: int


def first_of_next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


#: Told (rows written, rows to write) as the data is written.
RowsProgress = Callable[[int, int], None]


async def create_demo_data(plan: DemoPlan, progress: RowsProgress | None = None) -> DemoSummary:
    """Create the plan's data in the current Tortoise context, all in one transaction."""
    rng = random.Random(plan.seed)
    tell = progress or (lambda done, total: None)
    async with in_transaction() as conn:
        # On SQLite rows carry dates as the text Tortoise stores (its sqlite3 adapters
        # would write the same, several times slower).
        text = conn.capabilities.dialect == "sqlite"
        started = datetime.now(UTC)
        now: datetime | str = started.isoformat(" ") if text else started
        preset_ids, created = await _presets()
        start = await _next_account_number(conn)
        accounts = [f"{ACCOUNT_PREFIX}{n:04d}" for n in range(start, start + plan.customers)]
        customers = list(_customers(rng, accounts, preset_ids, plan.subrun_share, now))
        before = await _max_id(conn, "customer")
        await copy_rows(conn, "customer", CUSTOMER_COLUMNS, customers)
        ids = {
            row["account_number"]: row["id"]
            for row in await conn.execute_query_dict(
                "SELECT id, account_number FROM customer WHERE id > " + str(before)
            )
        }
        # Quiet customers get no charges; the rest each get the same rate throughout.
        active = [
            (ids[account], rng.choice(_RATES))
            for account in accounts
            if rng.random() >= plan.quiet_share
        ]
        total = len(customers) + len(active) * (
            plan.calls_per_customer + plan.transactions_per_customer
        )
        tell(len(customers), total)
        calls = await _insert_all(
            conn,
            "call",
            CALL_COLUMNS,
            _calls(rng, active, plan.calls_per_customer, plan.today, now, text),
            lambda n: tell(len(customers) + n, total),
        )
        transactions = await _insert_all(
            conn,
            "charge_transaction",
            TRANSACTION_COLUMNS,
            _transactions(
                rng, active, plan.transactions_per_customer, preset_ids, plan.today, now, text
            ),
            lambda n: tell(len(customers) + calls + n, total),
        )
        run = await _pending_run(plan.today) if plan.with_run else None
        in_scope = await conn.execute_query_dict(
            "SELECT COUNT(*) AS n FROM customer WHERE subrun_id IS NULL"
        )
    return DemoSummary(
        presets_created=created,
        customers=len(accounts),
        first_account=accounts[0] if accounts else None,
        last_account=accounts[-1] if accounts else None,
        calls=calls,
        transactions=transactions,
        run=run,
        customers_in_run_scope=in_scope[0]["n"],
    )


async def _presets() -> tuple[dict[str, list[int]], int]:
    """The demo's presets by kind (reusing any that exist); how many were created."""
    wanted: dict[PresetKind, Mapping[str, str | None]] = {
        PresetKind.BILLING_SUBRUN: {name: None for name in SUBRUNS},
        PresetKind.INVOICE_MESSAGE: INVOICE_MESSAGES,
        PresetKind.TRANSACTION_TYPE: {name: None for name in TRANSACTION_TYPES},
    }
    ids: dict[str, list[int]] = {}
    created = 0
    for kind, names in wanted.items():
        ids[kind] = []
        for name, text in names.items():
            preset = await presets.get_preset(kind, name)
            if preset is None:
                preset = await presets.create_preset(kind, name, text)
                created += 1
            ids[kind].append(preset.id)
    return ids, created


async def _next_account_number(conn: BaseDBAsyncClient) -> int:
    rows = await conn.execute_query_dict(
        f"SELECT account_number FROM customer WHERE account_number LIKE '{ACCOUNT_PREFIX}%'"
    )
    numbers = [row["account_number"][len(ACCOUNT_PREFIX) :] for row in rows]
    return max((int(n) for n in numbers if n.isascii() and n.isdigit()), default=0) + 1


async def _max_id(conn: BaseDBAsyncClient, table: str) -> int:
    rows = await conn.execute_query_dict(f"SELECT COALESCE(MAX(id), 0) AS n FROM {table}")
    return int(rows[0]["n"])


async def _insert_all(
    conn: BaseDBAsyncClient,
    table: str,
    columns: tuple[str, ...],
    rows: Iterable[tuple[Any, ...]],
    written: Callable[[int], None] = lambda count: None,
) -> int:
    """Insert the rows in batches; say how many are written after each."""
    count = 0
    iterator = iter(rows)
    while batch := list(islice(iterator, _BATCH)):
        await copy_rows(conn, table, columns, batch)
        count += len(batch)
        written(count)
    return count


def _customers(
    rng: random.Random,
    accounts: list[str],
    preset_ids: dict[str, list[int]],
    subrun_share: float,
    now: datetime | str,
) -> Iterator[tuple[Any, ...]]:
    subruns = preset_ids[PresetKind.BILLING_SUBRUN]
    messages = preset_ids[PresetKind.INVOICE_MESSAGE]
    for account in accounts:
        policy = rng.choices(_POLICIES, _POLICY_WEIGHTS)[0]
        minimum = 0 if policy == "NONE" else rng.choice(_MINIMUMS) * UNITS
        fee = rng.choice(_FEES) * 100 if policy == "FEE" else 0
        if rng.random() < 0.3:
            name = f"{rng.choice(_LAST)} {rng.choice(_BUSINESS)}"
        else:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        subrun = rng.choice(subruns) if rng.random() < subrun_share else None
        message = rng.choice(messages) if rng.random() < 0.7 else None
        yield (account, name, subrun, message, policy, minimum, fee, 0, now, now, 0)


def _calls(
    rng: random.Random,
    customers: list[tuple[int, int]],
    per_customer: int,
    today: date,
    now: datetime | str,
    text: bool,
) -> Iterator[tuple[Any, ...]]:
    """Calls in the 30 days before `today`, a few minutes each on average."""
    window_start = datetime.combine(today - timedelta(days=30), time())  # naive UTC
    span = 30 * 86_400
    random = rng.random
    for customer_id, rate in customers:
        for _ in range(per_customer):
            duration = min(int(rng.expovariate(1 / 180)) + 1, 7_200)
            start = window_start + timedelta(seconds=int(random() * span))
            yield (
                customer_id,
                f"{start.isoformat(' ')}+00:00" if text else start.replace(tzinfo=UTC),
                duration,
                f"0{rng.choice((1, 2, 7, 7, 7))}{int(random() * 10**9):09d}",
                duration * rate // 60,
                now,
                now,
            )


def _transactions(
    rng: random.Random,
    customers: list[tuple[int, int]],
    per_customer: int,
    preset_ids: dict[str, list[int]],
    today: date,
    now: datetime | str,
    text: bool,
) -> Iterator[tuple[Any, ...]]:
    """Rentals, installations, equipment and credits in the last 30 days; a quarter carry
    a bill date, some after the demo run's cutoff (billed by a later run)."""
    kinds = list(
        zip(preset_ids[PresetKind.TRANSACTION_TYPE], TRANSACTION_TYPES.values(), strict=True)
    )
    weights = [weight for _, (_, _, weight) in kinds]
    later = first_of_next_month(today)
    for customer_id, _ in customers:
        for _ in range(per_customer):
            type_id, (description, (low, high), _) = rng.choices(kinds, weights)[0]
            day = today - timedelta(days=rng.randrange(1, 31))
            bill_date = None
            if rng.random() < 0.25:
                bill_date = later + timedelta(days=rng.randrange(28)) if rng.random() < 0.3 else day
            amount = rng.randint(low, high) * 100
            dates: tuple[date | str, date | str | None] = (day, bill_date)
            if text:
                dates = (day.isoformat(), bill_date and bill_date.isoformat())
            yield (customer_id, type_id, *dates, amount, description, now, now, 0)


async def _pending_run(today: date) -> runs.RunRecord:
    cutoff = first_of_next_month(today)
    return await runs.create_run(
        {
            "name": f"Demo run {cutoff:%B %Y}",
            "invoiceDate": cutoff.isoformat(),
            "cutoffDate": cutoff.isoformat(),
            "dueDate": (cutoff + timedelta(days=14)).isoformat(),
        }
    )
