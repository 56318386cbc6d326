"""Outages on PostgreSQL against a real `python server.py` process.

Its connections are terminated mid-load, and the database is cut off for a while (the
server reaches it through a proxy the test cuts and restores): no response is ever a 500,
requests during the outage are 503 with Retry-After, the server recovers by itself, and a
run requested before an outage completes after it with every charge billed once.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import asyncpg
import pytest

from billing import auth, db, engine, runs
from tests.conftest import PG_ENV, pg_admin
from tests.outage.conftest import REAL_OUTAGE_NEEDS_POSTGRES
from tests.outage.process import GUARD_SECONDS, ServerProcess
from tests.outage.proxy import TcpProxy
from tests.test_engine_process import CUSTOMERS, _fresh_database, _outcome, _scenario

API = "/backend/api/v1"
RUNS_QUERY = "query { billingRuns(first: 20) { totalCount nodes { id name status } } }"
UNAVAILABLE = "database unavailable"
AVAILABLE_AGAIN = "database available again"
#: The server may stop answering a request only with these; 5xx other than 503 never.
EXPECTED = {200, 201, 503}


@pytest.fixture(autouse=True)
def _postgres_only(database_kind: str) -> None:
    if database_kind != "postgres":
        pytest.skip(REAL_OUTAGE_NEEDS_POSTGRES)


async def _new_key(database_url: str) -> dict[str, str]:
    ctx = await db.open_database(database_url)
    with ctx:
        key = await auth.create_api_key("outage test")
        await ctx.close_connections()
    return {"Authorization": f"Bearer {key}"}


async def _call(session: aiohttp.ClientSession, server: ServerProcess, kind: int) -> tuple:
    """One of four requests (REST read, GraphQL read, REST write, GraphQL write)."""
    if kind == 0:
        response = await session.get(server.url(f"{API}/billingRuns/"))
    elif kind == 1:
        response = await session.post(server.url("/graphql"), json={"query": RUNS_QUERY})
    elif kind == 2:
        response = await session.post(server.url(f"{API}/billingRuns/"), json={"name": "Load"})
    else:
        mutation = 'mutation { createBillingRun(input: {name: "Load"}) { billingRun { id } } }'
        response = await session.post(server.url("/graphql"), json={"query": mutation})
    async with response:
        return response.status, response.headers.get("Retry-After"), await response.json()


def _error_code(body: Any) -> str | None:
    if "error" in body:
        return body["error"]["code"]
    errors = body.get("errors") or [{}]
    return errors[0].get("extensions", {}).get("code")


def _check(answers: list[tuple]) -> None:
    """Every answer is a success or a 503 UNAVAILABLE with Retry-After: 1."""
    assert {status for status, _, _ in answers} <= EXPECTED, Counter(a[0] for a in answers)
    for status, retry_after, body in answers:
        if status == 503:
            assert retry_after == "1" and _error_code(body) == "UNAVAILABLE", body
        else:
            assert "errors" not in body, body


async def _serves_normally(session: aiohttp.ClientSession, server: ServerProcess) -> None:
    answers = [await _call(session, server, kind) for _ in range(5) for kind in range(4)]
    assert [status for status, _, _ in answers] == [200, 200, 201, 200] * 5, answers


def _assert_quiet(server: ServerProcess) -> None:
    """Outages logged one line at each end; no traceback, no unexpected error."""
    assert "Traceback" not in server.log, server.log
    assert "unexpected error" not in server.log and "engine failed" not in server.log
    assert server.count(UNAVAILABLE) == server.count(AVAILABLE_AGAIN), server.log


async def test_terminated_connections_mid_load_are_503s_and_the_server_serves_on(database_url):
    headers = await _new_key(database_url)
    name = urlsplit(database_url).path.strip("/")
    answers: list[tuple] = []
    answered = asyncio.Condition()

    async def client(session: aiohttp.ClientSession, server: ServerProcess, kind: int) -> None:
        while True:
            answer = await _call(session, server, kind)
            async with answered:
                answers.append(answer)
                answered.notify_all()

    async def more_answers(count: int) -> None:
        async with answered:
            target = len(answers) + count
            await answered.wait_for(lambda: len(answers) >= target)

    async def terminate_every(responses: int) -> int:
        """Terminate the server's connections each `responses` answers, until one of
        them has met a terminated connection (and at least three times)."""
        for times in range(1, 101):
            await more_answers(responses)
            await pg_admin(
                database_url,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
            )
            if times >= 3 and any(status == 503 for status, _, _ in answers):
                return times
        raise AssertionError("no request ever met a terminated connection")

    async with (
        ServerProcess(database_url) as server,
        aiohttp.ClientSession(headers=headers) as session,
    ):
        clients = [asyncio.create_task(client(session, server, i % 4)) for i in range(8)]
        try:
            async with asyncio.timeout(GUARD_SECONDS * 2):
                terminations = await terminate_every(responses=25)
                await more_answers(50)  # and the server goes on answering
        finally:
            for task in clients:
                task.cancel()
            await asyncio.gather(*clients, return_exceptions=True)

        _check(answers)
        await _serves_normally(session, server)
        await server.wait_for(AVAILABLE_AGAIN, server.count(UNAVAILABLE))

    assert 1 <= server.count(UNAVAILABLE) <= terminations, server.log
    _assert_quiet(server)


async def test_while_the_database_refuses_connections_requests_are_503_and_it_recovers_in_2_s(
    database_url, proxy: TcpProxy
):
    headers = await _new_key(database_url)
    async with (
        ServerProcess(proxy.url(database_url)) as server,
        aiohttp.ClientSession(headers=headers) as session,
    ):
        await _serves_normally(session, server)

        await proxy.cut()
        during = [await _call(session, server, kind) for _ in range(5) for kind in range(4)]
        await proxy.restore()
        back = asyncio.get_running_loop().time()
        async with asyncio.timeout(2):  # the contract: serving again within 2 s
            while (await _call(session, server, 0))[0] != 200:
                pass  # each try is a round trip to the server: no pause needed
        recovered_in = asyncio.get_running_loop().time() - back

        assert [status for status, _, _ in during] == [503] * 20, during
        _check(during)
        assert recovered_in < 2
        await _serves_normally(session, server)
        await server.wait_for(AVAILABLE_AGAIN)

    assert server.count(UNAVAILABLE) == 1, server.log
    _assert_quiet(server)


@pytest.fixture
async def fresh(tmp_path: Path) -> AsyncIterator[Callable]:
    made: list[str] = []
    yield lambda: _fresh_database("postgres", tmp_path, made)
    for name in made:
        await pg_admin(os.environ[PG_ENV], f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _progress(database_url: str, run_id: int) -> tuple[str, int]:
    """The run's status and customers done, read from the database directly."""
    conn = await asyncpg.connect(urlsplit(database_url)._replace(scheme="postgresql").geturl())
    try:
        row = await conn.fetchrow(
            "SELECT status, customers_done FROM billing_run WHERE id = $1", run_id
        )
    finally:
        await conn.close()
    return row["status"], row["customers_done"]


async def _run_when(
    session: aiohttp.ClientSession, server: ServerProcess, run_id: int, check: Callable
) -> dict[str, Any]:
    """Poll the run over REST until `check` holds (a failure guard bounds it)."""
    async with asyncio.timeout(GUARD_SECONDS):
        while True:
            async with session.get(server.url(f"{API}/billingRuns/{run_id}")) as response:
                if response.status == 200 and check(run := await response.json()):
                    return run
            await asyncio.sleep(0.01)


async def test_a_run_requested_before_outages_completes_after_them_billing_each_charge_once(
    fresh, proxy: TcpProxy
):
    url, reference_url = await fresh(), await fresh()
    run_id = await _scenario(url)
    assert await _scenario(reference_url) == run_id
    ctx = await db.open_database(reference_url)
    with ctx:  # the reference: billed in one go, never interrupted
        await runs.request_bills(run_id)
        await engine.bill(run_id, "UTC", chunk_size=4)
        await ctx.close_connections()
    headers = await _new_key(url)
    slow_chunks = {"BILLING_CHUNK_SIZE": "4", "BILLING_CHUNK_PAUSE_MS": "25"}

    async with (
        ServerProcess(proxy.url(url), **slow_chunks) as server,
        aiohttp.ClientSession(headers=headers) as session,
    ):
        run_url = server.url(f"{API}/billingRuns/{run_id}")
        async with session.patch(run_url, json={"status": "Requested"}) as response:
            assert response.status == 200, await response.text()
        done = 0
        for outage in range(1, 4):
            await _run_when(session, server, run_id, lambda run, d=done: run["customersDone"] > d)
            await proxy.cut()
            async with session.get(run_url) as response:
                assert response.status == 503
            status, done = await _progress(url, run_id)
            assert status == "Running" and done < CUSTOMERS, "the run ended before the outage"
            await server.wait_for(UNAVAILABLE, outage)
            await proxy.restore()
            await server.wait_for(AVAILABLE_AGAIN, outage)
        await _run_when(session, server, run_id, lambda run: run["status"] == "Complete")

    billed, reference = await _outcome(url, run_id), await _outcome(reference_url, run_id)
    assert billed == reference
    assert billed["progress"] == (
        CUSTOMERS,
        CUSTOMERS,
        len(billed["invoices"]),
        len(billed["not_produced"]),
    )
    assert billed["billed_calls"] == sum(i["call_count"] for i in billed["invoices"])
    assert billed["billed_call_units"] == sum(i["call_total"] for i in billed["invoices"])
    assert server.count(UNAVAILABLE) == 3, server.log
    _assert_quiet(server)
