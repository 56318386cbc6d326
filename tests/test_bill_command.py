"""`server.py bill RUN_ID` and the demo-data bar: real processes, on a real database."""

from __future__ import annotations

import asyncio
import os
import pty
import sys
from collections.abc import AsyncIterator

import pytest
from tortoise.context import TortoiseContext

from billing import db, runs
from billing.demo import DemoPlan, create_demo_data
from billing.errors import BillingError
from billing.money import from_units
from models import Invoice, InvoiceNotProduced
from tests.conftest import ROOT
from tests.test_import_calls import read_terminal, run_server

SMALL = DemoPlan(customers=40, calls_per_customer=3, transactions_per_customer=2, seed=3)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[TortoiseContext]:
    ctx = await db.open_database(database_url)
    yield ctx
    with ctx:
        await ctx.close_connections()


@pytest.fixture
async def pending_run(database: TortoiseContext) -> int:
    """The id of the demo data's Pending run, over 40 customers."""
    with database:
        summary = await create_demo_data(SMALL)
    assert summary.run is not None
    return summary.run.id


async def bill(
    run_id: object, database_url: str, stderr: int = asyncio.subprocess.PIPE
) -> tuple[int, str, str]:
    """Run `python server.py bill RUN_ID`, billing in chunks of 7 (so in several)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        "bill",
        str(run_id),
        env={**os.environ, "DATABASE_URL": database_url, "BILLING_CHUNK_SIZE": "7"},
        stdout=asyncio.subprocess.PIPE,
        stderr=stderr,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode, out.decode(), (err or b"").decode()


def summary_numbers(out: str) -> dict[str, str]:
    lines = out.strip().splitlines()
    return dict(line.split(": ", 1) for line in lines[1:])


async def test_bill_completes_the_run_and_prints_the_databases_numbers(
    database, database_url, pending_run
):
    code, out, err = await bill(pending_run, database_url)

    assert code == 0, err
    assert err == ""  # on a pipe: no bar
    with database:
        run = await runs.get_run(pending_run)
        totals = await Invoice.filter(billing_run_id=pending_run).values_list("total", flat=True)
        not_produced = await InvoiceNotProduced.filter(billing_run_id=pending_run).count()
    assert run.status == "Complete"
    assert out.splitlines()[0] == f"billing run {pending_run} {run.name!r} is Complete"
    numbers = summary_numbers(out)
    assert numbers["invoices produced"] == f"{len(totals):,}" and len(totals) > 0
    assert numbers["invoices not produced"] == f"{not_produced:,}"
    assert numbers["total"] == f"{from_units(sum(totals)):,.2f}"
    assert run.invoices_produced + run.invoices_not_produced == run.customers_in_scope
    seconds = (run.completed_date - run.commenced_date).total_seconds()
    assert numbers["duration"] == f"{seconds:.1f} s"


async def test_bill_draws_a_bar_of_customers_on_a_terminal(database, database_url, pending_run):
    controller, terminal = pty.openpty()
    try:
        code, out, _ = await bill(pending_run, database_url, stderr=terminal)
        os.close(terminal)
        drawn = read_terminal(controller)
    finally:
        os.close(controller)

    with database:
        run = await runs.get_run(pending_run)
    assert code == 0 and "is Complete" in out
    last = drawn.rstrip("\r\n").rsplit("\r", 1)[-1]  # the bar as it was left
    scope = run.customers_in_scope
    assert last.startswith("billing: 100%|") and f" {scope}/{scope} " in last, drawn
    assert drawn.endswith("\r\n")


async def test_bill_of_an_unknown_run_is_one_line_and_exit_2(database_url):
    code, out, err = await bill(999, database_url)

    assert code == 2 and out == ""
    assert err == "error: no billing run with id 999\n"


async def test_bill_of_a_complete_run_is_refused_with_the_domains_message(
    database, database_url, pending_run
):
    assert (await bill(pending_run, database_url))[0] == 0
    with database, pytest.raises(BillingError) as refused:
        await runs.request_bills(pending_run)

    code, out, err = await bill(pending_run, database_url)

    assert code == 2 and out == ""
    assert err == f"error: {refused.value.message}\n"
    assert "Complete" in err


async def test_bill_takes_up_a_run_already_requested(database, database_url, pending_run):
    with database:
        await runs.request_bills(pending_run)  # as a client would, with no server running

    code, out, err = await bill(pending_run, database_url)

    assert code == 0
    assert err == f"billing run {pending_run} is already Requested: billing it here too\n"
    assert "is Complete" in out


async def test_demo_data_draws_a_bar_of_rows_on_a_terminal(database_url):
    controller, terminal = pty.openpty()
    try:
        code, out, _ = await run_server(
            "demo-data", "--customers", "20", database_url=database_url, stderr=terminal
        )
        os.close(terminal)
        drawn = read_terminal(controller)
    finally:
        os.close(controller)

    assert code == 0 and "20 customers" in out
    last = drawn.rstrip("\r\n").rsplit("\r", 1)[-1]
    assert last.startswith("writing: 100%|"), drawn
    assert drawn.endswith("\r\n")


async def test_demo_data_on_a_pipe_draws_nothing(database_url):
    code, out, err = await run_server("demo-data", "--customers", "5", database_url=database_url)

    assert code == 0 and "5 customers" in out
    assert err == ""
