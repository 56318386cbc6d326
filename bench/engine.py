"""Benchmark the billing engine against a hand-written SQL floor, on SQLite and PostgreSQL.

For each database: migrate a fresh one, bulk-load 10,000 customers, 1,000,000 calls and
100,000 transactions with `billing.demo` (COPY on PostgreSQL, `executemany` on SQLite;
then ANALYZE on PostgreSQL), clone it, and time

- the engine: one billing run end to end with `engine.bill` (chunks of 100, no pause);
- the floor, on the clone: the same run as bare SQL written by hand, in one transaction
  (aggregate per customer, insert the invoices, claim the charges with UPDATE ... FROM).

Both must produce the same invoices; the table (also written to bench/results/engine.md)
gives the times, their ratio, invoices per minute and charges billed per second.

    python bench/engine.py                       # both databases
    python bench/engine.py --databases postgres --profile
    python bench/engine.py --customers 1000 --calls 100000 --transactions 10000

Each database is measured in a process of its own: Tortoise keeps dialect-specific state
on the model classes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import common
from common import RESULTS, step

from billing import db, demo, engine, runs
from billing.money import from_units, round_to_cents
from billing.sql import Sql
from models import BillingRun, BillingRunStatus

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
TODAY = date(2026, 11, 20)  # the data's day: fixed, so every run bills the same charges
CHUNK_SIZE = 100
GOAL_RATIO = 3.0
GOAL_POSTGRES_SECONDS = 15.0


@dataclass
class Outcome:
    """What one way of billing produced, and how long it took."""

    seconds: float
    invoices: int
    not_produced: int
    calls_billed: int
    transactions_billed: int
    amount: str
    #: A digest of every invoice (customer, number, amounts, counts): equal for equal work.
    digest: str

    @property
    def charges(self) -> int:
        return self.calls_billed + self.transactions_billed


@dataclass
class Result:
    database: str
    customers: int
    calls: int
    transactions: int
    load_seconds: float
    engine: Outcome
    floor: Outcome
    profile: list[tuple[str, int, float]]

    @property
    def ratio(self) -> float:
        return self.engine.seconds / self.floor.seconds


async def _timed(action: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await action()
    return time.perf_counter() - started


# --- loading ----------------------------------------------------------------------------


async def load(url: str, customers: int, calls: int, transactions: int) -> tuple[float, int]:
    """Migrate and fill a fresh database; return the load's seconds and the run's id."""
    await db.migrate(url)
    plan = demo.DemoPlan(
        customers=customers,
        calls_per_customer=calls // customers,
        transactions_per_customer=transactions // customers,
        seed=2026,
        subrun_share=0.0,  # one run bills every customer
        quiet_share=0.0,
        today=TODAY,
    )
    started = time.perf_counter()
    summary = await db.in_database(url, lambda: demo.create_demo_data(plan))
    seconds = time.perf_counter() - started
    assert summary.run is not None
    if url.startswith("postgres"):
        await common.pg_admin(url, "ANALYZE")
    return seconds, summary.run.id


# --- the engine ---------------------------------------------------------------------------


async def run_engine(url: str, run_id: int, profile: StatementProfile | None = None) -> Outcome:
    async def bill() -> Outcome:
        await runs.request_bills(run_id)
        with profile.installed() if profile else contextlib.nullcontext():
            seconds = await _timed(
                lambda: engine.bill(run_id, "UTC", chunk_size=CHUNK_SIZE, pause=0.0)
            )
        return await _outcome(run_id, seconds)

    return await db.in_database(url, bill)


# --- the floor ----------------------------------------------------------------------------

_FLOOR_BILLS = """
CREATE TEMP TABLE floor_bill AS
WITH k AS (
    SELECT customer_id, COUNT(*) AS n, CAST(SUM(charge) AS BIGINT) AS total FROM call
    WHERE invoice_id IS NULL AND start_time < {call_before} GROUP BY customer_id
), t AS (
    SELECT customer_id, COUNT(*) AS n, CAST(SUM(amount) AS BIGINT) AS total
    FROM charge_transaction WHERE invoice_id IS NULL AND {transaction_included}
    GROUP BY customer_id
), s AS (
    SELECT c.id, c.account_number, c.low_value_policy AS policy, c.minimum_amount AS minimum,
           c.low_usage_fee AS fee, c.invoice_count, c.invoice_message_id,
           COALESCE(k.n, 0) AS call_count, COALESCE(k.total, 0) AS call_total,
           COALESCE(t.n, 0) AS transaction_count, COALESCE(t.total, 0) AS transaction_total,
           COALESCE(k.total, 0) + COALESCE(t.total, 0) AS subtotal
    FROM customer c
    LEFT JOIN k ON k.customer_id = c.id
    LEFT JOIN t ON t.customer_id = c.id
    WHERE {scope}
), a AS (
    SELECT s.*,
           CASE WHEN call_count + transaction_count = 0 THEN 'EMPTY'
                WHEN subtotal >= 0 AND subtotal < minimum AND policy = 'SKIP' THEN 'TOO_LOW'
           END AS reason,
           CASE WHEN subtotal >= 0 AND subtotal < minimum AND policy = 'PAD' THEN minimum - subtotal
                WHEN subtotal >= 0 AND subtotal < minimum AND policy = 'FEE' THEN fee
                ELSE 0
           END AS adjustment
    FROM s
)
SELECT a.*, {round_total} AS total, {round_subtotal} AS rounded_subtotal FROM a
"""


def _half_up(expression: str) -> str:
    """Round integer units half away from zero to whole cents (100 units), in SQL."""
    return (
        f"(CASE WHEN ({expression}) >= 0 THEN (({expression}) + 50) / 100 * 100 "
        f"ELSE -((50 - ({expression})) / 100 * 100) END)"
    )


async def run_floor(url: str, run_id: int) -> Outcome:
    async def bill() -> Outcome:
        await runs.request_bills(run_id)
        terms = await engine.load_run(run_id, "UTC")
        assert terms is not None
        seconds = await _timed(lambda: _floor(terms))
        return await _outcome(run_id, seconds)

    return await db.in_database(url, bill)


async def _floor(run: engine.RunTerms) -> None:
    """The run as bare SQL in one transaction: what the engine's work costs at least."""
    from tortoise.expressions import F
    from tortoise.transactions import in_transaction

    now = datetime.now(UTC)
    async with in_transaction() as conn:
        sql = Sql(conn)
        # PostgreSQL cannot infer a parameter's type from a SELECT list; SQLite has no
        # DATE type to cast to (Tortoise writes dates as text there).
        typed = (lambda kind: f"CAST(? AS {kind})") if sql.postgres else (lambda kind: "?")
        cutoffs = run.cutoffs
        if cutoffs.transaction_cutoff_date is not None:
            transaction_included, day = "transaction_date <= ?", cutoffs.transaction_cutoff_date
        else:
            transaction_included, day = (
                "COALESCE(bill_date, transaction_date) < ?",
                cutoffs.cutoff_date,
            )
        scope = "c.subrun_id IS NULL" if run.subrun_id is None else "c.subrun_id = ?"
        await sql.run(
            _FLOOR_BILLS.format(
                call_before="?",
                transaction_included=transaction_included,
                scope=scope,
                round_total=_half_up("subtotal + adjustment"),
                round_subtotal=_half_up("subtotal"),
            ),
            cutoffs.call_before,
            day,
            *([] if run.subrun_id is None else [run.subrun_id]),
        )
        message = "COALESCE(p.text, p.name)"
        message_id = "f.invoice_message_id" if run.message_id is None else str(run.message_id)
        await sql.run(
            "INSERT INTO invoice (number, customer_id, billing_run_id, invoice_date, due_date, "
            "period_ended, message, call_total, transaction_total, adjustment, total, "
            "call_count, transaction_count, created_date) "
            f"SELECT f.account_number || '/' || CAST(f.invoice_count + 1 AS VARCHAR(12)), f.id, "
            f"{typed('BIGINT')}, {typed('DATE')}, {typed('DATE')}, {typed('DATE')}, {message}, "
            "f.call_total, f.transaction_total, f.adjustment, f.total, f.call_count, "
            f"f.transaction_count, {typed('TIMESTAMPTZ')} "
            f"FROM floor_bill f LEFT JOIN preset p ON p.id = {message_id} "
            "WHERE f.reason IS NULL",
            run.id,
            run.invoice_date,
            run.due_date,
            run.period_ended,
            now,
        )
        await sql.run(
            "INSERT INTO invoice_not_produced (billing_run_id, customer_id, reason, amount, "
            f"created_date) SELECT {typed('BIGINT')}, id, reason, "
            "CASE WHEN reason = 'EMPTY' THEN 0 ELSE rounded_subtotal END, "
            f"{typed('TIMESTAMPTZ')} FROM floor_bill WHERE reason IS NOT NULL",
            run.id,
            now,
        )
        await sql.run(
            "UPDATE customer SET invoice_count = invoice_count + 1 "
            "WHERE id IN (SELECT id FROM floor_bill WHERE reason IS NULL)"
        )
        call_where, call_params = cutoffs.call_condition("call")
        await sql.run(
            "UPDATE call SET invoice_id = i.id, updated_date = ? FROM invoice i "
            f"WHERE i.billing_run_id = ? AND i.customer_id = call.customer_id AND {call_where}",
            now,
            run.id,
            *call_params,
        )
        tx_where, tx_params = cutoffs.transaction_condition("charge_transaction")
        await sql.run(
            "UPDATE charge_transaction SET invoice_id = i.id, updated_date = ?, "
            "version = charge_transaction.version + 1 FROM invoice i "
            "WHERE i.billing_run_id = ? AND i.customer_id = charge_transaction.customer_id "
            f"AND {tx_where}",
            now,
            run.id,
            *tx_params,
        )
        counts = await sql.rows(
            "SELECT COUNT(*) AS n, SUM(CASE WHEN reason IS NULL THEN 1 ELSE 0 END) AS produced, "
            "CAST(COALESCE(SUM(CASE WHEN reason IS NULL THEN total ELSE 0 END), 0) AS BIGINT) "
            "AS amount FROM floor_bill"
        )
        await sql.run("DROP TABLE floor_bill")
        n, produced, amount = counts[0]["n"], int(counts[0]["produced"] or 0), counts[0]["amount"]
        await (
            BillingRun.filter(id=run.id)
            .using_db(conn)
            .update(
                status=BillingRunStatus.COMPLETE,
                commenced_date=now,
                completed_date=now,
                updated_date=now,
                invoice_amount=from_units(int(amount)),
                customers_in_scope=n,
                customers_done=n,
                invoices_produced=produced,
                invoices_not_produced=n - produced,
                active_group=None,
                version=F("version") + 1,
            )
        )


# --- what a run produced ------------------------------------------------------------------


async def _outcome(run_id: int, seconds: float) -> Outcome:
    from tortoise import connections

    conn = connections.get("default")
    sql = Sql(conn)
    rows = await sql.rows(
        "SELECT customer_id, number, call_total, transaction_total, adjustment, total, "
        "call_count, transaction_count FROM invoice WHERE billing_run_id = ? ORDER BY customer_id",
        run_id,
    )
    not_produced = await sql.rows(
        "SELECT customer_id, reason, amount FROM invoice_not_produced WHERE billing_run_id = ? "
        "ORDER BY customer_id",
        run_id,
    )
    run = await runs.get_run(run_id)
    assert run.status == BillingRunStatus.COMPLETE, run.status
    digest = hashlib.sha256(
        repr(
            ([tuple(r.values()) for r in rows], [tuple(r.values()) for r in not_produced])
        ).encode()
    ).hexdigest()[:16]
    total = sum(row["total"] for row in rows)
    assert round_to_cents(total) == total
    return Outcome(
        seconds=seconds,
        invoices=len(rows),
        not_produced=len(not_produced),
        calls_billed=sum(row["call_count"] for row in rows),
        transactions_billed=sum(row["transaction_count"] for row in rows),
        amount=str(run.invoice_amount),
        digest=digest,
    )


# --- profiling the engine's statements ----------------------------------------------------


class StatementProfile:
    """Time every statement the engine sends through `Sql`, by shape."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        originals = {name: getattr(Sql, name) for name in ("rows", "run")}
        for name, original in originals.items():
            setattr(Sql, name, self._timing(original))
        try:
            yield
        finally:
            for name, original in originals.items():
                setattr(Sql, name, original)

    def _timing(self, original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def timed(sql: Sql, statement: str, *values: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(sql, statement, *values)
            finally:
                shape = _shape(statement)
                self.seconds[shape] += time.perf_counter() - started
                self.calls[shape] += 1

        return timed

    def rows(self) -> list[tuple[str, int, float]]:
        return sorted(
            ((shape, self.calls[shape], s) for shape, s in self.seconds.items()),
            key=lambda row: -row[2],
        )


def _shape(statement: str) -> str:
    text = re.sub(r"\s+", " ", statement).strip()
    text = re.sub(r"\((\?, )+\?\)", "(?...)", text)
    text = re.sub(r"(\(\?\.\.\.\), )+\(\?\.\.\.\)", "(?...), ...", text)
    return text[:150]


# --- one database, in a process of its own ----------------------------------------------


async def bench_one(kind: str, args: argparse.Namespace, workdir: Path) -> Result:
    profile = StatementProfile()
    if kind == "sqlite":
        engine_url = f"sqlite://{workdir / 'engine.sqlite3'}"
        floor_url = f"sqlite://{workdir / 'floor.sqlite3'}"
    else:
        suffix = secrets.token_hex(4)
        engine_name, floor_name = f"bench_engine_{suffix}", f"bench_floor_{suffix}"
        engine_url = await common.create_database(args.postgres_url, engine_name)
        floor_url = common.database_url(args.postgres_url, floor_name)
    try:
        step(
            f"{kind}: loading {args.customers:,} customers, {args.calls:,} calls, "
            f"{args.transactions:,} transactions"
        )
        load_seconds, run_id = await load(engine_url, args.customers, args.calls, args.transactions)
        step(f"{kind}: loaded in {load_seconds:.1f} s; cloning it for the floor")
        if kind == "sqlite":
            _checkpoint(engine_url)
            shutil.copyfile(workdir / "engine.sqlite3", workdir / "floor.sqlite3")
        else:
            await common.create_database(args.postgres_url, floor_name, template=engine_name)
        step(f"{kind}: billing with the engine")
        engine_outcome = await run_engine(engine_url, run_id, profile if args.profile else None)
        step(f"{kind}: engine {engine_outcome.seconds:.2f} s; billing with the floor")
        floor_outcome = await run_floor(floor_url, run_id)
        step(f"{kind}: floor {floor_outcome.seconds:.2f} s")
    finally:
        if kind == "postgres":
            await common.drop_databases(args.postgres_url, engine_name, floor_name)
    return Result(
        kind,
        args.customers,
        args.calls,
        args.transactions,
        load_seconds,
        engine_outcome,
        floor_outcome,
        profile.rows(),
    )


def _checkpoint(url: str) -> None:
    """Fold the WAL into the file, so a copy of the file is the whole database."""
    connection = sqlite3.connect(str(db.sqlite_path(url)))
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


# --- the report -------------------------------------------------------------------------


def render(results: list[Result], args: argparse.Namespace, load_before: float) -> str:
    lines = [
        "# Benchmark: the billing engine vs a hand-written SQL floor",
        "",
        f"{common.machine(load_before)}. One billing run over {args.customers:,} "
        f"customers, {args.calls:,} calls and {args.transactions:,} transactions; the engine "
        f"in chunks of {CHUNK_SIZE} customers with no pause; the floor is the same run as "
        "bare SQL in one transaction, on an identical copy of the database.",
        "",
        "| database | engine s | floor s | ratio | invoices/min | charges/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        e = r.engine
        lines.append(
            f"| {r.database} | {e.seconds:.2f} | {r.floor.seconds:.2f} | {r.ratio:.2f} | "
            f"{e.invoices / e.seconds * 60:,.0f} | {e.charges / e.seconds:,.0f} |"
        )
    lines.append("")
    for r in results:
        e, f = r.engine, r.floor
        same = (e.digest, e.amount) == (f.digest, f.amount)
        lines.append(
            f"- {r.database}: loaded in {r.load_seconds:.1f} s; {e.invoices:,} invoices "
            f"({e.not_produced:,} not produced), {e.calls_billed:,} calls and "
            f"{e.transactions_billed:,} transactions billed, invoiceAmount {e.amount}; "
            + (
                "the floor produced the same invoices."
                if same
                else f"**the floor's differ**: {f.invoices:,} invoices, amount {f.amount}."
            )
        )
    lines.append("")
    goals = []
    for r in results:
        verdict = "met" if r.ratio <= GOAL_RATIO else "missed"
        goals.append(
            f"- {r.database}: engine within {GOAL_RATIO:g}x the floor: {verdict} ({r.ratio:.2f}x)"
        )
        if r.database == "postgres":
            verdict = "met" if r.engine.seconds < GOAL_POSTGRES_SECONDS else "missed"
            goals.append(
                f"- postgres: under {GOAL_POSTGRES_SECONDS:g} s: {verdict} "
                f"({r.engine.seconds:.2f} s)"
            )
    lines += ["Goals (issue 3):", "", *goals]
    for r in results:
        if r.profile:
            lines += [
                "",
                f"## Where the engine's time goes on {r.database} (per statement shape)",
                "",
                "| statement | calls | total s | share | ms each |",
                "|---|---:|---:|---:|---:|",
            ]
            for shape, calls, seconds in r.profile[:12]:
                shown = shape.replace("|", "\\|")
                share = seconds / r.engine.seconds
                lines.append(
                    f"| `{shown}` | {calls:,} | {seconds:.2f} | {share:.0%} | "
                    f"{seconds / calls * 1000:.2f} |"
                )
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--databases", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"]
    )
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help="a server and a database to connect to while creating and dropping others",
    )
    parser.add_argument(
        "--profile", action="store_true", help="time each of the engine's statements"
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "engine.md")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _child(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="billing-engine-bench-") as tmp:
        result = asyncio.run(bench_one(args.child, args, Path(tmp)))
    print(json.dumps(asdict(result)))
    return 0


def _from_json(data: dict[str, Any]) -> Result:
    data["engine"] = Outcome(**data["engine"])
    data["floor"] = Outcome(**data["floor"])
    data["profile"] = [tuple(row) for row in data["profile"]]
    return Result(**data)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return _child(args)
    load_before = os.getloadavg()[0]
    results = []
    for kind in args.databases:
        command = [sys.executable, __file__, "--child", kind, *(argv or sys.argv[1:])]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode:
            print(f"error: the {kind} benchmark failed (exit {done.returncode})", file=sys.stderr)
            return 1
        results.append(_from_json(json.loads(done.stdout.strip().splitlines()[-1])))
    common.write_report(args.output, render(results, args, load_before))
    return 0


if __name__ == "__main__":
    sys.exit(main())
