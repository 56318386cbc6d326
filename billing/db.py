"""Database set-up: the Tortoise configuration and migrations, serialised across processes."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import fcntl
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext

from billing.settings import DEFAULT_DATABASE_URL, dialect_of

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
APP = "models"
_MIGRATION_LOCK_KEY = zlib.crc32(b"billing-runs migrations")

T = TypeVar("T")


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
        "apps": {APP: {"models": ["models", "aerich.models"], "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


#: What the `aerich` command line reads ([tool.tortoise] in pyproject.toml).
AERICH_CONFIG = tortoise_config(DEFAULT_DATABASE_URL)


def migrations_location(database_url: str) -> Path:
    """Each dialect keeps its own history: aerich writes dialect-specific SQL."""
    return MIGRATIONS / dialect_of(database_url)


def serving_config(database_url: str) -> dict[str, Any]:
    """The configuration to serve with: on PostgreSQL, a client that survives outages."""
    config = tortoise_config(database_url)
    connection = expand_db_url(database_url)
    if connection["engine"] == "tortoise.backends.asyncpg":
        connection["engine"] = "billing.pg_client"
        config["connections"]["default"] = connection
    return config


async def open_database(database_url: str) -> TortoiseContext:
    """Initialise Tortoise in a context of its own; enter it (`with ctx:`) to use it."""
    ctx = TortoiseContext()
    with ctx:
        await ctx.init(config=serving_config(database_url))
    return ctx


async def in_database(database_url: str, action: Callable[[], Awaitable[T]]) -> T:
    """Run `action` in a Tortoise context of its own, opened for it and closed after."""
    ctx = await open_database(database_url)
    try:
        with ctx:
            return await action()
    finally:
        with ctx:
            await ctx.close_connections()


def run_isolated(coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
    """Run a coroutine in an empty contextvars context.

    aerich initialises Tortoise's *current* context; running it in a fresh one keeps it
    from touching the application's.
    """
    return asyncio.get_running_loop().create_task(coro, context=contextvars.Context())


async def migrate(database_url: str) -> list[str]:
    """Apply pending migrations; return the names of those applied.

    Several processes starting at once take turns: a file lock beside an SQLite
    database, an advisory lock on PostgreSQL.
    """
    async with _migration_lock(database_url):
        return await run_isolated(_upgrade(database_url))


async def _upgrade(database_url: str) -> list[str]:
    from aerich import Command

    command = Command(
        tortoise_config=tortoise_config(database_url),
        app=APP,
        location=str(migrations_location(database_url)),
    )
    try:
        await command.init()
        return await command.upgrade(run_in_transaction=True)
    finally:
        await command.aclose()


@contextlib.asynccontextmanager
async def _migration_lock(database_url: str) -> AsyncIterator[None]:
    if dialect_of(database_url) == "postgres":
        import asyncpg

        conn = await asyncpg.connect(asyncpg_dsn(database_url))
        try:
            await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK_KEY)
            yield
        finally:
            await conn.close()  # closing the session releases the lock
        return
    path = sqlite_path(database_url)
    if path is None:
        yield
        return
    if not path.parent.is_dir():
        raise FileNotFoundError(f"the folder {path.parent} does not exist")
    lock_path = Path(f"{path}.migrate-lock")
    with open(lock_path, "a") as handle:  # noqa: ASYNC230 (opening a lock file is instant)
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def sqlite_path(database_url: str) -> Path | None:
    """The file behind an SQLite URL (None for an in-memory database)."""
    rest = database_url.split("://", 1)[1].split("?", 1)[0]
    if rest in (":memory:", ""):
        return None
    return Path(rest)


def asyncpg_dsn(database_url: str) -> str:
    """The URL as asyncpg takes it (Tortoise also names PostgreSQL `asyncpg://`)."""
    parts = urlsplit(database_url)
    return parts._replace(scheme="postgresql").geturl()


#: URLs aerich generates each dialect's history with; no server is contacted.
OFFLINE_URLS = {
    "sqlite": "sqlite://:memory:",
    "postgres": "postgres://postgres@127.0.0.1:5432/offline",
}


async def make_migration(dialect: str, name: str) -> str | None:
    """Write a new migration for one dialect from the models; what was written, if anything.

    Run one dialect per process: aerich and Tortoise keep dialect-specific state at class
    level, which would leak from one into the other.
    """
    from aerich import Command

    database_url = OFFLINE_URLS[dialect]
    location = migrations_location(database_url)
    command = Command(
        tortoise_config=tortoise_config(database_url), app=APP, location=str(location)
    )
    try:
        if not (location / APP).exists() or not any((location / APP).glob("*.py")):
            await command.init_migrations(safe=True)
            return "initial migration"
        await command.init(offline=True)
        return await command.migrate(name, no_input=True, offline=True)
    finally:
        await command.aclose()
