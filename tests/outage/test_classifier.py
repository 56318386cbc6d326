"""is_unavailable: real failures to reach a database, told from real faults.

Every exception here is produced for real (a closed port, a terminated backend, a
database refusing connections, a locked SQLite file), except the two a test cannot cause
without restarting the shared PostgreSQL server, which are built as asyncpg builds them.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest
from tortoise.exceptions import IntegrityError, OperationalError

from billing import db
from billing.unavailable import describe, is_unavailable
from models import Preset
from tests.conftest import PG_ENV, pg_admin, with_database


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _raised(awaitable) -> BaseException:  # type: ignore[no-untyped-def]
    try:
        await awaitable
    except Exception as exc:
        return exc
    raise AssertionError("it did not fail")


async def _until_running(admin: asyncpg.Connection, pid: int) -> None:
    """Until the backend `pid` is running a statement (polled; 30 s at most)."""
    for _ in range(3000):
        state = await admin.fetchval("SELECT state FROM pg_stat_activity WHERE pid = $1", pid)
        if state == "active":
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"backend {pid} never ran its query")


def _dsn(url: str) -> str:
    return urlsplit(url)._replace(scheme="postgresql").geturl()


@pytest.fixture
def server_url(database_kind: str) -> str:
    if database_kind != "postgres" or not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL's own failures need --db postgres and {PG_ENV}")
    return os.environ[PG_ENV]


# --- PostgreSQL ------------------------------------------------------------------------


async def test_a_refused_connection_is_unavailable():
    exc = await _raised(asyncpg.connect(f"postgresql://postgres@127.0.0.1:{_closed_port()}/x"))

    assert isinstance(exc, OSError)
    assert is_unavailable(exc)
    assert "Connect call failed" in describe(exc)


async def test_a_server_that_never_answers_is_unavailable_after_the_connect_timeout():
    accepted: list[asyncio.StreamWriter] = []
    silent = await asyncio.start_server(lambda _, writer: accepted.append(writer), "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    try:
        exc = await _raised(
            asyncpg.connect(f"postgresql://postgres@127.0.0.1:{port}/x", timeout=0.2)
        )
    finally:
        for writer in accepted:
            writer.close()
        silent.close()
        await silent.wait_closed()

    assert isinstance(exc, TimeoutError)
    assert is_unavailable(exc)
    assert describe(exc) == "TimeoutError"


async def test_a_refused_pool_through_tortoise_is_unavailable():
    ctx = await db.open_database(f"postgres://postgres@127.0.0.1:{_closed_port()}/x")
    with ctx:
        exc = await _raised(Preset.all().count())

    assert is_unavailable(exc)


async def test_a_terminated_connection_and_its_next_use_are_unavailable(server_url):
    conn = await asyncpg.connect(_dsn(server_url))
    query = asyncio.ensure_future(conn.fetchval("SELECT pg_sleep(30)"))
    admin = await asyncpg.connect(_dsn(server_url))
    try:
        await _until_running(admin, conn.get_server_pid())
        await admin.execute("SELECT pg_terminate_backend($1)", conn.get_server_pid())
    finally:
        await admin.close()
    mid_query = await _raised(query)
    next_use = await _raised(conn.fetchval("SELECT 1"))

    assert isinstance(mid_query, asyncpg.ConnectionDoesNotExistError)
    assert is_unavailable(mid_query)
    assert is_unavailable(next_use), next_use


async def test_the_next_use_of_a_connection_terminated_while_idle_is_unavailable(server_url):
    """Depending on when the termination notice arrives, asyncpg raises InternalClientError
    ("cannot switch to state 11; another operation is in progress"), InterfaceError
    ("connection is closed") or ConnectionDoesNotExistError: each must count."""
    seen = set()
    for _ in range(5):
        conn = await asyncpg.connect(_dsn(server_url))
        await pg_admin(server_url, f"SELECT pg_terminate_backend({conn.get_server_pid()})")
        exc = await _raised(conn.fetchval("SELECT 1"))
        conn.terminate()
        seen.add(type(exc).__name__)
        assert is_unavailable(exc), exc
    assert seen <= {"InternalClientError", "InterfaceError", "ConnectionDoesNotExistError"}


async def test_a_database_that_refuses_connections_is_unavailable(server_url):
    name = f"billing_refusing_{uuid.uuid4().hex[:12]}"
    await pg_admin(
        server_url, f'CREATE DATABASE "{name}"', f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'
    )
    try:
        exc = await _raised(asyncpg.connect(_dsn(with_database(server_url, name))))
    finally:
        await pg_admin(server_url, f'DROP DATABASE "{name}"')

    assert isinstance(exc, asyncpg.ObjectNotInPrerequisiteStateError)
    assert is_unavailable(exc)


async def test_a_missing_database_is_unavailable(server_url):
    url = with_database(server_url, f"billing_missing_{uuid.uuid4().hex[:12]}")

    exc = await _raised(asyncpg.connect(_dsn(url)))

    assert isinstance(exc, asyncpg.InvalidCatalogNameError)
    assert is_unavailable(exc)


@pytest.mark.parametrize(
    "exc",
    [
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.CannotConnectNowError("the database system is shutting down"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
    ],
)
def test_a_restart_or_a_full_server_is_unavailable(exc):
    assert is_unavailable(exc)
    assert is_unavailable(OperationalError(exc))


async def test_a_bad_query_and_a_constraint_violation_are_not_unavailable(api, database_kind):
    with api.database():
        conn = Preset._meta.db
        bad_query = await _raised(conn.execute_query("SELECT no_such_column FROM preset"))
        await Preset.create(kind="invoiceMessage", name="Thanks")
        duplicate = await _raised(Preset.create(kind="invoiceMessage", name="Thanks"))
        faults = [bad_query, duplicate]
        if database_kind == "postgres":  # SQLite answers NULL
            faults.append(await _raised(conn.execute_query("SELECT 1 / 0")))

    assert isinstance(duplicate, IntegrityError)
    for exc in faults:
        assert not is_unavailable(exc), exc


def test_a_client_that_went_away_is_not_a_database_outage():
    try:
        raise ConnectionResetError("Cannot write to closing transport")
    except ConnectionResetError as exc:
        assert not is_unavailable(exc)
    assert not is_unavailable(TimeoutError())
    assert not is_unavailable(ValueError("no active connection"))


# --- SQLite ----------------------------------------------------------------------------


def test_a_locked_sqlite_database_is_unavailable(tmp_path: Path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(sqlite3.OperationalError) as locked:
            sqlite3.connect(path, timeout=0).execute("SELECT * FROM t")
    finally:
        holder.execute("ROLLBACK")

    assert "database is locked" in str(locked.value)
    assert is_unavailable(locked.value)
    assert is_unavailable(_wrapped(locked.value))


def test_an_sqlite_file_that_cannot_be_opened_is_unavailable(tmp_path: Path):
    with pytest.raises(sqlite3.OperationalError) as unopenable:
        sqlite3.connect(tmp_path / "no" / "such" / "folder.sqlite3")

    assert is_unavailable(unopenable.value)


def test_an_sqlite_syntax_error_or_missing_table_is_not_unavailable(tmp_path: Path):
    conn = sqlite3.connect(tmp_path / "ok.sqlite3")
    for statement in ("SELEC 1", "SELECT * FROM nowhere"):
        with pytest.raises(sqlite3.OperationalError) as error:
            conn.execute(statement)
        assert not is_unavailable(error.value)
        assert not is_unavailable(_wrapped(error.value))


def _wrapped(exc: BaseException) -> OperationalError:
    """As Tortoise's SQLite client raises it: `raise OperationalError(exc)` in an except."""
    try:
        raise exc
    except type(exc):
        try:
            raise OperationalError(exc)
        except OperationalError as wrapped:
            return wrapped
