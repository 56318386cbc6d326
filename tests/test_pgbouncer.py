"""Behind PgBouncer in transaction pooling mode: a real server bills a run while API
requests flow, and migrations leave no lock behind.

PostgreSQL only; needs PgBouncer in front of the test server (`TEST_PGBOUNCER_URL`, e.g.
postgres://postgres@127.0.0.1:6432/test; `.ci/pgbouncer` starts one, `.ci/run` sets it).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aiohttp
import pytest

from billing import db, engine
from tests.conftest import ROOT, with_database
from tests.test_cli import _free_port

PGBOUNCER_ENV = "TEST_PGBOUNCER_URL"
SERVER = str(ROOT / "server.py")
CLIENTS = 6
PROGRESS_QUERY = "query ($id: ID!) { billingRun(id: $id) { status customersDone } }"


@pytest.fixture
def pgbouncer_url(database_kind: str, database_url: str) -> str:
    """The test database, reached through PgBouncer (`?pgbouncer=true`)."""
    bouncer = os.environ.get(PGBOUNCER_ENV)
    if database_kind != "postgres" or not bouncer:
        pytest.skip(f"needs --db postgres and {PGBOUNCER_ENV} (PgBouncer, transaction pooling)")
    url = with_database(bouncer.split("?", 1)[0], urlsplit(database_url).path.strip("/"))
    return url + "?pgbouncer=true"


async def command(*args: str, env: dict[str, str]) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        SERVER,
        *args,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    return out.decode()


@contextlib.asynccontextmanager
async def serving(env: dict[str, str]) -> AsyncIterator[int]:
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        SERVER,
        env={**os.environ, **env, "PORT": str(port)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    lines: list[str] = []
    draining: asyncio.Task[bytes] | None = None
    try:
        async with asyncio.timeout(60):
            while not any("Running on" in line for line in lines):
                line = await process.stdout.readline()
                assert line, f"the server exited before listening: {lines}"
                lines.append(line.decode())
        # Keep reading what it logs, or a full pipe would stop it.
        draining = asyncio.create_task(process.stdout.read())
        yield port
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            await asyncio.wait_for(process.wait(), timeout=60)
        if draining is not None:
            await draining


async def migration_locks(database_url: str) -> int:
    """Migration locks held in the database, asked of the server directly."""
    import asyncpg

    conn = await asyncpg.connect(db.asyncpg_dsn(database_url))
    try:
        return await conn.fetchval(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND ((classid::bigint << 32) | objid::bigint) = $1 "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            db._MIGRATION_LOCK_KEY,
        )
    finally:
        await conn.close()


async def test_the_migration_lock_holds_through_pgbouncer_and_ends_with_the_migration(
    pgbouncer_url, database_url
):
    import asyncpg

    async with db._migration_lock(pgbouncer_url):
        # Other clients of PgBouncer come and go meanwhile; asyncpg's pool releases every
        # advisory lock of a connection it takes back. A session lock would sit on an idle
        # server connection that these are handed, and be released (or, without them, be
        # left behind after the migration).
        for _ in range(5):
            other = await asyncpg.connect(db.asyncpg_dsn(pgbouncer_url), statement_cache_size=0)
            await other.execute("SELECT pg_advisory_unlock_all()")
            await other.close()
        held = await migration_locks(database_url)
    released = await migration_locks(database_url)

    assert (held, released) == (1, 0)
    await db.migrate(pgbouncer_url)  # and a start through PgBouncer takes it and goes on


async def test_a_server_behind_pgbouncer_bills_a_run_while_api_requests_flow(
    pgbouncer_url, database_url
):
    env = {"DATABASE_URL": pgbouncer_url, "BILLING_CHUNK_SIZE": "10"}
    made = await command("demo-data", "--customers", "300", "--calls-per-customer", "10", env=env)
    run_id = int(re.search(r"created billing run (\d+) ", made)[1])
    key = (await command("create-api-key", "pgbouncer", env=env)).strip().splitlines()[-1]
    ctx = await db.open_database(database_url)  # direct, to check what was written
    try:
        with ctx:
            run = await engine.load_run(run_id, "UTC")
            assert run is not None
            expected = await engine.pre_billing(run)
        await _bill_under_load(env, key, run_id)
        with ctx:
            conn = ctx.connections.get("default")
            invoices = await conn.execute_query_dict(
                "SELECT COUNT(*) AS n, COALESCE(SUM(total), 0) AS total FROM invoice"
            )
            claimed = await conn.execute_query_dict(
                "SELECT (SELECT COUNT(*) FROM call WHERE invoice_id IS NOT NULL) AS calls, "
                "(SELECT COUNT(*) FROM billing_run_chunk WHERE NOT done) AS chunks_left"
            )
    finally:
        with ctx:
            await ctx.close_connections()

    produced = [o for o in expected if o.produced]
    assert invoices[0]["n"] == len(produced) > 0
    assert int(invoices[0]["total"]) == sum(o.total for o in produced)
    assert claimed[0]["calls"] == sum(o.charges.call_count for o in produced)
    assert claimed[0]["chunks_left"] == 0


async def _bill_under_load(env: dict[str, str], key: str, run_id: int) -> None:
    """Request bills over REST while clients read runs over REST and GraphQL; every
    answer must be a success, until the run is Complete."""
    headers = {"Authorization": f"Bearer {key}"}
    statuses: list[int] = []
    complete = asyncio.Event()
    async with serving(env) as port:
        base = f"http://127.0.0.1:{port}"
        run_url = f"{base}/backend/api/v1/billingRuns/{run_id}"
        async with aiohttp.ClientSession(headers=headers) as session:

            async def read_until_complete(n: int) -> None:
                while not complete.is_set():
                    if n % 2:
                        response = await session.get(run_url)
                    else:
                        response = await session.post(
                            f"{base}/graphql",
                            json={"query": PROGRESS_QUERY, "variables": {"id": str(run_id)}},
                        )
                    body = await response.json()
                    statuses.append(response.status)
                    assert response.status == 200 and "errors" not in body, body

            async def request_and_watch() -> None:
                patch = await session.patch(run_url, json={"status": "Requested"})
                assert patch.status == 200, await patch.text()
                while True:
                    got = await session.get(run_url)
                    if (await got.json())["status"] == "Complete":
                        complete.set()
                        return

            async with asyncio.timeout(180):
                await asyncio.gather(
                    request_and_watch(), *(read_until_complete(n) for n in range(CLIENTS))
                )
    assert len(statuses) >= CLIENTS and set(statuses) == {200}
