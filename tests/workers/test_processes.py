"""Several server processes on one PostgreSQL database: `--workers`, shared runs, news."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from billing import auth, db, engine, runs
from tests.conftest import ROOT
from tests.test_engine_process import _outcome
from tests.workers.processes import ServerProcess, alive, billable_run, chunks_billed

CUSTOMERS = 2_000
CHUNK = 20
#: Small chunks with a pause between them, so a run lasts long enough to share and kill.
ENGINE = {"BILLING_CHUNK_SIZE": str(CHUNK), "BILLING_CHUNK_PAUSE_MS": "20"}


async def _key(url: str) -> dict[str, str]:
    key = await db.in_database(url, lambda: auth.create_api_key("processes"))
    return {"Authorization": f"Bearer {key}"}


async def _run_when(
    session: aiohttp.ClientSession, server: ServerProcess, run_id: int, check: Callable
) -> dict[str, Any]:
    """Read the run over REST until `check` holds (bounded: a failure guard)."""
    async with asyncio.timeout(120):
        while True:
            url = f"{server.base}/backend/api/v1/billingRuns/{run_id}"
            async with session.get(url) as response:
                assert response.status == 200, await response.text()
                run = await response.json()
            if check(run):
                return run
            await asyncio.sleep(0.02)


async def _reference(url: str) -> int:
    """The same run billed by one process in one go."""
    run_id = await billable_run(url, CUSTOMERS)

    async def bill() -> None:
        await runs.request_bills(run_id)
        await engine.bill(run_id, "UTC", chunk_size=CHUNK)

    await db.in_database(url, bill)
    return run_id


async def test_workers_are_refused_on_sqlite(tmp_path: Path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'one.sqlite3'}"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        "serve",
        "--workers",
        "2",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert out == b""
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --workers 2 needs PostgreSQL"), lines
    assert not (tmp_path / "one.sqlite3").exists(), "refused before touching the database"


async def test_workers_serve_one_port_from_n_processes_and_stop_together_on_sigterm(
    postgres_only, database_url: str
):
    headers = await _key(database_url)
    server = ServerProcess(database_url, "--workers", "2", RUN_ENGINE="0")
    await server.start()
    try:
        async with asyncio.timeout(60):  # both workers listen once booted
            while server.output.count("listening for notifications") < 2:
                await server.wait_for_line("listening for notifications")
                await asyncio.sleep(0.05)
        workers = server.children()
        assert len(workers) == 2
        # Each worker holds its own LISTEN connection: two backends, two client ports.
        name = database_url.rsplit("/", 1)[1]
        listeners = await _listeners(database_url, name)
        assert len(listeners) == 2
        async with aiohttp.ClientSession(headers=headers) as session:

            async def get() -> int:
                async with session.get(f"{server.base}/backend/api/v1/billingRuns/") as r:
                    return r.status

            assert set(await asyncio.gather(*(get() for _ in range(50)))) == {200}
            # Whichever worker answers /metrics, it counts every worker's requests.
            for _ in range(6):
                async with session.get(f"{server.base}/metrics") as response:
                    assert _listed_runs_counted(await response.text()) == 50
        server.signal(signal.SIGTERM)
        assert await server.wait() == 0
        for pid in workers:
            assert not alive(pid), f"worker {pid} outlived SIGTERM"
        assert server.output.count("Worker exiting") == 2
    finally:
        await server.stop()


def _listed_runs_counted(exposition: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == "http_requests_total"
        and sample.labels.get("route", "").startswith("/backend/api/v1/billingRuns")
        and "{id}" not in sample.labels.get("route", "")
    )


async def _listeners(url: str, name: str) -> list[Any]:
    import asyncpg

    from billing.db import asyncpg_dsn

    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%'", name
        )
    finally:
        await conn.close()


async def test_two_processes_bill_a_run_together_exactly_as_one_process_does(postgres_only, fresh):
    shared_url, reference_url = await fresh(), await fresh()
    run_id = await billable_run(shared_url, CUSTOMERS)
    assert await _reference(reference_url) == run_id
    headers = await _key(shared_url)
    first, second = ServerProcess(shared_url, **ENGINE), ServerProcess(shared_url, **ENGINE)
    try:
        await asyncio.gather(first.start(), second.start())
        async with aiohttp.ClientSession(headers=headers) as session:
            url = f"{first.base}/backend/api/v1/billingRuns/{run_id}"
            async with session.patch(url, json={"status": "Requested"}) as response:
                assert response.status == 200, await response.text()
            done = await _run_when(session, second, run_id, lambda r: r["status"] == "Complete")
        # Each logs its share once it finds no chunk left.
        await first.wait_for_line(f"billing run {run_id}: this process billed")
        await second.wait_for_line(f"billing run {run_id}: this process billed")
    finally:
        await asyncio.gather(first.stop(), second.stop())
    shares = chunks_billed(first, run_id), chunks_billed(second, run_id)
    assert all(share > 0 for share in shares), shares
    assert sum(shares) == CUSTOMERS // CHUNK, "a chunk billed twice, or never"
    shared, reference = await _outcome(shared_url, run_id), await _outcome(reference_url, run_id)
    assert shared == reference
    assert done["customersDone"] == CUSTOMERS
    assert shared["billed_calls"] == sum(i["call_count"] for i in shared["invoices"])


async def test_when_one_of_two_processes_is_killed_mid_run_the_other_finishes_it(
    postgres_only, fresh
):
    shared_url, reference_url = await fresh(), await fresh()
    run_id = await billable_run(shared_url, CUSTOMERS)
    assert await _reference(reference_url) == run_id
    headers = await _key(shared_url)
    doomed, survivor = ServerProcess(shared_url, **ENGINE), ServerProcess(shared_url, **ENGINE)
    try:
        await asyncio.gather(doomed.start(), survivor.start())
        async with aiohttp.ClientSession(headers=headers) as session:
            url = f"{doomed.base}/backend/api/v1/billingRuns/{run_id}"
            async with session.patch(url, json={"status": "Requested"}) as response:
                assert response.status == 200, await response.text()
            mid_run = await _run_when(
                session, doomed, run_id, lambda r: r["customersDone"] >= CUSTOMERS // 10
            )
            doomed.signal(signal.SIGKILL)
            await doomed.wait()
            done = await _run_when(session, survivor, run_id, lambda r: r["status"] == "Complete")
    finally:
        await asyncio.gather(doomed.stop(), survivor.stop())
    assert mid_run["status"] == "Running" and mid_run["customersDone"] < CUSTOMERS
    assert done["customersDone"] == CUSTOMERS
    assert await _outcome(shared_url, run_id) == await _outcome(reference_url, run_id)


PROTOCOL = "graphql-transport-ws"
PROGRESS = """
subscription ($id: ID!) {
  billingRunProgress(id: $id) { status customersDone invoiceAmount }
}
"""


async def test_a_subscription_on_one_process_hears_every_chunk_another_process_bills(
    postgres_only, api, database_url: str
):
    # This test's app (`api`) bills nothing: its engine is off. The run is billed by a
    # second server process, woken by the bill request made here.
    run_id = await billable_run(database_url, 400)
    biller = ServerProcess(database_url, BILLING_CHUNK_SIZE="10", BILLING_CHUNK_PAUSE_MS="20")
    await biller.start()
    try:
        await biller.wait_for_line("listening for notifications")
        ws = await api.client.ws_connect("/graphql", protocols=[PROTOCOL])
        await ws.send_json({"type": "connection_init", "payload": api.auth})
        assert (await asyncio.wait_for(ws.receive_json(), 10))["type"] == "connection_ack"
        await ws.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": PROGRESS, "variables": {"id": str(run_id)}},
            }
        )
        updates = [await asyncio.wait_for(ws.receive_json(), 10)]
        await api.rest_json("PATCH", f"/billingRuns/{run_id}", json={"status": "Requested"})
        async with asyncio.timeout(120):
            while updates[-1]["type"] == "next":
                updates.append(await ws.receive_json())
        await ws.close()
    finally:
        await biller.stop()
    assert updates[-1] == {"id": "1", "type": "complete"}
    seen = [u["payload"]["data"]["billingRunProgress"] for u in updates[:-1]]
    assert seen[0]["status"] == "Pending" and seen[-1]["status"] == "Complete"
    done = [run["customersDone"] for run in seen]
    assert done == sorted(done) and done[-1] == 400
    # 40 chunks, each announced by the process that billed it; a subscriber woken only by
    # its 5 s safety poll would see one or two of them.
    running = [run for run in seen if run["status"] == "Running"]
    assert len({run["customersDone"] for run in running}) >= 10, done
    final = await api.rest_json("GET", f"/billingRuns/{run_id}")
    amount = Decimal(seen[-1]["invoiceAmount"])
    assert amount == Decimal(str(final["invoiceAmount"])) and amount > 0
    assert chunks_billed(biller, run_id) == 40


async def test_a_bill_request_in_one_process_wakes_the_engine_of_another(
    postgres_only, api, database_url: str
):
    run_id = await billable_run(database_url, 40)
    biller = ServerProcess(database_url, BILLING_CHUNK_SIZE="10")
    await biller.start()
    try:
        await biller.wait_for_line("listening for notifications")
        await api.rest_json("PATCH", f"/billingRuns/{run_id}", json={"status": "Requested"})
        woken = await biller.wait_for_line(f"bills requested for run {run_id}")
        started = await biller.wait_for_line(f"billing run {run_id} started")
        async with asyncio.timeout(60):
            while True:
                if (await api.rest_json("GET", f"/billingRuns/{run_id}"))["status"] == "Complete":
                    break
                await asyncio.sleep(0.02)
    finally:
        await biller.stop()
    # The engine looked because it was told, not at its next safety poll.
    assert biller.lines.index(woken) < biller.lines.index(started)
