"""A bounded run of bench/load.py against `serve --workers 2`: correctness, not speed."""

from __future__ import annotations

from bench.load import run_load
from billing import auth, db
from tests.workers.processes import ServerProcess


async def test_load_on_two_workers_loses_no_write_breaks_no_lock_and_gives_no_5xx(
    postgres_only, database_url: str
):
    key = await db.in_database(database_url, lambda: auth.create_api_key("load"))
    server = ServerProcess(database_url, "--workers", "2", RATE_LIMIT_PER_SECOND="0")
    await server.start()
    try:
        figures = await run_load(server.base, key, clients=50, seconds=10)
    finally:
        await server.stop()
    assert figures["server_errors"] == 0, figures
    assert figures["connection_errors"] == {}, figures
    assert figures["lost_writes"] == [], figures
    assert figures["lock_violations"] == 0, figures
    assert figures["acknowledged_writes_checked"] > 100, figures
    assert figures["bills_requested"] > 0 and figures["lock_checks"] > 0, figures
