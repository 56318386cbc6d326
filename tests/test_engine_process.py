"""A server killed mid-run resumes on restart and bills every charge exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from billing import auth, db, engine, runs
from models import Call, ChargeTransaction, Customer, Invoice, InvoiceNotProduced, Preset
from tests.conftest import PG_ENV, ROOT, pg_admin, with_database
from tests.test_cli import _free_port

CUSTOMERS = 240
CALLS_EACH = 12
NOW = datetime(2026, 11, 20, tzinfo=UTC)
POLICIES = ("NONE", "SKIP", "PAD", "FEE")


async def _fresh_database(kind: str, tmp_path: Path, made: list[str]) -> str:
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}"
    else:
        name = f"billing_kill_{uuid.uuid4().hex[:12]}"
        await pg_admin(os.environ[PG_ENV], f'CREATE DATABASE "{name}"')
        made.append(name)
        url = with_database(os.environ[PG_ENV], name)
    await db.migrate(url)
    return url


async def _scenario(url: str) -> int:
    """The same customers, charges and Pending run on any fresh database; the run's id."""
    ctx = await db.open_database(url)
    with ctx:
        kind = await Preset.create(kind="transactionType", name="Rental")
        await Customer.bulk_create(
            Customer(
                account_number=f"K{i:04d}",
                name=f"Customer {i}",
                low_value_policy=POLICIES[i % 4],
                minimum_amount=50_000 * (i % 3),
                low_usage_fee=12_500,
                created_date=NOW,
                updated_date=NOW,
            )
            for i in range(CUSTOMERS)
        )
        ids = [c.id for c in await Customer.all().order_by("id")]
        await Call.bulk_create(
            Call(
                customer_id=cid,
                start_time=NOW - timedelta(days=n, seconds=i),
                duration=30 + n,
                number_dialled="0123",
                charge=(i * 37 + n * 1013) % 9_000,
                created_date=NOW,
                updated_date=NOW,
            )
            for i, cid in enumerate(ids)
            if i % 7  # every seventh customer has no calls
            for n in range(CALLS_EACH)
        )
        await ChargeTransaction.bulk_create(
            ChargeTransaction(
                customer_id=cid,
                transaction_type_id=kind.id,
                transaction_date=date(2026, 11, 3),
                amount=-(i * 101 % 20_000),
                description="credit",
                created_date=NOW,
                updated_date=NOW,
            )
            for i, cid in enumerate(ids)
            if i % 5 == 0
        )
        run = await runs.create_run(
            {"name": "Killed", "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01"}
        )
        await ctx.close_connections()
    return run.id


async def _outcome(url: str, run_id: int) -> dict[str, Any]:
    """Every invoice and unproduced line of the run, and how the charges were billed."""
    ctx = await db.open_database(url)
    with ctx:
        invoices = (
            await Invoice.filter(billing_run_id=run_id)
            .order_by("customer_id")
            .values(
                "customer_id",
                "number",
                "call_total",
                "transaction_total",
                "adjustment",
                "total",
                "call_count",
                "transaction_count",
            )
        )
        missing = (
            await InvoiceNotProduced.filter(billing_run_id=run_id)
            .order_by("customer_id")
            .values("customer_id", "reason", "amount")
        )
        calls = await Call.all().values("invoice_id", "charge")
        transactions = await ChargeTransaction.all().values("invoice_id", "amount")
        run = await runs.get_run(run_id)
        await ctx.close_connections()
    by_invoice: dict[int, list[int]] = {}
    for row in calls:
        if row["invoice_id"] is not None:
            by_invoice.setdefault(row["invoice_id"], []).append(row["charge"])
    return {
        "invoices": invoices,
        "not_produced": missing,
        "billed_calls": sum(len(v) for v in by_invoice.values()),
        "billed_call_units": sum(sum(v) for v in by_invoice.values()),
        "billed_transactions": sum(1 for t in transactions if t["invoice_id"] is not None),
        "status": run.status,
        "amount": run.invoice_amount,
        "progress": (
            run.customers_in_scope,
            run.customers_done,
            run.invoices_produced,
            run.invoices_not_produced,
        ),
    }


class Server:
    """`python server.py` as a real process, billing in small, slow chunks."""

    def __init__(self, url: str) -> None:
        self.url, self.port = url, _free_port()
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "PORT": str(self.port),
            "BILLING_CHUNK_SIZE": "4",
            "BILLING_CHUNK_PAUSE_MS": "25",
        }
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "server.py"),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        async with asyncio.timeout(60):
            while b"Running on" not in (line := await self.process.stdout.readline()):
                assert line, "the server exited before listening"

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        if self.process and self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
            await asyncio.wait_for(self.process.wait(), 60)


async def _wait_for(check: Callable[[dict], bool], session, port: int, run_id: int) -> dict:
    """Poll the run over REST until `check` holds (bounded: one minute)."""
    async with asyncio.timeout(60):
        while True:
            async with session.get(
                f"http://127.0.0.1:{port}/backend/api/v1/billingRuns/{run_id}"
            ) as response:
                run = await response.json()
            if check(run):
                return run
            await asyncio.sleep(0.01)


@pytest.fixture
async def fresh(database_kind: str, tmp_path: Path) -> AsyncIterator[Callable]:
    if database_kind == "postgres" and not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL tests need {PG_ENV}")
    made: list[str] = []
    yield lambda: _fresh_database(database_kind, tmp_path, made)
    for name in made:
        await pg_admin(os.environ[PG_ENV], f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_a_run_killed_mid_way_finishes_after_restart_exactly_as_an_unbroken_one(fresh):
    killed_url, reference_url = await fresh(), await fresh()
    run_id = await _scenario(killed_url)
    assert await _scenario(reference_url) == run_id

    ctx = await db.open_database(reference_url)
    with ctx:  # the reference: billed in one go, never interrupted
        await runs.request_bills(run_id)
        await engine.bill(run_id, "UTC", chunk_size=4)
        await ctx.close_connections()
    ctx = await db.open_database(killed_url)
    with ctx:
        key = await auth.create_api_key("kill test")
        await ctx.close_connections()

    headers = {"Authorization": f"Bearer {key}"}
    server = Server(killed_url)
    async with aiohttp.ClientSession(headers=headers) as session:
        await server.start()
        try:
            url = f"http://127.0.0.1:{server.port}/backend/api/v1/billingRuns/{run_id}"
            async with session.patch(url, json={"status": "Requested"}) as response:
                assert response.status == 200, await response.text()
            mid_run = await _wait_for(
                lambda run: run["customersDone"] > 0, session, server.port, run_id
            )
            server.kill()
            await server.process.wait()
        finally:
            await server.stop()
        assert mid_run["status"] == "Running"
        assert mid_run["customersDone"] < CUSTOMERS, "the run finished before it was killed"

        restarted = Server(killed_url)
        await restarted.start()
        try:
            await _wait_for(
                lambda run: run["status"] == "Complete", session, restarted.port, run_id
            )
        finally:
            await restarted.stop()

    killed, reference = await _outcome(killed_url, run_id), await _outcome(reference_url, run_id)
    assert killed == reference
    assert killed["progress"] == (
        CUSTOMERS,
        CUSTOMERS,
        len(killed["invoices"]),
        len(killed["not_produced"]),
    )
    assert killed["billed_calls"] == sum(i["call_count"] for i in killed["invoices"])
    assert killed["billed_call_units"] == sum(i["call_total"] for i in killed["invoices"])
    assert killed["billed_transactions"] == sum(i["transaction_count"] for i in killed["invoices"])
