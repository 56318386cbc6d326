"""SQLite: a database file another process keeps locked is 503 UNAVAILABLE, not a 500."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from billing import db
from billing.settings import Settings
from tests.rest.helpers import RUNS, create_run


@pytest.fixture
def settings(database_kind: str, database_url: str) -> Settings:
    if database_kind != "sqlite":
        pytest.skip("SQLite's file lock")
    # Wait 50 ms for a lock instead of SQLite's default 5 s: the outcome is the same.
    return Settings(database_url=f"{database_url}?busy_timeout=50", run_engine=False)


@contextmanager
def _write_locked(database_url: str) -> Iterator[None]:
    """Hold the database's write lock, as another process (an import, say) would."""
    holder = sqlite3.connect(db.sqlite_path(database_url), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


async def test_a_write_to_a_locked_database_is_503_and_goes_through_once_it_is_free(api, settings):
    await api.rest_json("GET", RUNS)

    with _write_locked(settings.database_url):
        response = await api.rest("POST", RUNS, json={"name": "While locked"})
        body = await response.json()
        assert (await api.rest("GET", RUNS)).status == 200  # readers are not blocked (WAL)

    assert response.status == 503, body
    assert response.headers["Retry-After"] == "1"
    assert body["error"]["code"] == "UNAVAILABLE"
    assert await api.rest_json("GET", RUNS) == []
    run = await create_run(api, "Once free")
    assert [r["id"] for r in await api.rest_json("GET", RUNS)] == [run["id"]]
