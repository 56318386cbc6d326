"""The billing engine: a Requested run becomes invoices, one chunk of customers at a time.

Set-based SQL throughout: per chunk, aggregate the included charges per customer, decide
each customer's invoice (`decide`, the only per-customer Python), insert the invoices,
claim the charges with a conditional `UPDATE ... FROM`, and check that what was claimed
is exactly what was summed (under PostgreSQL's READ COMMITTED a charge can arrive in
between; the chunk is then redone). Each chunk commits in one transaction together with
its `done` mark and the run's progress, so a process killed mid-run loses nothing and
bills nothing twice: the next start picks the unfinished chunks up. On PostgreSQL a chunk
is claimed with `FOR UPDATE SKIP LOCKED`, so several processes can share one run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from billing import observe, progress
from billing.money import from_units, round_to_cents
from billing.sql import Sql, marks
from models import BillingRun, BillingRunStatus, LowValuePolicy, NotProducedReason

log = logging.getLogger("billing.engine")

DEFAULT_CHUNK_SIZE = 100
_MAX_REDOS = 20
#: How often a process billing a run logs its progress (never per chunk).
PROGRESS_LOG_SECONDS = 5.0


class ChunkChanged(Exception):
    """Charges changed between the aggregate and the claim: redo the chunk."""


# --- the rules -----------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """What decides a customer's invoice, besides the charges."""

    customer_id: int
    account_number: str
    policy: str
    minimum: int  # units
    fee: int  # units
    invoice_count: int
    message_id: int | None


@dataclass(frozen=True)
class Charges:
    call_count: int = 0
    call_total: int = 0  # units
    transaction_count: int = 0
    transaction_total: int = 0  # units

    @property
    def subtotal(self) -> int:
        return self.call_total + self.transaction_total

    @property
    def empty(self) -> bool:
        return self.call_count == 0 and self.transaction_count == 0


@dataclass(frozen=True)
class Outcome:
    """A customer's invoice as the run would produce it, or why it would not."""

    terms: Terms
    charges: Charges
    adjustment: int  # units
    total: int  # units, a whole number of cents
    reason: str | None  # None when produced

    @property
    def produced(self) -> bool:
        return self.reason is None


def decide(terms: Terms, charges: Charges) -> Outcome:
    """Apply the empty and low-value rules to one customer's included charges."""
    subtotal = charges.subtotal
    if charges.empty:
        return Outcome(terms, charges, 0, 0, NotProducedReason.EMPTY)
    adjustment = 0
    if 0 <= subtotal < terms.minimum:
        if terms.policy == LowValuePolicy.SKIP:
            return Outcome(terms, charges, 0, round_to_cents(subtotal), NotProducedReason.TOO_LOW)
        if terms.policy == LowValuePolicy.PAD:
            adjustment = terms.minimum - subtotal
        elif terms.policy == LowValuePolicy.FEE:
            adjustment = terms.fee
    return Outcome(terms, charges, adjustment, round_to_cents(subtotal + adjustment), None)


@dataclass(frozen=True)
class Cutoffs:
    """When charges stop being included, as the run's dates say."""

    call_before: datetime  # UTC instant: midnight starting cutoffDate in the billing zone
    cutoff_date: date
    transaction_cutoff_date: date | None

    @classmethod
    def of(cls, cutoff_date: date, transaction_cutoff_date: date | None, zone: str) -> Cutoffs:
        midnight = datetime.combine(cutoff_date, time(), tzinfo=ZoneInfo(zone))
        return cls(midnight.astimezone(UTC), cutoff_date, transaction_cutoff_date)

    def call_condition(self, alias: str) -> tuple[str, list[Any]]:
        return f"{alias}.invoice_id IS NULL AND {alias}.start_time < ?", [self.call_before]

    def transaction_condition(self, alias: str) -> tuple[str, list[Any]]:
        if self.transaction_cutoff_date is not None:
            return (
                f"{alias}.invoice_id IS NULL AND {alias}.transaction_date <= ?",
                [self.transaction_cutoff_date],
            )
        return (
            f"{alias}.invoice_id IS NULL "
            f"AND COALESCE({alias}.bill_date, {alias}.transaction_date) < ?",
            [self.cutoff_date],
        )


_TERMS = """
SELECT c.id, c.account_number, c.low_value_policy, c.minimum_amount, c.low_usage_fee,
       c.invoice_count, c.invoice_message_id
FROM customer c WHERE c.id IN ({customers}) ORDER BY c.id
"""


async def _outcomes(
    sql: Sql, customers: str, params: Sequence[Any], cutoffs: Cutoffs
) -> list[Outcome]:
    """Decide every customer in the subquery `customers`, from the charges included now."""
    call_where, call_params = cutoffs.call_condition("k")
    calls = await sql.rows(
        f"SELECT k.customer_id, COUNT(*) AS n, SUM(k.charge) AS total FROM call k "
        f"WHERE k.customer_id IN ({customers}) AND {call_where} GROUP BY k.customer_id",
        *params,
        *call_params,
    )
    tx_where, tx_params = cutoffs.transaction_condition("t")
    transactions = await sql.rows(
        f"SELECT t.customer_id, COUNT(*) AS n, SUM(t.amount) AS total "
        f"FROM charge_transaction t "
        f"WHERE t.customer_id IN ({customers}) AND {tx_where} GROUP BY t.customer_id",
        *params,
        *tx_params,
    )
    call_by = {row["customer_id"]: row for row in calls}
    tx_by = {row["customer_id"]: row for row in transactions}
    outcomes = []
    for row in await sql.rows(_TERMS.format(customers=customers), *params):
        terms = Terms(
            row["id"],
            row["account_number"],
            row["low_value_policy"],
            row["minimum_amount"],
            row["low_usage_fee"],
            row["invoice_count"],
            row["invoice_message_id"],
        )
        call, tx = call_by.get(terms.customer_id), tx_by.get(terms.customer_id)
        charges = Charges(
            call_count=call["n"] if call else 0,
            call_total=int(call["total"]) if call else 0,
            transaction_count=tx["n"] if tx else 0,
            transaction_total=int(tx["total"]) if tx else 0,
        )
        outcomes.append(decide(terms, charges))
    return outcomes


def _scope(subrun_id: int | None) -> tuple[str, list[Any]]:
    if subrun_id is None:
        return "SELECT id FROM customer WHERE subrun_id IS NULL", []
    return "SELECT id FROM customer WHERE subrun_id = ?", [subrun_id]


# --- the run -------------------------------------------------------------------------


@dataclass(frozen=True)
class RunTerms:
    id: int
    status: str
    subrun_id: int | None
    message_id: int | None
    invoice_date: date
    due_date: date | None
    cutoffs: Cutoffs

    @property
    def period_ended(self) -> date:
        return self.cutoffs.cutoff_date - timedelta(days=1)


async def load_run(run_id: int, zone: str) -> RunTerms | None:
    rows = await BillingRun.filter(id=run_id).values(
        "id",
        "status",
        "subrun_id",
        "invoice_message_id",
        "invoice_date",
        "due_date",
        "cutoff_date",
        "transaction_cutoff_date",
    )
    if not rows:
        return None
    row = rows[0]
    return RunTerms(
        id=row["id"],
        status=row["status"],
        subrun_id=row["subrun_id"],
        message_id=row["invoice_message_id"],
        invoice_date=row["invoice_date"],
        due_date=row["due_date"],
        cutoffs=Cutoffs.of(row["cutoff_date"], row["transaction_cutoff_date"], zone),
    )


async def pre_billing(run: RunTerms) -> list[Outcome]:
    """What the run would produce now, customer by customer; writes nothing."""
    async with in_transaction() as conn:
        sql = Sql(conn)
        if run.status in (BillingRunStatus.PENDING, BillingRunStatus.REQUESTED):
            customers, params = _scope(run.subrun_id)
        else:  # the scope was fixed when the run started: what is left of it
            customers = (
                "SELECT s.customer_id FROM billing_run_customer s "
                "JOIN billing_run_chunk h ON h.billing_run_id = s.billing_run_id "
                "AND h.chunk = s.chunk WHERE s.billing_run_id = ? AND NOT h.done"
            )
            params = [run.id]
        return await _outcomes(sql, customers, params, run.cutoffs)


async def start(run: RunTerms, chunk_size: int) -> bool:
    """Requested -> Running: fix the customers in scope, in chunks. False if not Requested."""
    now = datetime.now(UTC)
    async with in_transaction() as conn:
        sql = Sql(conn)
        started = await sql.run(
            "UPDATE billing_run SET status = ?, commenced_date = ?, updated_date = ?, "
            "version = version + 1 WHERE id = ? AND status = ?",
            BillingRunStatus.RUNNING.value,
            now,
            now,
            run.id,
            BillingRunStatus.REQUESTED.value,
        )
        if not started:
            return False
        customers, params = _scope(run.subrun_id)
        await sql.run(
            "INSERT INTO billing_run_customer (billing_run_id, customer_id, chunk) "
            f"SELECT ?, id, (ROW_NUMBER() OVER (ORDER BY id) - 1) / ? FROM ({customers}) AS s",
            run.id,
            chunk_size,
            *params,
        )
        await sql.run(
            "INSERT INTO billing_run_chunk (billing_run_id, chunk, done) "
            "SELECT DISTINCT billing_run_id, chunk, FALSE FROM billing_run_customer "
            "WHERE billing_run_id = ?",
            run.id,
        )
        # The same transaction as the status change above, whose version bump covers it.
        await sql.run(
            "UPDATE billing_run SET customers_in_scope = (SELECT COUNT(*) FROM "
            "billing_run_customer WHERE billing_run_id = ?) WHERE id = ?",
            run.id,
            run.id,
        )
    await progress.changed(run.id)
    log.info("billing run %s started", run.id, extra={"run_id": run.id})
    return True


async def bill_next_chunk(run: RunTerms) -> bool:
    """Bill one unfinished chunk; False when there is none left to claim."""
    for _ in range(_MAX_REDOS):
        try:
            customers = await _bill_chunk(run)
        except ChunkChanged:
            log.info("billing run %s: charges changed under a chunk; redoing it", run.id)
            continue
        if customers is None:
            return False
        await progress.changed(run.id)
        observe.customers_billed(customers)
        return True
    raise RuntimeError(f"billing run {run.id}: a chunk kept changing under the engine")


async def _bill_chunk(run: RunTerms) -> int | None:
    """Bill one unfinished chunk and return its customer count; None if none is left."""
    now = datetime.now(UTC)
    async with in_transaction() as conn:
        sql = Sql(conn)
        lock = " FOR UPDATE SKIP LOCKED" if sql.postgres else ""
        claimed = await sql.rows(
            "SELECT chunk FROM billing_run_chunk WHERE billing_run_id = ? AND NOT done "
            f"ORDER BY chunk LIMIT 1{lock}",
            run.id,
        )
        if not claimed:
            return None
        chunk = claimed[0]["chunk"]
        members = (
            "SELECT customer_id FROM billing_run_customer WHERE billing_run_id = ? AND chunk = ?"
        )
        outcomes = await _outcomes(sql, members, [run.id, chunk], run.cutoffs)
        produced = [o for o in outcomes if o.produced]
        await _insert_invoices(sql, run, produced, now)
        await _claim(sql, run, produced, now)
        skipped = [o for o in outcomes if not o.produced]
        if skipped:
            await sql.run(
                "INSERT INTO invoice_not_produced "
                "(billing_run_id, customer_id, reason, amount, created_date) VALUES "
                + ", ".join(["(?, ?, ?, ?, ?)"] * len(skipped)),
                *[
                    v
                    for o in skipped
                    for v in (run.id, o.terms.customer_id, o.reason, o.total, now)
                ],
            )
        marked = await sql.run(
            "UPDATE billing_run_chunk SET done = TRUE "
            "WHERE billing_run_id = ? AND chunk = ? AND NOT done",
            run.id,
            chunk,
        )
        if marked != 1:
            raise ChunkChanged
        await sql.run(
            "UPDATE billing_run SET customers_done = customers_done + ?, "
            "invoices_produced = invoices_produced + ?, "
            "invoices_not_produced = invoices_not_produced + ?, "
            "updated_date = ?, version = version + 1 WHERE id = ?",
            len(outcomes),
            len(produced),
            len(skipped),
            now,
            run.id,
        )
    return len(outcomes)


async def _insert_invoices(sql: Sql, run: RunTerms, produced: list[Outcome], now: datetime) -> None:
    if not produced:
        return
    ids = [o.terms.customer_id for o in produced]
    await sql.run(
        f"UPDATE customer SET invoice_count = invoice_count + 1 WHERE id IN ({marks(len(ids))})",
        *ids,
    )
    texts = await _message_texts(sql, {run.message_id or o.terms.message_id for o in produced})
    values: list[Any] = []
    for o in produced:
        c = o.charges
        values += [
            f"{o.terms.account_number}/{o.terms.invoice_count + 1}",
            o.terms.customer_id,
            run.id,
            run.invoice_date,
            run.due_date,
            run.period_ended,
            texts.get(run.message_id or o.terms.message_id),
            c.call_total,
            c.transaction_total,
            o.adjustment,
            o.total,
            c.call_count,
            c.transaction_count,
            now,
        ]
    await sql.run(
        "INSERT INTO invoice (number, customer_id, billing_run_id, invoice_date, due_date, "
        "period_ended, message, call_total, transaction_total, adjustment, total, call_count, "
        "transaction_count, created_date) VALUES " + ", ".join([f"({marks(14)})"] * len(produced)),
        *values,
    )


async def _message_texts(sql: Sql, ids: set[int | None]) -> dict[int | None, str | None]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = await sql.rows(
        f"SELECT id, text, name FROM preset WHERE id IN ({marks(len(wanted))})", *wanted
    )
    return {row["id"]: row["text"] if row["text"] is not None else row["name"] for row in rows}


async def _claim(sql: Sql, run: RunTerms, produced: list[Outcome], now: datetime) -> None:
    """Point the included charges at their invoices; check they are what was summed."""
    if not produced:
        return
    ids = [o.terms.customer_id for o in produced]
    # Join only this chunk's invoices: joining all of the run's makes every chunk slower
    # than the one before.
    chunk_invoices = f"i.billing_run_id = ? AND i.customer_id IN ({marks(len(ids))})"
    call_where, call_params = run.cutoffs.call_condition("call")
    claimed_calls = await sql.run(
        f"UPDATE call SET invoice_id = i.id, updated_date = ? FROM invoice i "
        f"WHERE {chunk_invoices} AND call.customer_id = i.customer_id AND {call_where}",
        now,
        run.id,
        *ids,
        *call_params,
    )
    # Calls are only ever added, never changed or removed: the count alone shows
    # whether one arrived after the aggregate.
    if claimed_calls != sum(o.charges.call_count for o in produced):
        raise ChunkChanged
    tx_where, tx_params = run.cutoffs.transaction_condition("charge_transaction")
    claimed = await sql.rows(
        "UPDATE charge_transaction SET invoice_id = i.id, updated_date = ?, "
        "version = charge_transaction.version + 1 FROM invoice i "
        f"WHERE {chunk_invoices} AND charge_transaction.customer_id = i.customer_id "
        f"AND {tx_where} "
        "RETURNING charge_transaction.customer_id, charge_transaction.amount",
        now,
        run.id,
        *ids,
        *tx_params,
    )
    # Unbilled transactions can be edited or deleted: compare each customer's.
    got: dict[int, tuple[int, int]] = {}
    for row in claimed:
        count, total = got.get(row["customer_id"], (0, 0))
        got[row["customer_id"]] = (count + 1, total + int(row["amount"]))
    expected = {
        o.terms.customer_id: (o.charges.transaction_count, o.charges.transaction_total)
        for o in produced
        if o.charges.transaction_count
    }
    if got != expected:
        raise ChunkChanged


async def complete(run: RunTerms) -> bool:
    """Running -> Complete once every chunk is done; False otherwise."""
    async with in_transaction() as conn:
        sql = Sql(conn)
        left = await sql.rows(
            "SELECT COUNT(*) AS n FROM billing_run_chunk WHERE billing_run_id = ? AND NOT done",
            run.id,
        )
        if left[0]["n"]:
            return False
        totals = await sql.rows(
            "SELECT COALESCE(SUM(total), 0) AS total FROM invoice WHERE billing_run_id = ?", run.id
        )
        # Final once every chunk is done: each chunk's counts committed with its mark.
        counts = (
            await BillingRun.filter(id=run.id)
            .using_db(conn)
            .values(
                "customers_done", "invoices_produced", "invoices_not_produced", "commenced_date"
            )
        )
        now = datetime.now(UTC)
        amount = from_units(int(totals[0]["total"]))
        done = (
            await BillingRun.filter(id=run.id, status=BillingRunStatus.RUNNING)
            .using_db(conn)
            .update(
                status=BillingRunStatus.COMPLETE,
                completed_date=now,
                updated_date=now,
                invoice_amount=amount,
                active_group=None,
                version=F("version") + 1,
            )
        )
    if done:
        await progress.changed(run.id)
        _completed(run.id, counts[0], amount, now)
    return bool(done)


def _completed(run_id: int, counts: dict[str, Any], amount: Decimal, now: datetime) -> None:
    """Log the run's end with its counts and duration; tell the observers."""
    began = counts["commenced_date"]
    seconds = max((now - began).total_seconds(), 0.0) if began else 0.0
    summary = observe.RunSummary(
        run_id=run_id,
        customers=counts["customers_done"],
        invoices_produced=counts["invoices_produced"],
        invoices_not_produced=counts["invoices_not_produced"],
        seconds=seconds,
    )
    log.info(
        "billing run %s complete: %s customers, %s invoices produced, %s not produced, "
        "amount %s, in %.1f s",
        run_id,
        summary.customers,
        summary.invoices_produced,
        summary.invoices_not_produced,
        amount,
        seconds,
        extra={
            "run_id": run_id,
            "customers": summary.customers,
            "invoices_produced": summary.invoices_produced,
            "invoices_not_produced": summary.invoices_not_produced,
            "invoice_amount": str(amount),
            "duration_seconds": round(seconds, 3),
        },
    )
    observe.run_completed(summary)


async def _log_progress(run_id: int) -> None:
    rows = await BillingRun.filter(id=run_id).values("customers_done", "customers_in_scope")
    if rows:
        done, scope = rows[0]["customers_done"], rows[0]["customers_in_scope"]
        log.info(
            "billing run %s: %s of %s customers done",
            run_id,
            done,
            scope,
            extra={"run_id": run_id, "customers_done": done, "customers_in_scope": scope},
        )


async def bill(
    run_id: int, zone: str, chunk_size: int = DEFAULT_CHUNK_SIZE, pause: float = 0.0
) -> bool:
    """Take a Requested or Running run as far as it will go; True if anything was done."""
    run = await load_run(run_id, zone)
    if run is None:
        return False
    worked = False
    if run.status == BillingRunStatus.REQUESTED:
        worked = await start(run, chunk_size)
    progress_due = observe.Every(PROGRESS_LOG_SECONDS)
    chunks = 0
    while await bill_next_chunk(run):
        worked = True
        chunks += 1
        if progress_due.due():
            await _log_progress(run.id)
        if pause:
            await asyncio.sleep(pause)  # let API requests in between chunks (SQLite)
    if chunks:  # several processes may share a run: each says what it did
        log.info("billing run %s: this process billed %s chunks", run.id, chunks)
    return await complete(run) or worked
